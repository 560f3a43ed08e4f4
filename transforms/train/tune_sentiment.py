"""Choose how much of a sentence's `sentiment` comes from the lexicon
(transforms.model_scores.LEXICON_SHARE) by cross-validation on the training
splits of the sets a language's shipped models learn from; the dev splits
stay the gate's, and sets kept for evaluation only are never read.

    python -m transforms.train.tune_sentiment            # every language

Per language, the rows are cut into FOLDS folds (by a hash of the text); the
three-way and two-way models are trained on the other folds and the
held-out positive and negative rows enriched for real, keeping each
sentence's model and lexicon scores, so that every share can be scored
without training again. Scored: binary accuracy (sign of the article
`sentiment`, zero counts as wrong) per set; chosen: the share with the best
mean over the sets, the nearest to the current one among equals."""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import polars as pl

from transforms import model_scores
from transforms.linear import LinearModel, cached_model
from transforms.realdata import training_sets
from transforms.train.fit import enrich_fold, SETTINGS, fit_table, fold_names, labelled_rows
from transforms.train.lexicons import training_lexicon
from transforms.train.tune_topics import FOLDS, fold_of

SHARES = tuple(round(0.1 * i, 1) for i in range(11))


@dataclass
class OutOfFold:
    lang: str
    sentences: pl.DataFrame   # sid, article_id, m_sent, score
    gold: pl.DataFrame        # article_id, label, set
    seconds: float


def _model(task: str, lang: str, table: pl.DataFrame, intercept, lexicon: pl.DataFrame) -> LinearModel:
    classes = tuple(SETTINGS[task]["classes"])
    # every language needs an intercept row when scored beside the
    # three-language topic model; only `lang` is ever used
    return LinearModel(task, classes, True, table.with_columns(pl.lit(lang).alias("lang")).with_row_index("tid"),
                       pl.DataFrame([{"lang": other, **{f"b_{c}": float(b) for c, b in zip(classes, intercept)}}
                                     for other in ("ar", "en", "zh")]),
                       (lang,), lexicon)


def out_of_fold(lang: str) -> OutOfFold:

    t0 = time.perf_counter()
    sets = training_sets("sentiment", lang)
    lexicon = training_lexicon()
    texts, labels, weights, names = labelled_rows("sentiment", sets, "train")
    folds = [fold_of(t) for t in texts]
    store: list[pl.DataFrame] = []
    real = model_scores.sentence_sentiment

    def spy(sents, three, two, lex, model):
        m = (2 * pl.col("q") - 1) * (1 - pl.col("p_neutral"))
        modelled = three.select("sid", "p_neutral").join(two.select("sid", pl.col("p_positive").alias("q")), on="sid")
        store.append(sents.select("sid", "article_id").join(lex.select("sid", "score"), on="sid", how="left")
                     .join(modelled.select("sid", m.alias("m_sent")), on="sid", how="left").collect())
        return real(sents, three, two, lex, model)

    parts, gold = [], []
    model_scores.sentence_sentiment = spy
    try:
        for f in range(FOLDS):
            train = [i for i, g in enumerate(folds) if g != f]
            test = [i for i, g in enumerate(folds) if g == f and labels[i] in ("positive", "negative")]
            tr = ([texts[i] for i in train], [labels[i] for i in train], [weights[i] for i in train])
            three = fit_table("sentiment", *tr, lang, lexicon)
            pn = [k for k, lab in enumerate(tr[1]) if lab in ("positive", "negative")]
            two = fit_table("polarity", [tr[0][k] for k in pn], [tr[1][k] for k in pn], [tr[2][k] for k in pn],
                            lang, lexicon)
            models = (_model("sentiment", lang, *three[:2], lexicon), _model("polarity", lang, *two[:2], lexicon),
                      cached_model("topics"))
            store.clear()
            enrich_fold(texts, test, lang, models)
            parts.append(fold_names(store[0], test).with_columns(pl.col("sid").cast(pl.Int64) + 10_000_000 * f))
            gold += [(str(i), labels[i], names[i]) for i in test]
    finally:
        model_scores.sentence_sentiment = real
    return OutOfFold(lang, pl.concat(parts), pl.DataFrame(gold, schema=["article_id", "label", "set"], orient="row"),
                     time.perf_counter() - t0)


def accuracy(oof: OutOfFold, share: float) -> dict[str, float]:
    """Binary accuracy per set with LEXICON_SHARE = share, as
    model_scores.sentence_sentiment and article_sentiment compute it."""
    lexical = (pl.col("score").fill_null(0.0) / 2).tanh()
    s = pl.when(pl.col("m_sent").is_not_null()).then((1 - share) * pl.col("m_sent") + share * lexical) \
        .otherwise(lexical).round(4)
    per = oof.sentences.with_columns(s.alias("s")).filter(pl.col("m_sent").is_not_null() | (pl.col("s") != 0))
    art = per.group_by("article_id").agg(pl.col("s").mean().round(4).alias("s"))
    g = oof.gold.join(art, on="article_id", how="left").with_columns(pl.col("s").fill_null(0.0))
    right = ((pl.col("s") > 0) & (pl.col("label") == "positive")) | ((pl.col("s") < 0) & (pl.col("label") == "negative"))
    return dict(g.group_by("set").agg(right.mean()).sort("set").iter_rows())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m transforms.train.tune_sentiment")
    ap.add_argument("--langs", default="ar,en,zh")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        oof = out_of_fold(lang)
        current = model_scores.share_for(lang)
        rows = {share: accuracy(oof, share) for share in SHARES}
        mean = {share: sum(r.values()) / len(r) for share, r in rows.items()}
        best = max(SHARES, key=lambda sh: (round(mean[sh], 4), -abs(sh - current)))
        print(f"{lang} ({oof.seconds:.0f} s), current share {current}, best {best}")
        for share in SHARES:
            print(f"  {share:.1f} mean {mean[share]:.4f}  " + "  ".join(f"{k} {v:.4f}" for k, v in rows[share].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
