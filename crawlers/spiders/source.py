"""One generic spider for every outlet: the source entry decides what to fetch.

    scrapy crawl source -a sources_file=config/sources.yaml -a source_id=ledger \
        -s MEDIAMON_RAW_DIR=data/raw/date=.../source=ledger
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.linkextractors import LinkExtractor

from crawlers import discover
from crawlers.items import FailureItem, PageItem
from mediamon.sources import load_sources


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SourceSpider(scrapy.Spider):
    name = "source"
    # 4xx and 5xx reach the callbacks so they are archived and counted; 3xx
    # stay with RedirectMiddleware (HTTPERROR_ALLOW_ALL would stop redirects).
    handle_httpstatus_list = list(range(400, 600))

    def __init__(self, sources_file: str, source_id: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = load_sources(sources_file).get(source_id)
        self.allowed_domains = list(self.source.allowed_domains)
        self._scheduled = 0

    async def start(self):
        for url in self.source.urls:
            yield scrapy.Request(
                url, callback=self.parse_seed, errback=self.on_error,
                # no dont_filter: it would carry over to redirects and let them leave allowed_domains
                cb_kwargs={"role": self._seed_role()},
            )

    def _seed_role(self) -> str:
        return {"sitemap": "sitemap", "section": "section", "urls": "article"}.get(
            self.source.kind, "feed"
        )

    # --- callbacks --------------------------------------------------------------

    def parse_seed(self, response, role: str):
        if role == "article":
            yield from self.parse_article(response, meta={})
            return
        yield self._page(response, role)
        if response.status >= 300:
            self._count_error(response.status)
            return
        self.crawler.stats.inc_value("mediamon/seeds_ok")
        yield from self._follow_listing(response, role)

    def parse_listing(self, response, role: str):
        yield self._page(response, role)
        if response.status >= 300:
            self._count_error(response.status)
            return
        yield from self._follow_listing(response, role)

    def _follow_listing(self, response, role: str):
        if role == "feed":
            links = discover.feed_links(response.body, response.url)
        elif role == "sitemap":
            subs, links = discover.sitemap_links(response.body)
            for sub in subs:
                yield response.follow(sub, callback=self.parse_listing, errback=self.on_error,
                                      cb_kwargs={"role": "sitemap"})
        else:
            extractor = LinkExtractor(allow=self.source.allow, deny=self.source.deny)
            links = [discover.Link(l.url, {"anchor": l.text}) for l in extractor.extract_links(response)]
        for link in links:
            if self._scheduled >= self.source.max_pages:
                self.crawler.stats.inc_value("mediamon_error/max_pages_reached")
                break
            self._scheduled += 1
            yield response.follow(
                link.url, callback=self.parse_article, errback=self.on_error,
                cb_kwargs={"meta": link.meta},
            )

    def parse_article(self, response, meta: dict):
        if response.status >= 300:
            self._count_error(response.status)
        else:
            self.crawler.stats.inc_value("mediamon/articles")
        yield self._page(response, "article", meta)

    def on_error(self, failure):
        request = failure.request
        kind = discover.error_kind(failure)
        self.crawler.stats.inc_value(f"mediamon_error/{kind}")
        role = request.cb_kwargs.get("role", "article")
        # A failure after redirects belongs to the URL that was listed, not the hop
        listed = (request.meta.get("redirect_urls") or [request.url])[0]
        yield FailureItem(
            url=listed, role=role, error_kind=kind, message=str(failure.value)[:500],
            fetched_at=_now(), source_id=self.source.id,
            meta={**request.cb_kwargs.get("meta", {}), "failed_url": request.url},
        )

    # --- helpers ----------------------------------------------------------------

    def _count_error(self, status: int) -> None:
        self.crawler.stats.inc_value(f"mediamon_error/http_{status // 100}xx")

    def _page(self, response, role: str, meta: dict | None = None) -> PageItem:
        headers = {
            k.decode("latin-1"): [v.decode("latin-1") for v in vs]
            for k, vs in response.headers.items()
        }
        return PageItem(
            url=response.url, role=role, status=response.status, headers=headers,
            body=response.body, fetched_at=_now(), source_id=self.source.id, meta=meta or {},
        )
