"""The DAG's crawl step: a source that yields nothing is never a silent success."""
from __future__ import annotations

import logging

import pytest

from mediamon import pipeline
from tests.localserver import serve, write_source


def run_crawl(tmp_path, monkeypatch, feed: tuple[int, str, bytes]) -> str:
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path / "data"))
    routes = {"/robots.txt": (200, "text/plain", b""), "/rss.xml": feed}
    with serve(routes) as base:
        cfg = write_source(tmp_path / "sources.yaml", "quiet", [f"{base}/rss.xml"])
        return pipeline.crawl(str(cfg), "quiet", "2026-11-25")


@pytest.mark.parametrize("feed, shown", [
    ((404, "text/plain", b"gone"), "'404': 1"),
    # the outlet moved its feed and now serves its home page there
    ((200, "text/html", b"<html><body><h1>Welcome to our new site</h1></body></html>"), "'parse_error': 1"),
])
def test_a_dead_or_moved_feed_fails_the_task_saying_why(tmp_path, monkeypatch, feed, shown):
    with pytest.raises(RuntimeError, match="source quiet: none of its 1 feed/sitemap URLs") as err:
        run_crawl(tmp_path, monkeypatch, feed)
    assert shown in str(err.value)


def test_an_empty_feed_passes_with_a_warning(tmp_path, monkeypatch, caplog):
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    with caplog.at_level(logging.WARNING, logger="mediamon.pipeline"):
        raw = run_crawl(tmp_path, monkeypatch, (200, "application/rss+xml", empty))
    assert raw.endswith("source=quiet")
    assert "source quiet: its listings answered but named no article" in caplog.text
