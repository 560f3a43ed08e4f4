"""TF-IDF + multinomial logistic regression per language, exported as the
token table transforms.linear runs. scikit-learn is a development
dependency: only training needs it."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from transforms.features import texts_to_tokens
from transforms.normalize import EMOJI
from transforms.realdata import DataSet

SEED = 13
# lbfgs run to a tight tolerance: at scikit-learn's default (1e-4) it stopped
# early enough that one token more or less in 35,000 moved weights by .26
# and probabilities by .01 (converged, the same change moves weights by .05),
# so a retrain decided borderline topics by where the solver happened to stop
TOL = 1e-6
SETTINGS = {
    # min_df and max_features keep the table a few MB and drop one-off
    # tokens that only memorise.
    "sentiment": {"classes": ("negative", "neutral", "positive"), "C": 4.0, "min_df": 2,
                  "max_features": 250_000},
    # the sign of sentiment: positive against negative rows only, so the many
    # neutral rows of news sets do not pull every doubt toward "negative"
    "polarity": {"classes": ("negative", "positive"), "C": 4.0, "min_df": 2, "max_features": 250_000},
    # class-balanced: the small classes (HuffPost's 152 business stories) must
    # not vanish under "other"; the sets weighted toward counting alike
    # (labelled_rows), so 800 SIB-200 sentences are not drowned by 6,000
    # headlines. balance_sets chosen per language by 5-fold cross-validation
    # on the training splits (transforms.train.tune_topics; models/topics/CARD.md).
    # Emoji say how a text feels, not what it is about: the topic classifier
    # does not learn from them (the financial tweets' rockets would be "economy").
    "topics": {"classes": ("economy", "other", "politics", "technology"), "C": 8.0, "min_df": 2,
               "max_features": 200_000, "class_weight": "balanced", "drop_emoji": True,
               "balance_sets": {"ar": 1.0, "en": 0.5, "zh": 1.0}},
}


def balance_for(cfg: dict, lang: str) -> float:
    b = cfg.get("balance_sets", 0.0)
    return b.get(lang, 0.0) if isinstance(b, dict) else b


def _rows(task: str, sets: list[DataSet], split: str) -> tuple[list[str], list[str], list[float]]:
    balance = balance_for(SETTINGS[task], sets[0].lang) if sets else 0.0
    texts, labels, weights, _ = labelled_rows(task, sets, split, balance)
    return texts, labels, weights


def labelled_rows(task: str, sets: list[DataSet], split: str, balance: float = 0.0):
    """(texts, labels, weights, set names) of the sets' `split`.

    `balance` b weights each set's rows by (mean rows per set / its rows) ** b:
    0 counts every row alike, 1 every set alike."""
    frames = []
    for s in sets:
        df = s.read(split, task)
        if task == "polarity":
            df = df.filter(pl.col("label").is_in(["negative", "positive"]))
        frames.append((s, df))
    sizes = [df.height for _, df in frames if df.height]
    mean = sum(sizes) / max(len(sizes), 1)
    texts, labels, weights, names = [], [], [], []
    for s, df in frames:
        # every set counts about as much as the others, so one big review set
        # cannot decide what news sentiment looks like
        w = min(1.0, 8000 / max(df.height, 1)) * (mean / max(df.height, 1)) ** balance
        texts += df["text"].to_list()
        labels += df["label"].to_list()
        weights += [w] * df.height
        names += [s.name] * df.height
    return texts, labels, weights, names


def fit_table(task: str, texts: list[str], labels: list[str], weights: list[float], lang: str,
              lexicon: pl.DataFrame | None = None, cfg: dict | None = None):
    """(token table, intercepts, fitted pipeline parts) for one language;
    `cfg` overrides SETTINGS[task] (cross-validation tries settings with it)."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    cfg = {**SETTINGS[task], **(cfg or {})}
    tokens = texts_to_tokens(texts, [lang] * len(texts), lexicon)
    counts = CountVectorizer(analyzer=lambda toks: toks, min_df=cfg["min_df"], max_features=cfg["max_features"])
    x = counts.fit_transform(tokens)
    vocab = counts.get_feature_names_out()
    if cfg.get("drop_emoji"):
        # a token the table lacks is unknown at run time too: the l2 norms agree
        vocab = vocab[~pl.Series(vocab).str.contains(EMOJI).to_numpy()]
        counts = CountVectorizer(analyzer=lambda toks: toks, vocabulary=list(vocab))
        x = counts.fit_transform(tokens)
    tfidf = TfidfTransformer(sublinear_tf=True)
    x = tfidf.fit_transform(x)
    classes = list(cfg["classes"])
    y = np.array([classes.index(lab) for lab in labels])
    clf = LogisticRegression(C=cfg["C"], max_iter=5000, tol=cfg.get("tol", TOL), random_state=SEED, class_weight=cfg.get("class_weight"))
    clf.fit(x, y, sample_weight=np.asarray(weights))
    coef = np.zeros((len(classes), x.shape[1]))
    intercept = np.full(len(classes), -30.0)
    if len(classes) == 2:
        # a binary fit is one logistic: softmax over (0, z) is the same sigmoid
        coef[1], intercept[0], intercept[1] = clf.coef_[0], 0.0, clf.intercept_[0]
    else:
        coef[clf.classes_] = clf.coef_
        intercept[clf.classes_] = clf.intercept_
    table = pl.DataFrame({"tok": vocab, "idf": tfidf.idf_.astype(np.float32),
                          **{f"w_{c}": coef[i].astype(np.float32) for i, c in enumerate(classes)}})
    # every kept token stays, however small its weights: it still counts in
    # the l2 norm, and dropping it would shift every other token's value
    return table.sort("tok"), intercept, (counts, tfidf, clf)


def fit_language(task: str, lang: str, sets: list[DataSet], out: Path,
                 lexicon: pl.DataFrame | None = None) -> dict:
    texts, labels, weights = _rows(task, sets, "train")
    table, intercept, _ = fit_table(task, texts, labels, weights, lang, lexicon)
    table.write_parquet(out, compression="zstd", compression_level=19)
    return {
        "sets": [{"name": s.name, "licence": s.licence, "domain": s.domain} for s in sets],
        "rows": len(texts), "features": table.height, "bytes": out.stat().st_size,
        "intercept": [float(b) for b in intercept],
        "research_only_used": any(s.licence != "permissive" for s in sets),
    }


def enrich_fold(texts: list[str], rows: list[int], lang: str, models: tuple) -> None:
    """Run the real enrichment over the held-out rows of a cross-validation
    fold, with candidate models (the tuning scripts read what they need from
    inside it). One piece: the scripts capture each stage's output once.
    Row i's article id is str(i); inside, articles are integer codes
    (fold_names names them again)."""
    from transforms.enrich import enrich_frame

    frame = pl.DataFrame({"article_id": [str(i) for i in rows], "title": [None] * len(rows),
                          "text": [texts[i] for i in rows], "lang": [lang] * len(rows)},
                         schema={"article_id": pl.String, "title": pl.String, "text": pl.String, "lang": pl.String})
    enrich_frame(frame, models=models, trust_lang=True, workers=1, piece=max(1, len(rows)))


def fold_names(frame: pl.DataFrame, rows: list[int]) -> pl.DataFrame:
    """`frame` as captured inside enrich_fold's tagging step, its article_id
    codes named again by the article ids of the fold's rows."""
    from transforms.enrich import article_names

    names = article_names(pl.Series([str(i) for i in rows], dtype=pl.String))
    return frame.with_columns(pl.col("article_id").cast(pl.Int64).replace_strict(
        pl.Series(range(names.len()), dtype=pl.Int64), names, return_dtype=pl.String))
