"""Finding article links in feeds and sitemaps. Pure functions, easy to test."""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from scrapy.utils.sitemap import Sitemap


@dataclass(frozen=True)
class Link:
    url: str
    meta: dict = field(default_factory=dict)


def feed_links(body: bytes, base_url: str) -> list[Link]:
    """RSS 0.9x-2.0, Atom and JSON Feed (feedparser reads all of them)."""
    parsed = feedparser.parse(body)
    links = []
    for entry in parsed.entries:
        url = entry.get("link")
        if not url:
            continue
        links.append(Link(urljoin(base_url, url), {
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "summary": entry.get("summary"),
        }))
    return links


def sitemap_links(body: bytes) -> tuple[list[str], list[Link]]:
    """Return (sub-sitemaps, article links); gzipped sitemaps are unpacked."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    sitemap = Sitemap(body)
    if sitemap.type == "sitemapindex":
        return [e["loc"] for e in sitemap if e.get("loc")], []
    return [], [Link(e["loc"], {"published": e.get("lastmod")}) for e in sitemap if e.get("loc")]


def _scrapy_errors(*names: str) -> tuple[type, ...]:
    """Scrapy 2.13+ wraps Twisted's errors in its own classes; take what exists."""
    import scrapy.exceptions as exc

    return tuple(getattr(exc, n) for n in names if hasattr(exc, n))


def error_kind(failure) -> str:
    """Name a failed request's cause in the vocabulary of crawl_runs."""
    from scrapy.exceptions import IgnoreRequest, NotSupported
    from twisted.internet.defer import CancelledError
    from twisted.internet.error import (
        ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError,
    )
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    message = str(failure.value).lower()
    if failure.check(DNSLookupError, *_scrapy_errors("CannotResolveHostError")):
        return "dns"
    if failure.check(TimeoutError, TCPTimedOutError, *_scrapy_errors("DownloadTimeoutError")):
        return "timeout"
    if failure.check(NotSupported):
        return "unsupported_scheme"
    if "max size" in message or "maxsize" in message or "larger than download max" in message:
        return "too_large"
    if failure.check(ConnectionRefusedError, ResponseNeverReceived, ResponseFailed, ConnectionLost, ConnectionDone,
                     CancelledError, *_scrapy_errors("ResponseDataLossError", "DownloadCancelledError",
                                                     "DownloadConnectionRefusedError")):
        return "connection"
    if failure.check(IgnoreRequest):
        if "robots.txt" in message:
            return "robots"
        if "max redirections" in message:
            return "redirect_loop"
        if "offsite" in message:
            return "off_domain_redirect"
        if "non-200" in message:
            # a 3xx that RedirectMiddleware would not follow (to file://, ftp:// ...)
            return "redirect_refused"
        return "ignored"
    if "tls" in message or "ssl" in message or "certificate" in message:
        return "tls"
    return "other"
