"""What the next crawl treats as already held, read from earlier days' journals."""
from __future__ import annotations

import json
from datetime import date

from crawlers.state import INDEX_NAME, from_archive


def partition(raw, day: str, entries: list[dict], errors: dict | None = None):
    d = raw / f"date={day}" / "source=s"
    d.mkdir(parents=True)
    (d / INDEX_NAME).write_text("".join(json.dumps(e) + "\n" for e in entries))
    (d / "crawl_stats.json").write_text(json.dumps({"errors_by_kind": errors or {}}))


def test_only_pages_held_count_as_known_and_only_complete_runs_give_validators(tmp_path):
    raw = tmp_path / "raw"
    partition(raw, "2026-11-20", [
        {"url": "https://n.example/a?utm_source=x", "listed_url": "https://n.example/a-old", "role": "article",
         "status": 200},
        {"url": "https://n.example/b", "role": "article", "skipped": "known"},
        {"url": "https://n.example/c", "role": "article", "skipped": "outside_window"},
        {"url": "https://n.example/d", "role": "article", "error_kind": "timeout"},
        {"url": "https://n.example/e", "role": "article", "status": 404},
        {"url": "https://n.example/feed", "role": "feed", "status": 200, "etag": '"v1"'},
    ])
    partition(raw, "2026-11-21", [  # lost pages to a timeout: its feed validators must not be reused
        {"url": "https://n.example/other-feed", "role": "feed", "status": 200, "etag": '"w1"'},
    ], errors={"timeout": 1})
    partition(raw, "2026-11-22", [  # the day being crawled (or rerun) does not count
        {"url": "https://n.example/f", "role": "article", "status": 200},
    ])
    state = from_archive(raw, "s", before=date(2026, 11, 22))
    assert state.known_urls == {"https://n.example/a", "https://n.example/a-old", "https://n.example/b"}
    assert state.validators == {"https://n.example/feed": {"etag": '"v1"'}}


def test_pages_of_a_date_that_never_loaded_are_pending_not_known(tmp_path):
    raw = tmp_path / "raw"
    partition(raw, "2026-11-19", [{"url": "https://n.example/old", "role": "article", "status": 200}])
    partition(raw, "2026-11-20", [  # loaded
        {"url": "https://n.example/a", "role": "article", "status": 200},
    ])
    partition(raw, "2026-11-21", [  # fetched, then the run failed before its load
        {"url": "https://n.example/b?utm_source=x", "listed_url": "https://n.example/b-listed", "role": "article",
         "status": 200},
        {"url": "https://n.example/c", "role": "article", "status": 200},
        {"url": "https://n.example/a", "role": "article", "skipped": "known"},
        {"url": "https://n.example/gone", "role": "article", "status": 404},
    ])
    state = from_archive(raw, "s", before=date(2026, 11, 22), committed={date(2026, 11, 20)},
                         since=date(2026, 11, 20))
    assert state.known_urls == {"https://n.example/a"}
    # the listed URL is what is fetched again; a 404 was never content; 11-19 is out of the window
    assert state.pending == {"https://n.example/b-listed": "2026-11-21", "https://n.example/c": "2026-11-21"}
    # without a warehouse to ask (the old rule), every fetched page was known
    assert "https://n.example/c" in from_archive(raw, "s", before=date(2026, 11, 22)).known_urls
