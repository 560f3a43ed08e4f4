"""The enrichment evaluation, in two parts reported separately:

- self-written: gold-labelled sentences and articles per language
  (tests/eval/), written with the vocabulary, scored by the real enrichment;
- real data: the dev splits of the public labelled sets in ../shared/data,
  mediamon beside the majority class and the best offline tool
  (transforms.evaluate_real).

    python -m transforms.evaluate          # prints both tables (--limit N: N rows per set)
    pytest tests/eval                      # fails if any figure drops below tests/eval/floors.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from core.settings import PROJECT_ROOT
from transforms.enrich import enrich_frame
from transforms.vocab import Vocabulary, cached_vocabulary

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
LANGS = ("ar", "zh", "en")
LABELS = ("positive", "negative", "neutral")
TONE_BAND = 0.5  # article tone (GDELT points) within +-this reads as neutral


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def prf(gold: set, pred: set) -> dict[str, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro F1 over the three labels for (gold, predicted) pairs."""
    scores = []
    for lab in LABELS:
        gold = {i for i, (g, _) in enumerate(pairs) if g == lab}
        pred = {i for i, (_, p) in enumerate(pairs) if p == lab}
        if gold or pred:
            scores.append(prf(gold, pred)["f1"])
    return sum(scores) / len(scores) if scores else 0.0


# The gold labels predate the general politics root (2026.12): a text whose
# gold says geopolitics is about politics as well, as labelled news files it.
IMPLIED = {"geopolitics": "politics"}


def _with_ancestors(vocab: Vocabulary, topics: list[str]) -> set[str]:
    known = {t.id for t in vocab.taxonomy.topics}
    out = {a for t in topics if t in known for a in (t, *vocab.taxonomy.ancestors(t))}
    return out | {IMPLIED[t] for t in out if t in IMPLIED and IMPLIED[t] in known}


def _enrich(records: list[dict], vocab: Vocabulary):
    frame = pl.DataFrame([{
        "article_id": r["id"], "title": r.get("title"), "text": r["text"], "lang": r["lang"], "url": r.get("url"),
    } for r in records], schema={"article_id": pl.String, "title": pl.String, "text": pl.String,
                                 "lang": pl.String, "url": pl.String})
    return enrich_frame(frame, vocab, trust_lang=True)


def _common(records: list[dict], res, vocab: Vocabulary, entity_gold) -> dict[str, float]:
    topics = {(a, t) for a, t in res.topics.select("article_id", "topic_id").iter_rows()}
    ents = {(a, e): lab for a, e, lab in res.entities.select("article_id", "entity_id", "sentiment_label").iter_rows()}
    gold_topics = {(r["id"], t) for r in records for t in _with_ancestors(vocab, r.get("topics", []))}
    gold_ents = {(r["id"], e) for r in records for e in entity_gold(r)}
    stance = [(lab, ents.get((r["id"], e), "missing"))
              for r in records for e, lab in (r.get("entities") if isinstance(r.get("entities"), dict)
                                              else r.get("entity_sentiment", {})).items()]
    out = {f"topics_{k}": v for k, v in prf(gold_topics, topics).items()}
    out |= {f"entities_{k}": v for k, v in prf(gold_ents, set(ents)).items()}
    out["entity_sentiment_accuracy"] = sum(g == p for g, p in stance) / len(stance) if stance else 1.0
    out["entity_sentiment_macro_f1"] = macro_f1(stance)
    return out


def evaluate_sentences(lang: str, vocab: Vocabulary) -> dict[str, float]:
    records = read_jsonl(EVAL_DIR / f"sentences_{lang}.jsonl")
    res = _enrich(records, vocab)
    score = dict(res.sentences.group_by("article_id").agg(pl.col("score").sum()).iter_rows())
    band = 0.25
    pred = {k: "positive" if v > band else "negative" if v < -band else "neutral" for k, v in score.items()}
    pairs = [(r["sentiment"], pred.get(r["id"], "neutral")) for r in records]
    out = _common(records, res, vocab, lambda r: r.get("entities", {}).keys())
    out["sentiment_accuracy"] = sum(g == p for g, p in pairs) / len(pairs)
    out["sentiment_macro_f1"] = macro_f1(pairs)
    # mediamon's own sentiment (models and lexicons), as the article carries it
    ours = dict(res.articles.select("article_id", "sentiment_label").iter_rows())
    model_pairs = [(r["sentiment"], ours.get(r["id"], "neutral")) for r in records]
    out["model_sentiment_accuracy"] = sum(g == p for g, p in model_pairs) / len(model_pairs)
    out["model_sentiment_macro_f1"] = macro_f1(model_pairs)
    out["n"] = len(records)
    return out


def evaluate_articles(lang: str, vocab: Vocabulary) -> dict[str, float]:
    records = read_jsonl(EVAL_DIR / f"articles_{lang}.jsonl")
    res = _enrich(records, vocab)
    arts = {r["article_id"]: r for r in res.articles.to_dicts()}
    out = _common(records, res, vocab, lambda r: r.get("entities", []))
    tone = [(r["tone"], "positive" if arts[r["id"]]["tone"] > TONE_BAND else
             "negative" if arts[r["id"]]["tone"] < -TONE_BAND else "neutral") for r in records]
    out["tone_accuracy"] = sum(g == p for g, p in tone) / len(tone)
    out["model_sentiment_accuracy"] = sum(
        r["tone"] == arts[r["id"]]["sentiment_label"] for r in records) / len(records)
    out["opinion_accuracy"] = sum(bool(r["opinion"]) == arts[r["id"]]["is_opinion"] for r in records) / len(records)
    out["n"] = len(records)
    return out


def evaluate(vocab: Vocabulary | None = None) -> dict[str, dict[str, dict[str, float]]]:
    vocab = vocab or cached_vocabulary()
    return {lang: {"sentences": evaluate_sentences(lang, vocab), "articles": evaluate_articles(lang, vocab)}
            for lang in LANGS}


def table(results: dict) -> str:
    metrics = sorted({(unit, m) for lang in results.values() for unit, ms in lang.items() for m in ms if m != "n"})
    lines = [f"{'unit':<10} {'metric':<28} " + " ".join(f"{lang:>6}" for lang in results)]
    for unit, m in metrics:
        lines.append(f"{unit:<10} {m:<28} " + " ".join(
            f"{results[lang][unit].get(m, float('nan')):>6.3f}" for lang in results))
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    from transforms.evaluate_real import DATA_DIR, evaluate_real, real_table
    from transforms.realdata import SKIP_REASON, available

    res = evaluate()
    print("Self-written evaluation sets (tests/eval)")
    print(table(res))
    print()
    if not available():
        print(f"Real data: {SKIP_REASON} ({DATA_DIR})")
        return
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    rows = evaluate_real(limit)
    print(f"Real data, dev splits ({DATA_DIR}{', at most %d rows per set' % limit if limit else ''})")
    print(real_table(rows))
    if "--json" in argv:
        print(json.dumps({"self_written": res, "real": rows}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
