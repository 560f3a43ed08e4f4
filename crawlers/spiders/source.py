"""One generic spider for every outlet: the source entry decides what to fetch.

    scrapy crawl source -a sources_file=config/sources.yaml -a source_id=ledger \
        [-a state_file=known.json] [-a window_start=2026-10-26T00:00:00+00:00] \
        -s MEDIAMON_RAW_DIR=data/raw/date=.../source=ledger

With a state file (crawlers/state.py) it is incremental: article URLs an earlier
run already holds are not fetched again, and listings are asked for with
If-None-Match / If-Modified-Since so an unchanged feed costs a 304. Listed
items dated before window_start are not fetched. Every URL a listing names is
either requested or recorded as a skip with its reason.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.linkextractors import LinkExtractor

from crawlers import discover
from crawlers.items import FailureItem, PageItem, SkipItem
from crawlers.state import CrawlState
from core.dates import parse_datetime
from core.sources import load_sources
from core.urls import canonical_url
from transforms.decode import is_html, looks_binary


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SourceSpider(scrapy.Spider):
    name = "source"
    # 4xx and 5xx reach the callbacks so they are archived and counted, and so
    # does 304 (not modified); other 3xx stay with RedirectMiddleware
    # (HTTPERROR_ALLOW_ALL would stop redirects).
    handle_httpstatus_list = [304, *range(400, 600)]

    def __init__(self, sources_file: str, source_id: str, state_file: str | None = None,
                 window_start: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = load_sources(sources_file).get(source_id)
        # listed items dated before this are out of scope: not fetched, recorded as skipped
        self.window_start = parse_datetime(window_start)
        self.allowed_domains = list(self.source.allowed_domains)
        self.state = CrawlState.read(state_file)
        self._scheduled = 0
        self._listed: set[str] = set()  # canonical article URLs requested in this run

    async def start(self):
        # Pages an earlier run fetched but never loaded come first, listed
        # today or not: the listing's copy of one is then a duplicate_url skip.
        for url, day in sorted(self.state.pending.items()):
            self.crawler.stats.inc_value("mediamon/refetched_pending")
            yield self._article_request(url, {"pending_from": day}, counted=False)
        role = self._seed_role()
        for url in self.source.urls:
            if role == "article":
                if (skip := self._skip(url)) is not None:
                    yield skip
                    continue
                yield self._article_request(url, {})
                continue
            # no dont_filter: it would carry over to redirects and let them leave allowed_domains
            yield self._listing_request(url, self.parse_seed, {"role": role})

    def _listing_request(self, url: str, callback, cb_kwargs: dict) -> scrapy.Request:
        """A feed, sitemap or section page, asked for conditionally when an
        earlier complete run left its ETag / Last-Modified."""
        validators = self.state.validators.get(url, {})
        headers = {k: v for k, v in (("If-None-Match", validators.get("etag")),
                                     ("If-Modified-Since", validators.get("last_modified"))) if v}
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=headers,
                              cb_kwargs=cb_kwargs, meta={"validators": validators})

    def _seed_role(self) -> str:
        return {"sitemap": "sitemap", "section": "section", "urls": "article"}.get(
            self.source.kind, "feed"
        )

    # --- callbacks --------------------------------------------------------------

    def parse_seed(self, response, role: str):
        if response.status < 300 or response.status == 304:  # a 304 is a feed that answered
            self.crawler.stats.inc_value("mediamon/seeds_ok")
        yield from self.parse_listing(response, role)

    def parse_listing(self, response, role: str, depth: int = 1):
        if response.status == 304:
            # unchanged since the last complete run: everything it lists is known
            self.crawler.stats.inc_value("mediamon/not_modified")
            yield self._page(response, role, {"validators": response.meta.get("validators", {})})
            return
        yield self._page(response, role)
        if response.status >= 300:
            self._count_error(response.status)
            return
        yield from self._follow_listing(response, role, depth)

    def _follow_listing(self, response, role: str, depth: int = 1):
        if role == "feed":
            listing = discover.feed_links(response.body, response.url)
        elif role == "sitemap":
            listing = discover.sitemap_links(response.body)
            for sub in listing.sitemaps:  # an index's unchanged parts cost a 304 each
                yield self._listing_request(response.urljoin(sub), self.parse_listing, {"role": "sitemap"})
        else:
            src = self.source
            if src.follow and depth < src.max_depth:
                for more in LinkExtractor(allow=src.follow, deny=src.deny).extract_links(response):
                    yield self._listing_request(more.url, self.parse_listing, {"role": "section", "depth": depth + 1})
            # a pagination link is never an article
            extractor = LinkExtractor(allow=src.allow, deny=(*src.deny, *src.follow))
            listing = discover.Listing([discover.Link(l.url, {"anchor": l.text})
                                        for l in extractor.extract_links(response)])
        if listing.problem:
            # salvaged links are still followed; the damage is on record
            self.crawler.stats.inc_value("mediamon_error/parse_error")
            self.logger.warning("%s: %s (%d links salvaged)", response.url, listing.problem, len(listing.links))
        beyond = 0
        for link, published in self._newest_first(listing.links):
            url = response.urljoin(link.url)
            if (skip := self._skip(url, published)) is not None:
                yield skip
            elif self._scheduled < self.source.max_pages:
                yield self._article_request(url, link.meta)
            else:
                beyond += 1
        if beyond:
            self.crawler.stats.inc_value("mediamon_error/max_pages_reached")
            self.logger.warning("%s: %d more new links not fetched (max_pages=%d)",
                                response.url, beyond, self.source.max_pages)

    @staticmethod
    def _newest_first(links: list) -> list[tuple]:
        """(link, its listed date) with the newest first: max_pages must take
        today's stories, not a sitemap's oldest (many list years of URLs, oldest
        first). Undated links keep their order, after the dated ones."""
        pairs = [(link, parse_datetime(link.meta.get("published"))) for link in links]
        dated = sorted((p for p in pairs if p[1]), key=lambda p: p[1], reverse=True)  # stable
        return dated + [p for p in pairs if not p[1]]

    def _skip(self, url: str, published=None) -> SkipItem | None:
        """Known from an earlier run, already listed in this one (the same
        article behind tracking parameters), or listed with a date before the
        run's window: recorded, not fetched."""
        canon = canonical_url(url)
        reason = ("known" if canon in self.state.known_urls
                  else "duplicate_url" if canon in self._listed
                  else "outside_window" if published and self.window_start and published < self.window_start
                  else None)
        if reason is None:
            return None
        self.crawler.stats.inc_value(f"mediamon/skipped_{reason}")
        return SkipItem(url=url, reason=reason, fetched_at=_now(), source_id=self.source.id)

    def _article_request(self, url: str, meta: dict, counted: bool = True) -> scrapy.Request:
        self._scheduled += counted  # pending pages were admitted on their own date: max_pages counts today's
        self._listed.add(canonical_url(url))
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, cb_kwargs={"meta": meta})

    def parse_article(self, response, meta: dict):
        if response.status >= 300:
            self._count_error(response.status)
        elif not response.body.strip():
            self.crawler.stats.inc_value("mediamon_error/empty_body")
        elif not self._is_html(response):
            self.crawler.stats.inc_value("mediamon_error/not_html")
        else:
            self.crawler.stats.inc_value("mediamon/articles")
        yield self._page(response, "article", meta)

    @staticmethod
    def _is_html(response) -> bool:
        body = response.body
        return is_html((response.headers.get(b"Content-Type") or b"").decode("latin-1"), body) and not looks_binary(body)

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
            listed_url=(response.request.meta.get("redirect_urls") or [response.url])[0],
        )
