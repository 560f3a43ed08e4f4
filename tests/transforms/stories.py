"""Short stories written for the tests, enriched as `mediamon enrich` would
(each with the language it is given)."""
from __future__ import annotations

import polars as pl

from transforms.enrich import Enriched, enrich_frame


def enrich_stories(rows: list[tuple[str, str, str]]) -> Enriched:
    """rows: (article_id, lang, text)."""
    return enrich_frame(pl.DataFrame({"article_id": [r[0] for r in rows], "lang": [r[1] for r in rows],
                                      "title": [None] * len(rows), "text": [r[2] for r in rows]},
                                     schema={"article_id": pl.String, "lang": pl.String, "title": pl.String,
                                             "text": pl.String}), trust_lang=True)


def topics_by_story(rows: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {r[0]: set() for r in rows}
    for aid, topic in enrich_stories(rows).topics.select("article_id", "topic_id").iter_rows():
        out[aid].add(topic)
    return out
