"""A small generated warehouse for the analyst tests: a few weeks of coverage
in ar, zh and en over the test vocabulary, loaded through the real load_batch,
with quiet days, near-copies and, on request, a planted spike."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from warehouse.load import Batch, load_batch

UTC = timezone.utc
SOURCES = {"en": "ledger", "ar": "alwasat", "zh": "huaxia"}
TOPICS = ["ai", "ai_models", "semiconductors", "stock_markets"]
ENTITIES = ["deepseek", "tencent", "china", "pboc"]
# Our own sentences, a few per language, so search and snippets have text to work on.
LINES = {
    "en": ["Analysts weighed the outlook for {e} as markets opened.",
           "The company said demand for its chips kept rising this quarter.",
           "Regulators in Beijing published a draft rule on model licensing."],
    "ar": ["ناقش المحللون توقعات {e} مع افتتاح الأسواق.",
           "قالت الشركة إن الطلب على رقائقها واصل الارتفاع هذا الربع.",
           "نشرت الجهات التنظيمية مسودة قاعدة لترخيص النماذج."],
    "zh": ["分析师在开盘时讨论了{e}的前景。",
           "公司表示本季度芯片需求持续上升。",
           "监管机构发布了模型许可的规则草案。"],
}


@dataclass
class Spike:
    day: date
    topic: str
    entity: str
    articles: int
    copies: int = 2  # near-copies of the first spike article, folded into it


@dataclass
class Corpus:
    start: date
    days: int
    seed: int = 7
    quiet_topic: str = "stock_markets"  # silent except on the spike day, if planted there
    spike: Spike | None = None
    rows: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    def _add(self, aid: str, day: date, lang: str, topic: str, entity: str, *, title: str,
             dup_of: str | None = None, opinion: bool = False, tone: float = 0.0, mentions: int = 1,
             first_sentence: int = 1, score: float = 10.0, also: tuple[str, ...] = ()) -> None:
        text = " ".join(line.format(e=entity) for line in LINES[lang])
        self.rows.append({
            "article_id": aid, "url": f"https://{SOURCES[lang]}.example/{aid}", "source_id": SOURCES[lang],
            "title": title, "text": text, "author": None, "lang": lang,
            "published_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC), "published_from": "html",
            "fetched_at": datetime(day.year, day.month, day.day, 12, tzinfo=UTC), "tone": tone,
            "positive": max(tone, 0.0), "negative": max(-tone, 0.0), "polarity": abs(tone), "word_count": 40,
            "dup_of": dup_of, "content_sha256": aid, "taxonomy_version": "test-1", "lexicon_version": "v",
            "is_opinion": opinion, "opinion_score": 1.0 if opinion else 0.0,
        })
        sentiment = round(tone / 5, 3)
        label = "positive" if sentiment > 0.25 else "negative" if sentiment < -0.25 else "neutral"
        self.rows[-1].update(sentiment=sentiment, sentiment_label=label)
        self.topics.append({"article_id": aid, "topic_id": topic, "hits": 2, "score": score, "is_direct": True,
                            "sentiment": sentiment, "sentiment_label": label})
        for ent, n in [(entity, mentions), *((a, 1) for a in also)]:
            self.entities.append({"article_id": aid, "entity_id": ent, "mentions": n, "first_sentence": first_sentence,
                                  "sentiment": sentiment, "sentiment_label": label})

    def generate(self) -> "Corpus":
        rnd = random.Random(self.seed)
        for i in range(self.days):
            day = self.start + timedelta(days=i)
            for n in range(rnd.randint(0, 3)):  # a background of 0-3 articles a day
                lang = rnd.choice(list(SOURCES))
                topic = rnd.choice([t for t in TOPICS if t != self.quiet_topic])
                self._add(f"bg{i:03d}{n}", day, lang, topic, rnd.choice(ENTITIES[1:]),
                          title=f"Background {i}-{n}", tone=rnd.uniform(-2, 2), opinion=n == 2)
        if self.spike:
            s = self.spike
            for n in range(s.articles):
                lang = list(SOURCES)[n % 3]
                self._add(f"sp{n:03d}", s.day, lang, s.topic, s.entity, title=f"Spike story {n}",
                          tone=-3.0, mentions=1 + (n == 0) * 4, first_sentence=0 if n == 0 else 2,
                          score=50.0 if n == 0 else 10.0 - n * 0.1, also=("china",))
            for c in range(s.copies):  # syndicated copies of the lead story
                self._add(f"cp{c:03d}", s.day, "en", s.topic, s.entity, title="Spike story 0 (wire copy)",
                          dup_of="sp000", tone=-3.0, also=("china",))
        return self

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def batch(self) -> Batch:
        return Batch(
            day=self.last_day,
            articles=pl.DataFrame(self.rows),
            topics=pl.DataFrame(self.topics),
            entities=pl.DataFrame(self.entities),
            quarantine=pl.DataFrame(
                {"record_id": ["q1", "q2"], "stage": ["validate", "extract"], "source_id": ["ledger", "huaxia"],
                 "url": ["https://ledger.example/q1", "https://huaxia.example/q2"],
                 "reasons": [["empty_text"], ["too_short"]], "payload": ["{}", "{}"]}),
            crawl_runs=[{"source_id": sid, "requests": 10, "responses": 9, "responses_by_status": {"200": 9},
                         "items": 5, "articles": 5, "bytes": 1000, "elapsed_s": 1.0,
                         "errors_by_kind": {"timeout": 1} if sid == "huaxia" else {}, "finish_reason": "finished"}
                        for sid in SOURCES.values()],
            dq_results=pl.DataFrame({"run_id": ["r"], "suite": ["articles"], "expectation": ["e"],
                                     "column_name": ["text"], "reason": ["empty_text"], "success": [False],
                                     "unexpected_count": [1], "observed_value": ["null"],
                                     "checked_at": [datetime.now(UTC)]}),
        )

    def load(self, vocab, path: Path) -> Path:
        load_batch(self.batch(), vocab, path)
        return path
