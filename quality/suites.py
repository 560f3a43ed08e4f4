"""Great Expectations suites, in code. Each expectation carries a `reason`
in its meta: the word a quarantined row is labelled with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MIN_WORDS = 40          # below this a page is a stub, a teaser or a JS shell
MAX_WORDS = 50_000      # above this it is a dump, not an article
TONE_RANGE = (-100.0, 100.0)


@dataclass(frozen=True)
class SuiteParams:
    allowed_source_langs: tuple[str, ...]   # "source_id:lang" pairs declared in sources.yaml
    latest_published_at: datetime            # end of the logical day, tz-aware


def article_expectations(p: SuiteParams) -> list:
    import great_expectations as gx

    E = gx.expectations
    return [
        E.ExpectColumnValuesToNotBeNull(column="article_id", meta={"reason": "missing_id"}),
        E.ExpectColumnValuesToBeUnique(column="article_id", meta={"reason": "duplicate_id"}),
        E.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://[^\s/]+", meta={"reason": "bad_url"}),
        E.ExpectColumnValuesToNotBeNull(column="title", meta={"reason": "missing_title"}),
        E.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1, meta={"reason": "empty_text"}),
        E.ExpectColumnValuesToBeBetween(column="word_count", min_value=MIN_WORDS, max_value=MAX_WORDS,
                                        meta={"reason": "length_out_of_bounds"}),
        E.ExpectColumnValuesToNotBeNull(column="published_at", meta={"reason": "missing_date"}),
        E.ExpectColumnValuesToBeBetween(column="published_at", max_value=p.latest_published_at,
                                        meta={"reason": "future_date"}),
        E.ExpectColumnValuesToBeInSet(column="source_lang", value_set=list(p.allowed_source_langs),
                                      meta={"reason": "unexpected_language"}),
        E.ExpectColumnValuesToNotBeNull(column="tone", meta={"reason": "tone_missing"}),
        E.ExpectColumnValuesToBeBetween(column="tone", min_value=TONE_RANGE[0], max_value=TONE_RANGE[1],
                                        meta={"reason": "tone_out_of_range"}),
        E.ExpectColumnValuesToBeBetween(column="polarity", min_value=0, max_value=100,
                                        meta={"reason": "polarity_out_of_range"}),
    ]


def batch_expectations() -> list:
    import great_expectations as gx

    return [gx.expectations.ExpectTableRowCountToBeBetween(min_value=1, meta={"reason": "empty_batch"})]
