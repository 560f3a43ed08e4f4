"""Great Expectations suites, in code.

Each expectation carries a `reason` in its meta: the word a quarantined row,
or a rejected batch, is labelled with. Row-level suites index rows by
article_id; the batch suite runs on one row per source, indexed by source_id."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from quality.thresholds import QualityRules


@dataclass(frozen=True)
class SuiteParams:
    rules: QualityRules
    allowed_source_langs: tuple[str, ...]   # "source_id:lang" pairs declared in sources.yaml
    known_sources: tuple[str, ...]
    latest_published_at: datetime            # end of the logical day plus tolerance, tz-aware
    topic_ids: tuple[str, ...] = ()
    entity_ids: tuple[str, ...] = ()
    known_article_ids: tuple[str, ...] = field(default=())  # dup_of targets found in the warehouse


def article_expectations(p: SuiteParams) -> list:
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    E, r = gx.expectations, p.rules.rows
    length_checks = [
        E.ExpectColumnValuesToBeBetween(
            column="text_length", min_value=r.min_length[lang], max_value=r.max_length[lang],
            row_condition=Column("lang") == lang, meta={"reason": "length_out_of_bounds"})
        for lang in sorted(r.min_length)
    ]
    return [
        E.ExpectColumnValuesToNotBeNull(column="article_id", meta={"reason": "missing_id"}),
        E.ExpectColumnValuesToBeUnique(column="article_id", meta={"reason": "duplicate_id"}),
        E.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://[^\s/]+", meta={"reason": "bad_url"}),
        E.ExpectColumnValuesToBeInSet(column="source_id", value_set=list(p.known_sources),
                                      meta={"reason": "unknown_source"}),
        E.ExpectColumnValuesToNotBeNull(column="title", meta={"reason": "missing_title"}),
        E.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1, meta={"reason": "empty_text"}),
        *length_checks,
        E.ExpectColumnValuesToBeBetween(column="repeated_line_share", max_value=r.max_repeated_line_share,
                                        meta={"reason": "mostly_boilerplate"}),
        E.ExpectColumnValuesToNotBeNull(column="published_at", meta={"reason": "missing_date"}),
        E.ExpectColumnValuesToBeBetween(column="published_at", max_value=p.latest_published_at,
                                        meta={"reason": "future_date"}),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="published_at", column_B="window_start", or_equal=True,
                                                  ignore_row_if="either_value_is_missing",
                                                  meta={"reason": "older_than_window"}),
        E.ExpectColumnValuesToBeInSet(column="source_lang", value_set=list(p.allowed_source_langs),
                                      meta={"reason": "unexpected_language"}),
        E.ExpectColumnValuesToNotBeNull(column="tone", meta={"reason": "tone_missing"}),
        E.ExpectColumnValuesToBeBetween(column="tone", min_value=-100, max_value=100,
                                        meta={"reason": "tone_out_of_range"}),
        E.ExpectColumnValuesToBeBetween(column="polarity", min_value=0, max_value=100,
                                        meta={"reason": "polarity_out_of_range"}),
        E.ExpectColumnValuesToBeBetween(column="sentiment", min_value=-1, max_value=1,
                                        meta={"reason": "sentiment_out_of_range"}),
        # positive + negative <= polarity, up to the rounding of three stored decimals
        E.ExpectColumnValuesToBeBetween(column="polarity_gap", min_value=-0.002,
                                        meta={"reason": "polarity_below_parts"}),
        E.ExpectColumnValuesToNotBeNull(column="taxonomy_version", meta={"reason": "missing_version"}),
        E.ExpectColumnValuesToNotBeNull(column="lexicon_version", meta={"reason": "missing_version"}),
        E.ExpectColumnValuesToBeInSet(column="dup_of", value_set=list(p.known_article_ids),
                                      meta={"reason": "dangling_dup_of"}),
    ]


def topic_expectations(p: SuiteParams) -> list:
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    E = gx.expectations
    return [
        E.ExpectColumnValuesToBeInSet(column="topic_id", value_set=list(p.topic_ids), meta={"reason": "unknown_topic"}),
        # a root the topic classifier assigns on its own has no phrase hit (hits 0, direct)
        E.ExpectColumnValuesToBeBetween(column="hits", min_value=0, meta={"reason": "negative_topic_hits"}),
        E.ExpectColumnValuesToBeBetween(column="hits", min_value=1, row_condition=Column("is_direct") == False,  # noqa: E712
                                        meta={"reason": "inherited_topic_without_hits"}),
    ]


def entity_expectations(p: SuiteParams) -> list:
    import great_expectations as gx

    E = gx.expectations
    return [
        E.ExpectColumnValuesToBeInSet(column="entity_id", value_set=list(p.entity_ids), meta={"reason": "unknown_entity"}),
        E.ExpectColumnValuesToBeBetween(column="mentions", min_value=1, meta={"reason": "entity_without_mentions"}),
    ]


def source_expectations(p: SuiteParams) -> list:
    """Batch level, one row per source: volume against its own history, and
    how much of what it sent was rejected."""
    import great_expectations as gx

    E, b = gx.expectations, p.rules.batch
    return [
        E.ExpectTableRowCountToBeBetween(min_value=1, meta={"reason": "empty_batch"}),
        E.ExpectColumnValuesToBeBetween(column="volume_ratio", min_value=b.min_ratio, max_value=b.max_ratio,
                                        meta={"reason": "source_volume"}),
        E.ExpectColumnValuesToBeBetween(column="quarantine_share", max_value=b.max_quarantine_share,
                                        meta={"reason": "quarantine_share"}),
    ]
