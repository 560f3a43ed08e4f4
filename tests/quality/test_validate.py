"""Great Expectations on crafted rows: each bad row is caught with its reason."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl
import pytest

from quality.suites import SuiteParams
from quality.validate import BatchRejected, validate_batch

UTC = timezone.utc
PARAMS = SuiteParams(allowed_source_langs=("ex:en", "ex_ar:ar", "ex_zh:zh"),
                     latest_published_at=datetime(2026, 11, 26, 12, tzinfo=UTC))


def row(aid, **kw):
    base = {"article_id": aid, "url": f"https://example.org/{aid}", "source_id": "ex", "title": "A title",
            "text": "word " * 90, "word_count": 91, "lang": "en",
            "published_at": datetime(2026, 11, 20, tzinfo=UTC), "tone": 1.0, "polarity": 3.0}
    return {**base, **kw}


@pytest.fixture(scope="module")
def outcome():
    rows = [
        row("good"),
        row("good_ar", source_id="ex_ar", lang="ar"),
        row("good_zh", source_id="ex_zh", lang="zh", text="字" * 160),
        row("short_zh", source_id="ex_zh", lang="zh", text="字" * 140),
        row("empty", text="", word_count=2),
        row("future", published_at=datetime(2027, 1, 1, tzinfo=UTC)),
        row("undated", published_at=None),
        row("short", text="Too short.", word_count=2),
        row("wrong_lang", lang="fr"),
        row("nan_tone", tone=float("nan")),
        row("wild_tone", tone=250.0),
        row("untitled", title=None),
        row("bad_url", url="javascript:alert(1)"),
    ]
    df = pl.DataFrame(rows, schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    return validate_batch(df, PARAMS, "run-1")


def reasons(outcome):
    return {r["record_id"]: sorted(r["reasons"]) for r in outcome.quarantined.to_dicts()}


def test_good_rows_pass(outcome):
    assert sorted(outcome.passed["article_id"].to_list()) == ["good", "good_ar", "good_zh"]


@pytest.mark.parametrize("aid, reason", [
    ("empty", "empty_text"), ("empty", "length_out_of_bounds"), ("future", "future_date"),
    ("undated", "missing_date"), ("short", "length_out_of_bounds"), ("wrong_lang", "unexpected_language"),
    ("nan_tone", "tone_missing"), ("wild_tone", "tone_out_of_range"), ("untitled", "missing_title"),
    ("bad_url", "bad_url"), ("short_zh", "length_out_of_bounds"),
])
def test_each_bad_row_is_quarantined_with_its_reason(outcome, aid, reason):
    assert reason in reasons(outcome)[aid]


def test_nothing_is_lost(outcome):
    assert outcome.passed.height + outcome.quarantined.height == 13


def test_quarantine_keeps_the_record(outcome):
    q = {r["record_id"]: r for r in outcome.quarantined.to_dicts()}
    payload = json.loads(q["future"]["payload"])
    assert payload["article_id"] == "future" and payload["url"].endswith("/future")
    assert q["future"]["stage"] == "validate"


def test_results_are_recorded_per_expectation(outcome):
    res = outcome.results
    assert res.filter(pl.col("reason") == "future_date")["unexpected_count"].to_list() == [1]
    assert res.filter(pl.col("reason") == "missing_id")["success"].to_list() == [True]


def test_an_empty_batch_is_rejected():
    empty = pl.DataFrame([row("x")], schema_overrides={"published_at": pl.Datetime("us", "UTC")}).clear()
    with pytest.raises(BatchRejected, match="empty_batch"):
        validate_batch(empty, PARAMS, "run-2")
