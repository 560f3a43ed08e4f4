"""Raw archive writer: every page and failure as a WARC record. No parsing here:
extraction reads this archive later, so it can be re-run without network."""
from __future__ import annotations

import hashlib
import json
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawlers.items import FailureItem, PageItem

WARC_NAME = "pages.warc.gz"
# Scrapy has already decoded the body, so these would lie about the payload.
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


class WarcArchivePipeline:
    def __init__(self, raw_dir: str):
        self.raw_dir = Path(raw_dir)
        self.counts = {"article": 0, "feed": 0, "sitemap": 0, "section": 0, "failure": 0}

    @classmethod
    def from_crawler(cls, crawler):
        raw_dir = crawler.settings.get("MEDIAMON_RAW_DIR")
        if not raw_dir:
            raise ValueError("MEDIAMON_RAW_DIR is not set: nowhere to archive pages")
        return cls(raw_dir)

    def open_spider(self, spider=None):
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.raw_dir / WARC_NAME, "wb")
        self._writer = WARCWriter(self._fh, gzip=True)

    def close_spider(self, spider=None):
        self._fh.close()

    def process_item(self, item, spider=None):
        if isinstance(item, PageItem):
            self._write_page(item)
            self.counts[item.role] = self.counts.get(item.role, 0) + 1
        elif isinstance(item, FailureItem):
            self._write_failure(item)
            self.counts["failure"] += 1
        return item

    def _extra(self, item) -> dict[str, str]:
        return {
            "WARC-Date": item.fetched_at,
            "Mediamon-Source": item.source_id,
            "Mediamon-Role": item.role,
            # ASCII JSON: WARC headers are not a safe place for raw UTF-8 titles
            "Mediamon-Meta": json.dumps(item.meta, ensure_ascii=True, default=str),
        }

    def _write_page(self, item: PageItem) -> None:
        headers = [
            (k, v) for k, vs in item.headers.items() for v in vs if k.lower() not in _DROP_HEADERS
        ]
        http = StatusAndHeaders(f"{item.status} -", headers, protocol="HTTP/1.1")
        warc_headers = self._extra(item)
        warc_headers["WARC-Payload-Digest"] = "sha256:" + hashlib.sha256(item.body).hexdigest()
        record = self._writer.create_warc_record(
            item.url, "response", payload=BytesIO(item.body), http_headers=http,
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)

    def _write_failure(self, item: FailureItem) -> None:
        body = json.dumps(
            {"error_kind": item.error_kind, "message": item.message}, ensure_ascii=False
        ).encode()
        record = self._writer.create_warc_record(
            item.url, "metadata", payload=BytesIO(body),
            warc_content_type="application/json", warc_headers_dict=self._extra(item),
        )
        self._writer.write_record(record)
