"""Great Expectations suites, in code. Each expectation carries a `reason`
in its meta: the word a quarantined row is labelled with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Body length, not counting the headline: below this a page is a stub, a
# teaser or a JavaScript shell whose only text is the metadata around it.
# Chinese is counted in characters, Arabic and English in words.
MIN_LENGTH = {"zh": 150, "ar": 80, "en": 80}
MAX_LENGTH = {"zh": 60_000, "ar": 30_000, "en": 30_000}
TONE_RANGE = (-100.0, 100.0)


@dataclass(frozen=True)
class SuiteParams:
    allowed_source_langs: tuple[str, ...]   # "source_id:lang" pairs declared in sources.yaml
    latest_published_at: datetime            # end of the logical day, tz-aware


def article_expectations(p: SuiteParams) -> list:
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    E = gx.expectations
    return [
        E.ExpectColumnValuesToNotBeNull(column="article_id", meta={"reason": "missing_id"}),
        E.ExpectColumnValuesToBeUnique(column="article_id", meta={"reason": "duplicate_id"}),
        E.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://[^\s/]+", meta={"reason": "bad_url"}),
        E.ExpectColumnValuesToNotBeNull(column="title", meta={"reason": "missing_title"}),
        E.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1, meta={"reason": "empty_text"}),
        *[E.ExpectColumnValuesToBeBetween(column="text_length", min_value=MIN_LENGTH[lang],
                                          max_value=MAX_LENGTH[lang], row_condition=Column("lang") == lang,
                                          meta={"reason": "length_out_of_bounds"})
          for lang in sorted(MIN_LENGTH)],
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
