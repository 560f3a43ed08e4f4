"""Near-duplicates in bulk: copies point to the earliest original, short
items are caught too, different texts are left alone."""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from transforms import dedup
from transforms.segment import with_word_forms
from transforms.sentences import split_sentences

STORY = ("The central bank kept its benchmark rate unchanged on Thursday and said it would watch "
         "exports closely, while officials in Beijing promised more support for private firms and for "
         "households hit by the long slump in the property market across the largest cities.")
OTHER = ("A new electric car plant opened near the coast this week, with robots assembling batteries "
         "for vehicles sold in Europe and Southeast Asia, the company said in a statement to investors.")


def run(rows):
    df = pl.DataFrame(rows).with_columns(pl.col("published_at").str.to_datetime(time_zone="UTC"))
    got = dedup.dup_of(with_word_forms(split_sentences(df), "sentence"), df)
    return dict(got.iter_rows())


def test_copies_point_to_the_earliest_original_and_others_stay_alone():
    got = run([
        {"article_id": "wire", "lang": "en", "title": "Rates", "text": STORY + " Reporting by staff.",
         "published_at": "2026-11-20T10:00:00Z"},
        {"article_id": "orig", "lang": "en", "title": "Rates", "text": STORY, "published_at": "2026-11-20T08:00:00Z"},
        {"article_id": "copy2", "lang": "en", "title": "Rates", "text": STORY + " Reporting by staff. Edited.",
         "published_at": "2026-11-21T08:00:00Z"},
        {"article_id": "other", "lang": "en", "title": "Cars", "text": OTHER, "published_at": "2026-11-20T09:00:00Z"},
        {"article_id": "zh1", "lang": "zh", "title": "", "text": "央行周四维持基准利率不变，并表示将密切关注出口形势。",
         "published_at": "2026-11-20T09:00:00Z"},
        {"article_id": "zh2", "lang": "zh", "title": "", "text": "央行周四维持基准利率不变，并表示将密切关注出口形势。",
         "published_at": "2026-11-20T11:00:00Z"},
    ])
    assert got == {"orig": None, "other": None, "wire": "orig", "copy2": "orig", "zh1": None, "zh2": "zh1"}
