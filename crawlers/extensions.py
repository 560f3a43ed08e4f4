"""Writes the crawl's counters next to its archive, for the crawl_runs table.

A source that returned nothing must be visible, so the numbers are written
whatever happened, including on errors."""
from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals

STATS_NAME = "crawl_stats.json"


class CrawlStatsFile:
    def __init__(self, crawler):
        self.crawler = crawler
        self.raw_dir = Path(crawler.settings.get("MEDIAMON_RAW_DIR"))

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        by_status = {
            k.rsplit("/", 1)[-1]: v
            for k, v in stats.items()
            if k.startswith("downloader/response_status_count/")
        }
        exceptions = {
            k.rsplit("/", 1)[-1]: v
            for k, v in stats.items()
            if k.startswith("downloader/exception_type_count/")
        }
        errors = {
            k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("mediamon_error/")
        }
        out = {
            "source_id": spider.source.id,
            "finish_reason": reason,
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "responses_by_status": by_status,
            "bytes": stats.get("downloader/response_bytes", 0),
            "items": stats.get("item_scraped_count", 0),
            "articles": stats.get("mediamon/articles", 0),
            "seeds_ok": stats.get("mediamon/seeds_ok", 0),
            "seeds": len(spider.source.urls),
            "not_modified": stats.get("mediamon/not_modified", 0),
            # listed but not fetched: an earlier run has them, or listed twice today
            "skipped_known": stats.get("mediamon/skipped_known", 0),
            "skipped_duplicate_url": stats.get("mediamon/skipped_duplicate_url", 0),
            "skipped_outside_window": stats.get("mediamon/skipped_outside_window", 0),
            # fetched by an earlier date's run that never loaded, fetched again today
            "refetched_pending": stats.get("mediamon/refetched_pending", 0),
            "robots_forbidden": stats.get("robotstxt/forbidden", 0),
            "exceptions": exceptions,
            "errors_by_kind": errors,
            "started_at": str(stats.get("start_time", "")),
            "finished_at": str(stats.get("finish_time", "")),
            "elapsed_s": stats.get("elapsed_time_seconds", 0.0),
        }
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        (self.raw_dir / STATS_NAME).write_text(json.dumps(out, indent=2, default=str))
