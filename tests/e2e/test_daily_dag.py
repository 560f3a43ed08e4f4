"""The real DAG through Airflow against the offline demo newsroom, twice.

Runs `mediamon run` as a user would (a subprocess with its own data dir), then
reads the DuckDB warehouse it produced."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from mediamon.demo.newsroom import Newsroom, load_articles
from tests.conftest import run_notes, seed_airflow
from transforms.vocab import load_vocabulary

pytestmark = pytest.mark.e2e
ANCHOR = date(2026, 11, 25)
# A JavaScript shell still has a header and a footer that an extractor may
# keep, so an empty body shows up as empty or as far too short.
BROKEN_REASONS = {
    "empty_body": {"empty_text", "length_out_of_bounds"}, "future_date": {"future_date"},
    "too_short": {"length_out_of_bounds"}, "wrong_language": {"unexpected_language"},
    "dead_link": {"http_status:404"},
}


def mediamon_run(data_dir, sources) -> subprocess.CompletedProcess:
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "mediamon.cli", "run", "--date", ANCHOR.isoformat(), "--sources", str(sources)],
        env=env, capture_output=True, text=True, timeout=900,
    )


def snapshot(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": con.execute("SELECT * EXCLUDE (loaded_at) FROM articles ORDER BY article_id").fetchall(),
            "topics": con.execute("SELECT * FROM article_topics ORDER BY ALL").fetchall(),
            "entities": con.execute("SELECT * FROM article_entities ORDER BY ALL").fetchall(),
            "quarantine": con.execute(
                "SELECT record_id, stage, reasons, crawl_date FROM quarantine ORDER BY ALL").fetchall(),
            "crawl_runs": con.execute("SELECT crawl_date, source_id, articles FROM crawl_runs ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, airflow_home_template):
    data_dir = tmp_path_factory.mktemp("e2e") / "data"
    seed_airflow(airflow_home_template, data_dir)
    with Newsroom(anchor=ANCHOR) as newsroom:
        sources = newsroom.write_sources(tmp_path_factory.mktemp("cfg") / "sources.yaml")
        urls = {(a.outlet_id, a.slug): newsroom.outlet(a.outlet_id).url_for(a.slug)
                for a in load_articles(ANCHOR)}
        first = mediamon_run(data_dir, sources)
        db = data_dir / "warehouse" / "mediamon.duckdb"
        after_first = snapshot(db) if first.returncode == 0 else None
        second = mediamon_run(data_dir, sources)
    return {"first": first, "second": second, "db": db, "after_first": after_first, "urls": urls,
            "sources": sources}


@pytest.fixture(scope="module")
def con(runs):
    assert runs["first"].returncode == 0, runs["first"].stdout[-3000:] + runs["first"].stderr[-3000:]
    c = duckdb.connect(str(runs["db"]), read_only=True)
    yield c
    c.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def article_ids(con) -> dict[str, str]:
    from core.urls import canonical_url

    return {canonical_url(u): a for u, a in q(con, "SELECT url, article_id FROM articles")}


def test_run_succeeds_and_reports_success(runs, con):
    assert "success" in runs["first"].stdout


def test_without_a_scheduler_the_run_is_in_process_and_still_gets_its_note(runs, con):
    assert "no scheduler running: running in-process (dag.test)" in runs["first"].stdout
    # the second run of the date replaced the first, note included
    (note,) = run_notes(runs["db"].parent.parent).values()
    per_source = dict(q(con, "SELECT source_id, COUNT(*) FROM articles GROUP BY 1"))
    assert note.startswith(f"**{ANCHOR}: {sum(per_source.values())} articles from 3 of 3 sources")
    assert "- Articles per source: " + ", ".join(f"{s} {n}" for s, n in sorted(per_source.items())) in note


def test_all_three_languages_are_loaded(con):
    per_lang = dict(q(con, "SELECT lang, COUNT(*) FROM articles GROUP BY lang"))
    assert set(per_lang) == {"ar", "zh", "en"}
    assert all(n >= 20 for n in per_lang.values()), per_lang


def test_every_listed_article_is_loaded_or_quarantined(runs, con):
    from core.urls import canonical_url

    loaded = {canonical_url(u) for (u,) in q(con, "SELECT url FROM articles")}
    quarantined = {canonical_url(u) for (u,) in q(con, "SELECT url FROM quarantine")}
    listed = {canonical_url(u) for u in runs["urls"].values()}
    assert listed - loaded - quarantined == set()
    assert loaded.isdisjoint(quarantined)


def test_broken_fixtures_are_quarantined_with_the_right_reason(runs, con):
    from core.urls import canonical_url

    reasons = {canonical_url(u): r for u, r in q(con, "SELECT url, reasons FROM quarantine")}
    broken = [a for a in load_articles(ANCHOR) if a.broken]
    assert len(broken) >= 5
    for a in broken:
        url = canonical_url(runs["urls"][(a.outlet_id, a.slug)])
        assert url in reasons, f"{a.outlet_id}/{a.slug} ({a.broken}) not quarantined"
        assert BROKEN_REASONS[a.broken] & set(reasons[url]), (a.slug, reasons[url])


def test_near_copies_point_to_their_original(runs, con):
    from core.urls import canonical_url

    ids = article_ids(con)
    dup_of = dict(q(con, "SELECT article_id, dup_of FROM articles"))
    copies = [a for a in load_articles(ANCHOR) if a.copy_of and not a.broken]
    assert len(copies) >= 3
    for a in copies:
        copy_id = ids[canonical_url(runs["urls"][(a.outlet_id, a.slug)])]
        original_id = ids[canonical_url(runs["urls"][(a.outlet_id, a.copy_of)])]
        assert dup_of[copy_id] == original_id, a.slug
    assert q(con, "SELECT COUNT(*) FROM articles WHERE dup_of IS NOT NULL")[0][0] == len(copies)


def test_entities_are_found_where_the_articles_name_them(runs, con):
    from core.urls import canonical_url

    by_name = {e.name.lower(): e.id for e in load_vocabulary().gazetteer.entities}
    ids = article_ids(con)
    found = set(q(con, "SELECT article_id, entity_id FROM article_entities"))
    expected = [
        (ids[canonical_url(runs["urls"][(a.outlet_id, a.slug)])], by_name[n.lower()])
        for a in load_articles(ANCHOR) if not a.broken
        for n in (a.expect or {}).get("entities", []) if n.lower() in by_name
    ]
    assert len(expected) >= 100
    recall = sum(pair in found for pair in expected) / len(expected)
    assert recall >= 0.85, recall


def test_topics_and_tone_are_in_the_trend_views(con):
    langs_per_topic = dict(q(con, "SELECT topic_id, COUNT(DISTINCT lang) FROM daily_topic_volume GROUP BY 1"))
    # the beat's core topics are found in all three languages
    for topic in ("ai_models", "semiconductors", "stock_markets"):
        assert langs_per_topic.get(topic) == 3, (topic, langs_per_topic)
    tones = dict(q(con, "SELECT lang, AVG(tone) FROM articles GROUP BY lang"))
    assert all(-100 <= t <= 100 for t in tones.values())
    assert q(con, "SELECT COUNT(*) FROM articles WHERE polarity > 0")[0][0] >= 50


def test_crawl_runs_record_each_source(con):
    rows = q(con, "SELECT source_id, requests, articles, errors_by_kind FROM crawl_runs ORDER BY source_id")
    assert [r[0] for r in rows] == ["alwasat", "huaxia", "ledger"]
    assert all(r[2] >= 20 and r[1] > r[2] for r in rows)
    ledger = rows[2]
    assert ledger[3].get("http_4xx") == 1  # its dead link


def test_second_run_changes_nothing(runs, con):
    assert runs["second"].returncode == 0, runs["second"].stderr[-3000:]
    assert snapshot(runs["db"]) == runs["after_first"]


def test_reprocess_after_a_taxonomy_change_rewrites_versions_not_counts(runs, con, tmp_path):
    """After the two runs: bump the taxonomy version, reprocess the date from the
    raw archive with the newsroom gone (no network), and read the result as a
    user would, through `mediamon sql` (this process holds the old file open)."""
    import json
    import shutil

    import yaml

    from core.settings import CONFIG_DIR

    cfg = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, cfg)
    taxonomy = yaml.safe_load((cfg / "taxonomy.yaml").read_text())
    taxonomy["version"] = "reprocess-test"
    (cfg / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False))
    before = q(con, "SELECT COUNT(*), COUNT(DISTINCT taxonomy_version) FROM articles")[0]
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(runs["db"].parent.parent), "MEDIAMON_CONFIG_DIR": str(cfg)}
    res = subprocess.run([sys.executable, "-m", "mediamon.cli", "reprocess", ANCHOR.isoformat(), ANCHOR.isoformat(),
                          "--sources", str(runs["sources"])], env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    out = subprocess.run([sys.executable, "-m", "mediamon.cli", "sql", "--format", "json",
                          "SELECT COUNT(*) AS n, list(DISTINCT taxonomy_version) AS versions FROM articles"],
                         env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    after = json.loads(out)[0]
    assert after["n"] == before[0] and after["versions"] == ["reprocess-test"]
