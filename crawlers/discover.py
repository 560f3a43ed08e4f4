"""Finding article links in feeds and sitemaps. Pure functions, easy to test."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from lxml import etree
from scrapy.utils.sitemap import Sitemap


@dataclass(frozen=True)
class Link:
    url: str
    meta: dict = field(default_factory=dict)


@dataclass
class Listing:
    links: list[Link]
    sitemaps: list[str] = field(default_factory=list)  # sub-sitemaps of an index
    problem: str | None = None  # why the listing did not parse cleanly (links may still be salvaged)


# feedparser flags these as "bozo" but they are harmless: the entries are fine.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def feed_links(body: bytes, base_url: str) -> Listing:
    """RSS 0.9x-2.0, RDF, Atom (feedparser) and JSON Feed."""
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return json_feed_links(body, base_url)
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
    problem = None
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), _BENIGN):
        problem = f"malformed feed: {parsed.get('bozo_exception')}"
    elif not parsed.version and not links:
        problem = "not a feed"
    return Listing(links, problem=problem)


def json_feed_links(body: bytes, base_url: str) -> Listing:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser 6.0 does not read."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Listing([], problem=f"malformed JSON feed: {exc}")
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return Listing([], problem="not a JSON feed: no items list")
    links = [
        Link(urljoin(base_url, item.get("url") or item.get("external_url")), {
            "title": item.get("title"),
            "published": item.get("date_published") or item.get("date_modified"),
            "summary": item.get("summary"),
        })
        for item in items
        if isinstance(item, dict) and isinstance(item.get("url") or item.get("external_url"), str)
    ]
    return Listing(links)


_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _news_fields(body: bytes) -> dict[str, dict]:
    """Google News sitemap fields by <loc>: title, publication date, language.
    Scrapy's Sitemap keeps only the top-level tags of each <url>."""
    if _NEWS.encode()[1:-1] not in body:
        return {}
    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    out = {}
    for news in root.iter(f"{_NEWS}news") if root is not None else ():
        loc = news.getparent().findtext("{*}loc")
        if loc:
            out[loc.strip()] = {
                "title": news.findtext(f"{_NEWS}title"),
                "published": news.findtext(f"{_NEWS}publication_date"),
                "news_language": news.findtext(f"{_NEWS}publication/{_NEWS}language"),
            }
    return out


def sitemap_links(body: bytes) -> Listing:
    """Sub-sitemaps and article links; gzipped sitemaps are unpacked."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            return Listing([], problem=f"broken gzip sitemap: {exc}")
    try:
        sitemap = Sitemap(body)
        entries = list(sitemap)
    except (etree.XMLSyntaxError, ValueError, AttributeError, StopIteration) as exc:
        return Listing([], problem=f"malformed sitemap: {exc!r}")
    if sitemap.type == "sitemapindex":
        return Listing([], sitemaps=[e["loc"] for e in entries if e.get("loc")])
    if sitemap.type != "urlset":
        return Listing([], problem=f"not a sitemap: root element {sitemap.type!r}")
    news = _news_fields(body)
    links = []
    for e in entries:
        if not e.get("loc"):
            continue
        meta = {"published": e.get("lastmod")}
        meta.update({k: v for k, v in news.get(e["loc"], {}).items() if v})
        links.append(Link(e["loc"], meta))
    return Listing(links)


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
