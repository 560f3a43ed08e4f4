"""Great Expectations on crafted rows: each bad row is caught with its reason."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl
import pytest

from core.settings import CONFIG_DIR
from quality.suites import SuiteParams
from quality.thresholds import load_rules
from quality.validate import BatchRejected, validate_batch

UTC = timezone.utc
RULES = load_rules(CONFIG_DIR)
PARAMS = SuiteParams(rules=RULES, allowed_source_langs=("ex:en", "ex_ar:ar", "ex_zh:zh"),
                     known_sources=("ex", "ex_ar", "ex_zh"),
                     latest_published_at=datetime(2026, 11, 26, 12, tzinfo=UTC),
                     topic_ids=("ai", "ai_models"), entity_ids=("deepseek",))
WINDOWS = {s: datetime(2026, 10, 26, tzinfo=UTC) for s in PARAMS.known_sources}
# The crafted batch below is mostly bad on purpose: only warn on the share.
LENIENT = SuiteParams(**{**PARAMS.__dict__, "rules": RULES.model_copy(update={"batch": RULES.batch.model_copy(
    update={"severity": {**RULES.batch.severity, "quarantine_share": "warn"}})})})


def row(aid, **kw):
    base = {"article_id": aid, "url": f"https://example.org/{aid}", "source_id": "ex", "title": "A title",
            "text": f"{aid} says " + "word " * 90, "word_count": 93, "lang": "en",
            "published_at": datetime(2026, 11, 20, tzinfo=UTC), "tone": 1.0, "positive": 2.0,
            "negative": 1.0, "polarity": 3.0, "dup_of": None, "taxonomy_version": "t", "lexicon_version": "l"}
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
        row("stranger", source_id="not_configured"),
        row("ancient", published_at=datetime(2025, 1, 1, tzinfo=UTC)),
        row("gap", polarity=1.0),
        row("unversioned", taxonomy_version=None),
        row("dangling", dup_of="no_such_article"),
        row("copy", dup_of="good"),
        row("bad_topic"), row("bad_entity"),
        *[row(f"tpl{i}", text="Subscribe to our newsletter\nCopyright The Outlet\nShare this story\n"
              f"Story {i} says " + "word " * 90) for i in range(5)],
    ]
    df = pl.DataFrame(rows, schema_overrides={"published_at": pl.Datetime("us", "UTC"), "dup_of": pl.String,
                                              "taxonomy_version": pl.String})
    # good's ai_models root comes from the topic classifier alone: no phrase hit, and that is fine
    topics = pl.DataFrame({"article_id": ["good", "good", "bad_topic"], "topic_id": ["ai", "ai_models", "astrology"],
                           "hits": [2, 0, 1], "is_direct": [True, True, True]})
    entities = pl.DataFrame({"article_id": ["good", "bad_entity"], "entity_id": ["deepseek", "nobody"],
                             "mentions": [1, 1]})
    return validate_batch(df, LENIENT, "run-1", topics=topics, entities=entities, windows=WINDOWS)


def reasons(outcome):
    return {r["record_id"]: sorted(r["reasons"]) for r in outcome.quarantined.to_dicts()}


def test_good_rows_pass(outcome):
    assert sorted(outcome.passed["article_id"].to_list()) == ["copy", "good", "good_ar", "good_zh"]


@pytest.mark.parametrize("aid, reason", [
    ("empty", "empty_text"), ("empty", "length_out_of_bounds"), ("future", "future_date"),
    ("undated", "missing_date"), ("short", "length_out_of_bounds"), ("wrong_lang", "unexpected_language"),
    ("nan_tone", "tone_missing"), ("wild_tone", "tone_out_of_range"), ("untitled", "missing_title"),
    ("bad_url", "bad_url"), ("short_zh", "length_out_of_bounds"), ("stranger", "unknown_source"),
    ("ancient", "older_than_window"), ("gap", "polarity_below_parts"), ("unversioned", "missing_version"),
    ("dangling", "dangling_dup_of"), ("bad_topic", "unknown_topic"), ("bad_entity", "unknown_entity"),
    ("tpl0", "mostly_boilerplate"), ("tpl4", "mostly_boilerplate"),
])
def test_each_bad_row_is_quarantined_with_its_reason(outcome, aid, reason):
    assert reason in reasons(outcome)[aid]


def test_nothing_is_lost(outcome):
    assert outcome.passed.height + outcome.quarantined.height == 26


def test_quarantine_keeps_the_record(outcome):
    q = {r["record_id"]: r for r in outcome.quarantined.to_dicts()}
    payload = json.loads(q["future"]["payload"])
    assert payload["article_id"] == "future" and payload["url"].endswith("/future")
    assert q["future"]["stage"] == "validate"


def test_results_are_recorded_per_expectation(outcome):
    res = outcome.results
    assert res.filter(pl.col("reason") == "future_date")["unexpected_count"].to_list() == [1]
    assert res.filter(pl.col("reason") == "missing_id")["success"].to_list() == [True]
    assert set(res["suite"]) == {"articles", "article_topics", "article_entities", "sources"}


def test_an_empty_batch_is_rejected():
    empty = pl.DataFrame([row("x")], schema_overrides={"published_at": pl.Datetime("us", "UTC"),
                                                       "dup_of": pl.String}).clear()
    with pytest.raises(BatchRejected, match="empty_batch"):
        validate_batch(empty, PARAMS, "run-2", windows=WINDOWS)


def _mostly_bad_source_and_a_good_one():
    rows = [row("ok1"), row("ok2"), row("bad1", text=""), row("bad2", text=""), row("bad3", text=""),
            row("ar1", source_id="ex_ar", lang="ar"), row("ar2", source_id="ex_ar", lang="ar")]
    return pl.DataFrame(rows, schema_overrides={"published_at": pl.Datetime("us", "UTC"), "dup_of": pl.String})


@pytest.mark.parametrize("policy", ["load", "hold"])
def test_a_source_that_mostly_fails_never_blocks_another(policy):
    out = validate_batch(_mostly_bad_source_and_a_good_one(), PARAMS, "run-3", windows=WINDOWS,
                         records={"ex": 5, "ex_ar": 2, "ex_zh": 0}, policies={"ex": policy})
    share = out.health.filter((pl.col("source_id") == "ex") & (pl.col("check_name") == "quarantine_share")).row(
        0, named=True)
    assert share["observed"] == pytest.approx(0.6) and not share["passed"]
    assert share["action"] == ("held" if policy == "hold" else "degraded")
    # the other source loads, unflagged, whatever happened to ex
    ar = out.passed.filter(pl.col("source_id") == "ex_ar")
    assert sorted(ar["article_id"]) == ["ar1", "ar2"] and not ar["degraded"].any()
    ex = out.passed.filter(pl.col("source_id") == "ex")
    held = out.quarantined.filter(pl.col("stage") == "hold")
    if policy == "load":
        assert sorted(ex["article_id"]) == ["ok1", "ok2"] and ex["degraded"].all() and held.is_empty()
    else:
        assert ex.is_empty()
        assert sorted(held["record_id"]) == ["ok1", "ok2"]
        assert held["reasons"].to_list() == [["held:quarantine_share"]] * 2
    # nothing lost: 7 rows in, 7 out
    assert out.passed.height + out.quarantined.height == 7


def test_fetch_failures_do_not_count_towards_the_quarantine_share():
    rows = [row("ok1"), row("ok2"), row("ok3")]
    df = pl.DataFrame(rows, schema_overrides={"published_at": pl.Datetime("us", "UTC"), "dup_of": pl.String})
    # a feed whose items mostly 404 or time out: 3 pages arrived, 6 did not
    prior = pl.DataFrame({"source_id": ["ex"] * 6,
                          "reasons": [["http_status:404"]] * 4 + [["fetch_failed:timeout"], ["fetch_failed:too_large"]]})
    out = validate_batch(df, PARAMS, "run-5", windows=WINDOWS, records={"ex": 9, "ex_ar": 0, "ex_zh": 0},
                         prior_rejects=prior)
    share = out.health.filter((pl.col("source_id") == "ex") & (pl.col("check_name") == "quarantine_share"))
    assert share["observed"].to_list() == [0.0] and share["passed"].all()
    assert out.passed.height == 3 and not out.passed["degraded"].any()


def test_volume_against_history_warns_without_blocking():
    df = pl.DataFrame([row("only")], schema_overrides={"published_at": pl.Datetime("us", "UTC"), "dup_of": pl.String})
    out = validate_batch(df, PARAMS, "run-4", windows=WINDOWS, records={"ex": 1, "ex_ar": 0, "ex_zh": 0},
                         history={"ex": 30.0, "ex_ar": 20.0}, history_days={"ex": 7, "ex_ar": 7})
    vol = out.results.filter(pl.col("reason") == "source_volume").to_dicts()[0]
    assert vol["success"] is False and json.loads(vol["observed_value"]) == ["ex", "ex_ar"]
    ratios = dict(out.sources.select("source_id", "volume_ratio").iter_rows())
    assert ratios["ex"] == pytest.approx(1 / 30) and ratios["ex_ar"] == 0.0 and ratios["ex_zh"] is None
    assert out.passed.height == 1


def test_data_docs_are_built_when_asked(tmp_path):
    df = pl.DataFrame([row("a1"), row("a2")], schema_overrides={"published_at": pl.Datetime("us", "UTC"),
                                                                "dup_of": pl.String})
    validate_batch(df, PARAMS, "manual__2026-11-25", windows=WINDOWS, docs_root=tmp_path,
                   records={"ex": 2, "ex_ar": 0, "ex_zh": 0})
    site = tmp_path / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert (site / "index.html").exists()
    pages = list((site / "validations").rglob("*.html"))
    assert {p.relative_to(site / "validations").parts[0] for p in pages} >= {"articles", "sources"}
