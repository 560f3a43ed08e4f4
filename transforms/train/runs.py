"""How the topic gate reads long texts, measured out of fold on the training
articles: each held-out article alone, and runs of RUN held-out articles
joined into one text (the `_x4` rows of the gate, on training data).

    python -m transforms.train.runs --langs ar,zh

Per language, the article set's training rows are cut into the folds of
transforms.train.tune_topics; each fold is enriched for real with a
classifier trained on the other folds. No language has a long labelled
text, so runs stand in for the many-topic commentary (models/topics/CARD.md).
English is not listed: its classifier learns from no article set, so BBC's
train split is read with the shipped model instead (`--shipped en:bbc_news`)."""
from __future__ import annotations

import argparse

from transforms.evaluate_real import ROOTS_FOR, RUN, TOPIC_LABELS, enrich_texts
from transforms.realdata import data_sets, training_sets
from transforms.train.fit import SETTINGS, balance_for, labelled_rows
from transforms.train.tune_topics import FOLDS, fold_models, fold_of

ARTICLE_SETS = {"ar": "sanad_khaleej", "zh": "sogouc_articles", "en": "bbc_news"}


def _tags(texts: list[str], lang: str, models: tuple | None) -> list[set[str]]:
    got: list[set[str]] = [set() for _ in texts]
    for aid, topic in enrich_texts(texts, lang, models).topics.select("article_id", "topic_id").iter_rows():
        got[int(aid)].add(topic)
    return got


def _read(texts: list[str], labels: list[str], lang: str, models: tuple | None) -> dict[str, list]:
    """(tags, gold label set) per single article and per run of RUN."""
    starts = range(0, len(texts) - RUN + 1, RUN)
    runs = ["\n".join(texts[i:i + RUN]) for i in starts]
    return {"single": list(zip(_tags(texts, lang, models), [{g} for g in labels])),
            "runs": list(zip(_tags(runs, lang, models), [set(labels[i:i + RUN]) for i in starts]))}


def out_of_fold(lang: str) -> dict[str, list]:
    name = ARTICLE_SETS[lang]
    texts, labels, weights, names = labelled_rows("topics", training_sets("topics", lang), "train",
                                                  balance_for(SETTINGS["topics"], lang))
    folds = [fold_of(t) for t in texts]
    out: dict[str, list] = {"single": [], "runs": []}
    for f in range(FOLDS):
        train = [i for i, g in enumerate(folds) if g != f]
        held = [i for i, g in enumerate(folds) if g == f and names[i] == name]
        models = fold_models(lang, texts, labels, weights, train)
        for kind, rows in _read([texts[i] for i in held], [labels[i] for i in held], lang, models).items():
            out[kind] += rows
    return out


def shipped(lang: str, name: str) -> dict[str, list]:
    """A set no shipped model learns from, its train split read with the shipped models."""
    s = next(d for d in data_sets("topics") if d.lang == lang and d.name == name)
    df = s.read("train")
    return _read(df["text"].to_list(), df["label"].to_list(), lang, None)


def report(rows: list) -> str:
    out = []
    for lab in TOPIC_LABELS:
        truth = [lab in gold for _, gold in rows]
        pred = [bool(tags & ROOTS_FOR[lab]) for tags, _ in rows]
        if any(truth):
            tp = sum(t and p for t, p in zip(truth, pred))
            out.append(f"{lab} {tp / max(sum(pred), 1):.3f}/{tp / sum(truth):.3f}")
    return "  ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m transforms.train.runs")
    ap.add_argument("--langs", default="ar,zh", help="out of fold on these languages' article sets")
    ap.add_argument("--shipped", default="en:bbc_news", help="lang:set read with the shipped models ('' for none)")
    args = ap.parse_args(argv)
    jobs = [(lang, ARTICLE_SETS[lang], "out of fold", lambda lang=lang: out_of_fold(lang))
            for lang in filter(None, args.langs.split(","))]
    jobs += [(lang, name, "shipped models", lambda lang=lang, name=name: shipped(lang, name))
             for lang, name in (j.split(":") for j in filter(None, args.shipped.split(",")))]
    for lang, name, how, run in jobs:
        got = run()
        for kind in ("single", "runs"):
            print(f"{lang} {name} train, {how}, {kind:6s} (P/R)  {report(got[kind])}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
