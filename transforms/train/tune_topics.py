"""Choose the topic gate (transforms.topics.GATES) and the topic classifier's
settings by cross-validation on the training splits; the dev splits stay
the gate's.

    python -m transforms.train.tune_topics                 # every language, shipped settings
    python -m transforms.train.tune_topics --langs en --cfg '{"C": 4}'

Per language, the rows the shipped classifier learns from are cut into
FOLDS folds (by a hash of the text). Each fold is enriched for real (phrase
rules and all) with a classifier trained on the other folds, and what the
gate reads is kept, so that any gate setting can then be scored on every
training row without training again. Scored: precision and recall per data
label on the topic sets (not on the sentiment sets read as topic examples,
whose label is given, not judged). The gate chosen maximises the mean
over those (set, label) pairs of the attainment of the targets (precision
>= .80, recall >= .60), then their mean F1."""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
import time
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from transforms import topics
from transforms.evaluate_real import ROOTS_FOR, TOPIC_LABELS
from transforms.linear import LinearModel, cached_model
from transforms import realdata
from transforms.realdata import training_sets
from transforms.train.fit import enrich_fold, SETTINGS, balance_for, fit_table, fold_names, labelled_rows
from transforms.vocab import cached_vocabulary

FOLDS = 5
TARGET_P, TARGET_R = 0.80, 0.60


def fold_of(text: str) -> int:
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % FOLDS


@dataclass
class OutOfFold:
    lang: str
    assigned: pl.DataFrame
    probs: pl.DataFrame
    counts: pl.DataFrame
    words: pl.DataFrame
    gold: pl.DataFrame      # article_id, label, set
    seconds: float


def _topic_model(lang: str, table: pl.DataFrame, intercept) -> LinearModel:
    """The topic classifier fitted on a fold (fit_table), as a model the enrichment runs."""
    classes = tuple(SETTINGS["topics"]["classes"])
    # every language needs an intercept row when scored beside the
    # three-language sentiment models; only `lang` is ever used
    return LinearModel("topics", classes, True, table.with_columns(pl.lit(lang).alias("lang")).with_row_index("tid"),
                       pl.DataFrame([{"lang": other, **{f"b_{c}": float(b) for c, b in zip(classes, intercept)}}
                                     for other in ("ar", "en", "zh")]),
                       (lang,))


def fold_models(lang: str, texts: list[str], labels: list[str], weights: list[float], train: list[int],
                cfg: dict | None = None) -> tuple[LinearModel, LinearModel, LinearModel]:
    """The shipped sentiment models and a topic classifier fitted on the rows `train`."""
    table, intercept, _ = fit_table("topics", [texts[i] for i in train], [labels[i] for i in train],
                                    [weights[i] for i in train], lang, None, cfg)
    return cached_model("sentiment"), cached_model("polarity"), _topic_model(lang, table, intercept)


def out_of_fold(lang: str, cfg: dict | None = None, sets=None) -> OutOfFold:

    t0 = time.perf_counter()
    sets = sets if sets is not None else training_sets("topics", lang)
    judged = {s.name for s in sets if s.task == "topics"}
    balance = balance_for({**SETTINGS["topics"], **(cfg or {})}, lang)
    texts, labels, weights, names = labelled_rows("topics", sets, "train", balance)
    folds = [fold_of(t) for t in texts]
    store: list[tuple[pl.DataFrame, ...]] = []
    real_gated = topics._gated

    def spy(assigned, probs, counts, words, taxonomy, gates=None):
        store.append(tuple(x.collect() for x in (assigned, probs, counts, words)))
        return real_gated(assigned, probs, counts, words, taxonomy, gates)

    gold = []
    parts: list[list[pl.DataFrame]] = [[], [], [], []]
    topics._gated = spy
    try:
        for f in range(FOLDS):
            train = [i for i, g in enumerate(folds) if g != f]
            test = [i for i, g in enumerate(folds) if g == f and names[i] in judged]
            models = fold_models(lang, texts, labels, weights, train, cfg)
            store.clear()
            enrich_fold(texts, test, lang, models)
            for k, x in enumerate(store[0]):
                parts[k].append(fold_names(x, test))
            gold += [(str(i), labels[i], names[i]) for i in test]
    finally:
        topics._gated = real_gated
    return OutOfFold(lang, *(pl.concat(p, how="vertical_relaxed") for p in parts),
                     pl.DataFrame(gold, schema=["article_id", "label", "set"], orient="row"),
                     time.perf_counter() - t0)


def scores(oof: OutOfFold, gate: topics.Gate) -> dict[tuple[str, str], dict[str, float]]:
    """(set, label) -> precision, recall, f1 of the roots tagged under `gate`."""
    tags = topics._gated(oof.assigned.lazy(), oof.probs.lazy(), oof.counts.lazy(), oof.words.lazy(),
                         cached_vocabulary().taxonomy, {oof.lang: gate}).collect()
    out = {}
    for lab in TOPIC_LABELS:
        hit = set(tags.filter(pl.col("topic_id").is_in(sorted(ROOTS_FOR[lab])))["article_id"].to_list())
        for name, part in oof.gold.group_by("set", maintain_order=True):
            rows = part.filter(pl.col("label") == lab)
            if rows.is_empty():
                continue
            ids = set(part["article_id"].to_list())
            truth = set(rows["article_id"].to_list())
            pred = hit & ids
            tp = len(pred & truth)
            p = tp / len(pred) if pred else 0.0
            r = tp / len(truth)
            out[(name[0], lab)] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def attainment(v: dict[str, float]) -> float:
    """How far one (set, label) pair is toward the target (1 = reached)."""
    return min(1.0, v["precision"] / TARGET_P, v["recall"] / TARGET_R)


def objective(s: dict) -> tuple[float, float]:
    """(mean attainment of the P >= .80 and R >= .60 targets, mean F1): the
    targets first, then F1 among settings that reach them equally."""
    return (round(sum(attainment(v) for v in s.values()) / len(s), 4),
            round(sum(v["f1"] for v in s.values()) / len(s), 4))


def on_target(s: dict) -> int:
    return sum(v["precision"] >= TARGET_P and v["recall"] >= TARGET_R for v in s.values())


GATE_GRID = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 1.01)       # 1.01: the classifier never vouches
ASSIGN_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: it never tags alone
STRONG_GRID = (1, 2, 3, 10**6)                           # 10**6: density never overrides it
DENSE_GRID = (1.0, 2.0, 3.0, 5.0)
BEAT_METRICS = ("topics_precision", "topics_recall", "topics_f1")


def keeps_the_beats(lang: str, gate: topics.Gate) -> bool:
    """The self-written sets (tests/eval) stay at or above their topic floors
    under `gate`: the fine-grained beats come from the phrase lists, and a
    gate that vetoes them where the classifier (which learnt general news)
    is unsure would lose them."""
    from transforms.evaluate import EVAL_DIR, evaluate_articles, evaluate_sentences

    floors = json.loads((EVAL_DIR / "floors.json").read_text())[lang]
    saved = topics.GATES.get(lang)
    topics.GATES[lang] = gate
    try:
        vocab = cached_vocabulary()
        got = {"sentences": evaluate_sentences(lang, vocab), "articles": evaluate_articles(lang, vocab)}
    finally:
        topics.GATES[lang] = saved
    return all(got[unit][m] >= floors[unit][m] - 1e-9 for unit in got for m in BEAT_METRICS)


def search(oof: OutOfFold) -> tuple[topics.Gate, dict]:
    """The even gate (one threshold for every class) with the best objective
    among those that keep the beats, then per class thresholds by coordinate
    ascent from it, kept only where they gain at least .005 attainment (less
    is noise on these counts) and keep the beats."""
    ranked = []
    # the long-text limits and passages are set from the training lengths,
    # runs of training articles and BBC's train split, not searched: no
    # training text is long enough for cross-validation to see them
    current = topics.GATES.get(oof.lang, topics.DEFAULT_GATE)
    long_text = {"long_words": current.long_words, "long_alone": current.long_alone,
                 "long_dense": current.long_dense, "passage_words": current.passage_words}
    for g, a, st, d in itertools.product(GATE_GRID, ASSIGN_GRID, STRONG_GRID, DENSE_GRID):
        if st == 10**6 and d != DENSE_GRID[0]:
            continue
        gate = replace(topics._even(g, a, st, d), **long_text)
        s = scores(oof, gate)
        ranked.append((objective(s), -len(ranked), gate, s))
    ranked.sort(key=lambda r: r[:2], reverse=True)
    best_v, _, best, best_s = next(r for r in ranked if keeps_the_beats(oof.lang, r[2]))
    for _ in range(2):
        for kind, grid in (("assign", ASSIGN_GRID), ("gate", GATE_GRID)):
            for c in topics.MODEL_ROOTS:
                for t in grid:
                    vals = {**getattr(best, kind), c: t}
                    cand = topics.Gate(**{**best.__dict__, kind: vals})
                    s = scores(oof, cand)
                    v = objective(s)
                    if v[0] >= best_v[0] + 0.005 and keeps_the_beats(oof.lang, cand):
                        best, best_s, best_v = cand, s, v
    return best, best_s


def report(s: dict) -> str:
    return "  ".join(f"{k[0]}/{k[1][:4]} {v['precision']:.2f}/{v['recall']:.2f}" for k, v in sorted(s.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m transforms.train.tune_topics")
    ap.add_argument("--langs", default="ar,en,zh")
    ap.add_argument("--cfg", default="{}", help="JSON overrides of SETTINGS['topics']")
    ap.add_argument("--domain-rows", type=int, help="rows of each sentiment set read as topic examples")
    ap.add_argument("--save", help="keep the out-of-fold frames here (a pickle per language)")
    ap.add_argument("--load", help="score the frames kept by --save instead of training")
    args = ap.parse_args(argv)
    cfg = json.loads(args.cfg)
    if args.domain_rows is not None:
        realdata.DOMAIN_ROWS = args.domain_rows
    for lang in args.langs.split(","):
        if args.load:
            with open(f"{args.load}/{lang}.pkl", "rb") as fh:
                oof = pickle.load(fh)
        else:
            oof = out_of_fold(lang, cfg)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            with open(f"{args.save}/{lang}.pkl", "wb") as fh:
                pickle.dump(oof, fh)
        now = scores(oof, topics.GATES.get(lang, topics.DEFAULT_GATE))
        print(f"{lang} {cfg} ({oof.seconds:.0f} s)\n  shipped gate: (attainment, F1) {objective(now)}, "
              f"{on_target(now)}/{len(now)} on target  {report(now)}")
        gate, s = search(oof)
        print(f"  best gate {gate}\n  (attainment, F1) {objective(s)}, {on_target(s)}/{len(s)} on target  {report(s)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
