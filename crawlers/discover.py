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


def error_kind(failure) -> str:
    """Name a failed request's cause in the vocabulary of crawl_runs."""
    from scrapy.exceptions import IgnoreRequest
    from twisted.internet.error import (
        ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError,
    )
    from twisted.web._newclient import ResponseNeverReceived

    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(ConnectionRefusedError, ResponseNeverReceived):
        return "connection"
    if failure.check(IgnoreRequest):
        return "robots" if "robots.txt" in str(failure.value) else "ignored"
    return "other"
