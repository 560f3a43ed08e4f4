"""The real-data half of the gate: the dev splits in ../shared/data scored by
the real enrichment, beside the majority class and the best off-the-shelf
offline tool on the same rows.

Sentiment: binary accuracy on the positive and negative rows, from the sign
of the article `sentiment` (a zero counts as wrong, as for every tool).
Topics: precision and recall per data label against the taxonomy roots that
stand for it (economy: economy, markets or trade; technology; politics: politics or
geopolitics); on article sets also on runs of RUN dev articles joined into
one long text (the `<set>_x4` rows), which should carry every label among them."""
from __future__ import annotations

import math

import polars as pl

from transforms.realdata import DATA_DIR, DataSet, data_sets

ROOTS_FOR = {"economy": {"economy", "markets", "trade"}, "technology": {"technology"},
             "politics": {"politics", "geopolitics"}}
TOPIC_LABELS = ("economy", "technology", "politics")


def enrich_texts(texts: list[str], lang: str, models: tuple | None = None):
    """Texts of one language enriched as `mediamon enrich` would, with `models` (default the shipped ones)."""
    from transforms.enrich import enrich_frame

    frame = pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "title": [None] * len(texts),
                          "text": texts, "lang": [lang] * len(texts)},
                         schema={"article_id": pl.String, "title": pl.String, "text": pl.String, "lang": pl.String})
    return enrich_frame(frame, models=models, trust_lang=True)


def _sign_accuracy(scores: list[float], gold: list[str]) -> float:
    right = sum((s > 0 and g == "positive") or (s < 0 and g == "negative") for s, g in zip(scores, gold))
    return right / len(gold) if gold else math.nan


# --- baselines: established offline tools, dev dependencies only ---------------------

def _vader(texts):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    return [sia.polarity_scores(t)["compound"] for t in texts]


def _afinn(texts):
    from afinn import Afinn

    af = Afinn(language="en")
    return [af.score(t) for t in texts]


def _snownlp(texts):
    from snownlp import SnowNLP

    return [SnowNLP(t).sentiments - 0.5 for t in texts]


def _arabic_lexicon(texts):
    """ElSahar & El-Beltagy's combined lexicon (in ../shared/data): the sum
    of the polarities of the n-grams found, on folded text."""
    from transforms.normalize import tokens_text

    lex = pl.read_csv(DATA_DIR / "lexicons" / "ar" / "elsahar_domain_lexicons" / "ALL_lex.csv", infer_schema=False)
    lex = lex.with_columns(tokens_text(pl.col("ngram")).alias("pat"), pl.col("polarity").cast(pl.Int64))
    lex = lex.filter(pl.col("pat").str.strip_chars() != "").unique("pat")
    pats, pol = lex["pat"].to_list(), lex["polarity"].to_list()
    df = pl.DataFrame({"t": texts}).with_row_index("i").with_columns(tokens_text(pl.col("t")).alias("t"))
    hits = df.select("i", pl.col("t").str.extract_many(pats, overlapping=True).alias("pat")).explode("pat")
    score = hits.join(pl.DataFrame({"pat": pats, "p": pol}), on="pat", how="left").group_by("i").agg(
        pl.col("p").sum())
    got = dict(score.iter_rows())
    return [float(got.get(i, 0) or 0) for i in range(len(texts))]


BASELINES = {"en": {"VADER": _vader, "AFINN": _afinn}, "zh": {"SnowNLP": _snownlp},
             "ar": {"ElSahar lexicon": _arabic_lexicon}}


def sentiment_rows(s: DataSet, limit: int | None) -> dict:
    dev = s.read("dev").filter(pl.col("label").is_in(["positive", "negative"]))
    if limit:
        dev = dev.head(limit)
    texts, gold = dev["text"].to_list(), dev["label"].to_list()
    res = enrich_texts(texts, s.lang).articles.sort(pl.col("article_id").cast(pl.Int64))
    ours = _sign_accuracy(res["sentiment"].to_list(), gold)
    tone = _sign_accuracy(res["tone"].to_list(), gold)
    pos = sum(g == "positive" for g in gold) / len(gold)
    base = {name: _sign_accuracy(fn(texts), gold) for name, fn in BASELINES[s.lang].items()}
    best = max(base, key=base.get)
    return {"lang": s.lang, "task": "sentiment", "set": s.name, "domain": s.domain, "licence": s.licence,
            "metric": "binary_acc", "n": len(gold), "mediamon": ours, "tone": tone,
            "majority": max(pos, 1 - pos), "baseline": base[best], "baseline_name": best}


# Articles per long text in the run-together rows (below).
RUN = 4


def topic_rows(s: DataSet, limit: int | None) -> list[dict]:
    """P/R per label on the set's dev rows; for an article set also on long
    texts made of RUN consecutive dev articles run together, which are about
    every label among them: the many-topic commentary no set labels."""
    dev = s.read("dev")
    if limit:
        # every label keeps its share: the rows are sorted by hash, not by label
        dev = dev.with_row_index("_i").filter(pl.col("_i").rank("ordinal").over("label") <= limit // 4)
    texts, gold = dev["text"].to_list(), dev["label"].to_list()
    out = _topic_scores(s, s.name, texts, [{g} for g in gold])
    if s.domain == "articles":
        starts = range(0, len(texts) - RUN + 1, RUN)
        out += _topic_scores(s, f"{s.name}_x{RUN}", ["\n".join(texts[i:i + RUN]) for i in starts],
                             [set(gold[i:i + RUN]) for i in starts])
    return out


def _topic_scores(s: DataSet, name: str, texts: list[str], gold: list[set[str]]) -> list[dict]:
    res = enrich_texts(texts, s.lang)
    tagged: dict[str, set[str]] = {}
    for aid, topic in res.topics.select("article_id", "topic_id").iter_rows():
        tagged.setdefault(aid, set()).add(topic)
    out = []
    for lab in TOPIC_LABELS:
        truth = {str(i) for i, g in enumerate(gold) if lab in g}
        if not truth:
            continue
        pred = {str(i) for i in range(len(texts)) if tagged.get(str(i), set()) & ROOTS_FOR[lab]}
        tp = len(pred & truth)
        p = tp / len(pred) if pred else 0.0
        r = tp / len(truth)
        share = len(truth) / len(gold)
        out.append({"lang": s.lang, "task": f"topic:{lab}", "set": name, "domain": s.domain,
                    "licence": s.licence, "metric": "P/R", "n": len(truth), "precision": p, "recall": r,
                    "mediamon": 2 * p * r / (p + r) if p + r else 0.0,
                    # tagging every row with the label: precision = its share, recall 1
                    "majority": 2 * share / (share + 1), "baseline": math.nan, "baseline_name": "-"})
    return out


def evaluate_real(limit: int | None = None) -> list[dict]:
    rows = []
    for s in data_sets("sentiment"):
        rows.append(sentiment_rows(s, limit))
    for s in data_sets("topics"):
        rows += topic_rows(s, limit)
    return rows


def real_table(rows: list[dict]) -> str:
    head = (f"{'lang':<4} {'task':<17} {'set':<30} {'licence':<13} {'n':>5} {'mediamon':>8} "
            f"{'P':>5} {'R':>5} {'tone':>5} {'majority':>8} {'baseline':>8}  best tool")
    lines = [head]
    for r in sorted(rows, key=lambda r: (r["lang"], r["task"], r["set"])):
        f = lambda k: f"{r[k]:.3f}" if isinstance(r.get(k), float) and not math.isnan(r[k]) else "-"  # noqa: E731
        lines.append(f"{r['lang']:<4} {r['task']:<17} {r['set']:<30} {r['licence']:<13} {r['n']:>5} "
                     f"{f('mediamon'):>8} {f('precision'):>5} {f('recall'):>5} {f('tone'):>5} "
                     f"{f('majority'):>8} {f('baseline'):>8}  {r['baseline_name']}")
    lines.append("sentiment: binary accuracy (sign of sentiment; zero = wrong); topic: F1 with P and R; "
                 "majority for topics = F1 of tagging every row")
    return "\n".join(lines)
