"""The public labelled data in ../shared/data, read in place (never copied).

Each set's README states a licence class; it is read from there, not
restated here, so the training script and the evaluation cannot disagree
with the data about what may train a shipped model."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.settings import PROJECT_ROOT

DATA_DIR = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
SKIP_REASON = "public labelled data not found at ../shared/data (real-data gate skipped)"

DOMAINS = {
    "twitter_financial_news": "finance", "newsmtsc_policy_news": "news", "semeval2017_task4_tweets": "social",
    "finfe_stock_forum": "finance", "online_shopping_7cats_reviews": "reviews", "waimai_10k_reviews": "reviews",
    "ajgt_jordanian_tweets": "social", "lasa_multidomain_reviews": "reviews",
    "bbc_news": "articles", "huffpost_news": "headlines", "sib200": "sentences", "tnews_headlines": "headlines",
    "sogouc_articles": "articles", "sanad_khaleej": "articles",
}


@dataclass(frozen=True)
class DataSet:
    task: str      # sentiment | topics
    lang: str
    name: str
    licence: str   # permissive | research-only
    path: Path

    @property
    def domain(self) -> str:
        return DOMAINS.get(self.name, "other")

    def read(self, split: str, as_task: str | None = None) -> pl.DataFrame:
        """text, label (and title where the set has one, folded into text).

        `as_task="topics"` reads a sentiment set as topic examples (TOPIC_BY_DOMAIN)."""
        df = pl.read_csv(self.path / f"{split}.csv", infer_schema=False)
        if as_task in ("sentiment", "polarity") and self.task == "topics":
            return df.select("text", pl.lit("neutral").alias("label"))  # NEUTRAL_PROSE
        if as_task == "topics" and self.task == "sentiment":
            return df.head(DOMAIN_ROWS).select("text", pl.lit(TOPIC_BY_DOMAIN[(self.lang, self.name)]).alias("label"))
        if "title" in df.columns:
            # BBC's text is the body alone; HuffPost's already opens with its
            # headline (headline + lead), which must not count twice
            title = pl.col("title").fill_null("")
            df = df.with_columns(pl.when(pl.col("text").str.starts_with(title)).then(pl.col("text"))
                                 .otherwise(pl.concat_str(title, pl.lit(". "), pl.col("text"))).alias("text"))
        return df.select("text", "label").filter(pl.col("text").str.strip_chars() != "")


def available() -> bool:
    return (DATA_DIR / "sentiment").is_dir() and (DATA_DIR / "topics").is_dir()


def _licence(readme: Path) -> str:
    m = re.search(r"licence class:\s*\**\s*(permissive|research-only)", readme.read_text(encoding="utf-8"), re.I)
    if not m:
        raise ValueError(f"{readme}: no licence class stated")
    return m.group(1).lower()


def data_sets(task: str, lang: str | None = None) -> list[DataSet]:
    root = DATA_DIR / task
    out = []
    for readme in sorted(root.glob("*/*/README.md")):
        d = readme.parent
        if lang not in (None, d.parent.name) or not (d / "train.csv").is_file():
            continue
        out.append(DataSet(task, d.parent.name, d.name, _licence(readme), d))
    return out


# Sentiment sets whose whole domain is one topic: every row is an example of
# it. English has too few permissive business stories (HuffPost: 152) for a
# classifier to learn the economy class from; financial-news tweets are
# nothing but that.
TOPIC_BY_DOMAIN = {("en", "twitter_financial_news"): "economy"}
DOMAIN_ROWS = 3000


# Topic sets read as neutral examples for the sentiment models (the
# three-way one; the two-way one learns from positive and negative rows
# alone). Chinese sentiment data is stock-forum posts and shop reviews: its
# only neutral class is a forum's, and the model read most plain Chinese news
# sentences as positive (33 of the 40 neutral ones in tests/eval). SIB-200's
# encyclopedic sentences show it what a plain statement reads like. Arabic
# and English have neutral news rows of their own (SemEval's headlines,
# NewsMTSC), and for Arabic the same rows cost binary accuracy on SemEval.
NEUTRAL_PROSE = {("zh", "sib200")}


def training_sets(task: str, lang: str, permissive_only: bool = False) -> list[DataSet]:
    """The sets a shipped model of this task and language may learn from:
    the permissive ones; research-only ones too only where the language has
    no permissive data for the task (../shared/data/README.md)."""
    sets = data_sets(task, lang)
    if task == "topics":
        sets += [s for s in data_sets("sentiment", lang) if (lang, s.name) in TOPIC_BY_DOMAIN]
    free = [s for s in sets if s.licence == "permissive"]
    chosen = free if permissive_only or free and not _needs_research(task, lang, free) else sets
    if task == "sentiment" and chosen:  # neutral prose only beside labelled sentiment data
        chosen = chosen + [s for s in data_sets("topics", lang) if (lang, s.name) in NEUTRAL_PROSE
                           and (s.licence == "permissive" or not permissive_only)]
    return chosen


def _needs_research(task: str, lang: str, free: list[DataSet]) -> bool:
    """True when the permissive sets lack a class the model must learn:
    Chinese topics have permissive sentences (SIB-200) but no permissive
    economy data at all, so the research-only sets are the only source."""
    if task != "topics":
        return False
    labels = set()
    for s in free:
        labels |= set(s.read("train", task)["label"].unique().to_list())
    return not {"economy", "technology", "politics"} <= labels
