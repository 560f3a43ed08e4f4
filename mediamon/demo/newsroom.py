"""Offline demo newsroom: three fictional outlets served over real HTTP on 127.0.0.1.

Tests and `make demo` need multilingual news sites with feeds, sitemaps,
boilerplate and deliberately broken pages, without ever touching the
internet. Each outlet gets its own port (so "different site" really means a
different origin) and its own templates (so extractors cannot overfit to one
markup).

Every page is rendered once at start-up from the YAML content and the Jinja2
templates. Request handling is then a read-only dict lookup, which keeps the
threaded server trivially thread-safe and makes responses byte-stable for a
given anchor date.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

import jinja2
import yaml

__all__ = ["Article", "Newsroom", "Outlet", "load_articles", "load_outlets"]

HOST = "127.0.0.1"
PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"
TEMPLATE_DIR = PACKAGE_DIR / "templates"

SECTIONS = ("technology", "economy", "markets", "world", "opinion")
KINDS = ("news", "opinion")
BROKEN_KINDS = ("empty_body", "future_date", "too_short", "wrong_language", "dead_link")
SOURCE_KINDS = ("rss", "atom", "sitemap", "section")
DEFAULT_SOURCE_KINDS = {"alwasat": "rss", "huaxia": "sitemap", "ledger": "atom"}
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = ("slug", "section", "kind", "days_ago", "hour", "author", "title", "summary", "body")


@dataclass(frozen=True)
class Style:
    """Per-outlet presentation choices.

    They deliberately differ between outlets (time zone, URL shape, feed
    format) because real sites differ, and the pipeline has to cope with all
    of them.
    """

    content_file: str
    tz: dt.tzinfo
    feed_kind: str  # "rss" or "atom"
    url_shape: str  # "dated": /sec/YYYY/MM/DD/slug.html, "compact": /sec/YYYYMMDD/slug.shtml
    section_paths: Mapping[str, str]
    section_labels: Mapping[str, str]


_PLAIN_PATHS = {s: s for s in SECTIONS} | {"wire": "wire"}

STYLES: dict[str, Style] = {
    "alwasat": Style(
        content_file="ar.yaml",
        tz=dt.timezone(dt.timedelta(hours=3)),  # Riyadh/Gulf time, no DST
        feed_kind="rss",
        url_shape="dated",
        section_paths=_PLAIN_PATHS,
        section_labels={
            "technology": "تكنولوجيا", "economy": "اقتصاد", "markets": "أسواق",
            "world": "العالم", "opinion": "رأي", "wire": "وكالات",
        },
    ),
    "huaxia": Style(
        content_file="zh.yaml",
        tz=dt.timezone(dt.timedelta(hours=8)),  # Beijing time
        feed_kind="rss",
        url_shape="compact",
        section_paths={
            "technology": "keji", "economy": "caijing", "markets": "gushi",
            "world": "guoji", "opinion": "pinglun", "wire": "wire",
        },
        section_labels={
            "technology": "科技", "economy": "财经", "markets": "股市",
            "world": "国际", "opinion": "评论", "wire": "转载",
        },
    ),
    "ledger": Style(
        content_file="en.yaml",
        tz=dt.timezone.utc,
        feed_kind="atom",
        url_shape="dated",
        section_paths=_PLAIN_PATHS,
        section_labels={
            "technology": "Technology", "economy": "Economy", "markets": "Markets",
            "world": "World", "opinion": "Opinion", "wire": "Wire",
        },
    ),
}


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Article:
    """One article as written in the content YAML, with its dates and URL path resolved."""

    outlet_id: str
    lang: str
    slug: str
    section: str
    kind: str
    days_ago: int
    hour: int
    author: str
    title: str
    summary: str
    body: str
    path: str  # URL path on the outlet's site, e.g. /technology/2026/11/20/slug.html
    published_at: dt.datetime  # aware, UTC: anchor - days_ago at hour:00
    local_published_at: dt.datetime  # same instant in the outlet's own offset (what pages show)
    copy_of: str | None = None
    broken: str | None = None
    expect: dict[str, Any] = field(default_factory=dict)

    @property
    def url_path(self) -> str:
        return self.path

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.body) if p.strip()]

    @property
    def is_good(self) -> bool:
        """An original, well-formed article (not a fixture and not a near-copy)."""
        return self.broken is None and self.copy_of is None


@dataclass
class Outlet:
    """One fictional news site. `base_url` is filled in once its server is bound."""

    id: str
    name: str
    lang: str
    articles: list[Article]
    style: Style = field(repr=False)
    base_url: str = ""

    @property
    def feed_kind(self) -> str:
        return self.style.feed_kind

    @property
    def feed_url(self) -> str:
        return self._abs("/atom.xml" if self.feed_kind == "atom" else "/rss.xml")

    @property
    def sitemap_url(self) -> str:
        return self._abs("/sitemap.xml")

    @property
    def section_urls(self) -> list[str]:
        return [self._abs(f"/section/{s}/") for s in SECTIONS]

    def article(self, slug: str) -> Article:
        for a in self.articles:
            if a.slug == slug:
                return a
        raise KeyError(f"{self.id} has no article {slug!r}")

    def url_for(self, slug: str) -> str:
        return self._abs(self.article(slug).path)

    def _abs(self, path: str) -> str:
        if not self.base_url:
            raise RuntimeError(f"outlet {self.id} is not being served; start the Newsroom first")
        return self.base_url + path


def _article_path(style: Style, section: str, copy_of: str | None, slug: str, day: dt.date) -> str:
    # Near-copies live under /wire/ like a syndication desk would publish them.
    prefix = style.section_paths["wire" if copy_of else section]
    if style.url_shape == "compact":
        return f"/{prefix}/{day:%Y%m%d}/{slug}.shtml"
    return f"/{prefix}/{day:%Y/%m/%d}/{slug}.html"


def _validate_entry(raw: Mapping[str, Any], where: str) -> None:
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"{where}: missing fields {missing}")
    checks = [
        (_SLUG_RE.match(str(raw["slug"])), f"bad slug {raw['slug']!r}"),
        (raw["section"] in SECTIONS, f"bad section {raw['section']!r}"),
        (raw["kind"] in KINDS, f"bad kind {raw['kind']!r}"),
        (raw.get("broken") in (None, *BROKEN_KINDS), f"bad broken {raw.get('broken')!r}"),
        (isinstance(raw["days_ago"], int), "days_ago must be an int"),
        (isinstance(raw["hour"], int) and 0 <= raw["hour"] <= 23, "hour must be 0..23"),
    ]
    for ok, msg in checks:
        if not ok:
            raise ValueError(f"{where}: {msg}")


def _load_outlet(path: Path, anchor: dt.date) -> Outlet:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta = doc["outlet"]
    style = STYLES[meta["id"]]
    articles: list[Article] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["articles"]):
        where = f"{path.name}[{i}] {raw.get('slug', '?')}"
        _validate_entry(raw, where)
        if raw["slug"] in seen:
            raise ValueError(f"{where}: duplicate slug")
        seen.add(raw["slug"])
        published = dt.datetime.combine(
            anchor - dt.timedelta(days=raw["days_ago"]), dt.time(raw["hour"]), tzinfo=dt.timezone.utc
        )
        local = published.astimezone(style.tz)
        articles.append(
            Article(
                outlet_id=meta["id"],
                lang=meta["lang"],
                slug=raw["slug"],
                section=raw["section"],
                kind=raw["kind"],
                days_ago=raw["days_ago"],
                hour=raw["hour"],
                author=str(raw["author"]),
                title=str(raw["title"]).strip(),
                summary=str(raw["summary"]).strip(),
                body=str(raw["body"] or "").strip(),
                path=_article_path(style, raw["section"], raw.get("copy_of"), raw["slug"], local.date()),
                published_at=published,
                local_published_at=local,
                copy_of=raw.get("copy_of"),
                broken=raw.get("broken"),
                expect=dict(raw.get("expect") or {}),
            )
        )
    dangling = [a.slug for a in articles if a.copy_of and a.copy_of not in seen]
    if dangling:
        raise ValueError(f"{path.name}: copy_of points nowhere for {dangling}")
    # Newest first everywhere (feeds, listings); slug breaks ties so output is stable.
    articles.sort(key=lambda a: (a.published_at, a.slug), reverse=True)
    return Outlet(id=meta["id"], name=meta["name"], lang=meta["lang"], articles=articles, style=style)


def _default_anchor() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def load_outlets(anchor: dt.date | None = None) -> list[Outlet]:
    """All outlets with their articles dated against `anchor` (default: today, UTC)."""
    anchor = anchor or _default_anchor()
    return [_load_outlet(CONTENT_DIR / s.content_file, anchor) for s in STYLES.values()]


def load_articles(anchor: dt.date | None = None) -> list[Article]:
    """Every article record of every outlet, including near-copies and broken fixtures."""
    return [a for o in load_outlets(anchor) for a in o.articles]


# --------------------------------------------------------------------------- rendering

_AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
              "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")


def _ar_date(d: dt.datetime) -> str:
    return f"{d.day} {_AR_MONTHS[d.month - 1]} {d.year} - {d:%H:%M}"


def _zh_date(d: dt.datetime) -> str:
    return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}"


def _en_date(d: dt.datetime) -> str:
    return f"{d:%B} {d.day}, {d.year}, {d:%H:%M} GMT"


def _iso(d: dt.datetime) -> str:
    return d.isoformat(timespec="seconds").replace("+00:00", "Z")


def _rfc822(d: dt.datetime) -> str:
    return email.utils.format_datetime(d)


def _stable_int(text: str) -> int:
    # Python's hash() is salted per process; pages must be identical across runs.
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,  # a typo in a template should fail loudly, not render blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # JSON-LD should carry readable Arabic, not \u escapes; '<' stays escaped by tojson.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.filters.update(ar_date=_ar_date, zh_date=_zh_date, en_date=_en_date, iso=_iso, rfc822=_rfc822)
    return env


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes


_HTML = "text/html; charset=utf-8"
_XML = "application/xml; charset=utf-8"


def _related(outlet: Outlet, article: Article, n: int = 4) -> list[Article]:
    """Same-section neighbours in time: a plausible 'related articles' box."""
    others = [a for a in outlet.articles if a.slug != article.slug]
    same = [a for a in others if a.section == article.section] or others
    same.sort(key=lambda a: (abs((a.published_at - article.published_at).total_seconds()), a.slug))
    return same[:n]


def _most_read(outlet: Outlet, n: int = 5) -> list[Article]:
    return sorted(outlet.articles, key=lambda a: _stable_int(outlet.id + a.slug))[:n]


def render_site(env: jinja2.Environment, outlet: Outlet, anchor: dt.date) -> tuple[dict[str, Page], Page]:
    """Render every route of one outlet. Returns (routes, not_found_page)."""
    tpl = lambda name: env.get_template(f"{outlet.id}/{name}")  # noqa: E731
    common = {
        "outlet": outlet,
        "anchor": anchor,
        "sections": SECTIONS,
        "labels": outlet.style.section_labels,
        "most_read": _most_read(outlet),
    }

    def html(name: str, **ctx: Any) -> Page:
        return Page(200, _HTML, tpl(name).render(**common, **ctx).encode("utf-8"))

    def xml(name: str, content_type: str = _XML, **ctx: Any) -> Page:
        return Page(200, content_type, env.get_template(name).render(**common, **ctx).encode("utf-8"))

    articles = outlet.articles  # already newest first
    routes: dict[str, Page] = {
        "/": html("listing.html", heading=None, items=articles[:12]),
        "/robots.txt": Page(200, "text/plain; charset=utf-8",
                            env.get_template("robots.txt").render(outlet=outlet).encode("utf-8")),
        "/sitemap.xml": xml("sitemap_index.xml"),
        "/sitemap-articles.xml": xml("sitemap_urlset.xml", items=articles),
        "/private/secret.html": Page(200, _HTML, env.get_template("private.html").render(outlet=outlet).encode("utf-8")),
    }
    if outlet.feed_kind == "atom":
        routes["/atom.xml"] = xml("atom.xml", "application/atom+xml; charset=utf-8", items=articles)
    else:
        routes["/rss.xml"] = xml("rss.xml", "application/rss+xml; charset=utf-8", items=articles)
    for section in SECTIONS:
        routes[f"/section/{section}/"] = html(
            "listing.html", heading=section, items=[a for a in articles if a.section == section]
        )
    for a in articles:
        if a.broken == "dead_link":
            continue  # listed everywhere, served nowhere: that is the fixture
        routes[a.path] = html(
            "article.html",
            article=a,
            related=_related(outlet, a),
            seed=_stable_int(a.slug),
        )
    not_found = Page(404, _HTML, tpl("404.html").render(**common).encode("utf-8"))
    return routes, not_found


# --------------------------------------------------------------------------- serving


class _Handler(BaseHTTPRequestHandler):
    server: "_OutletServer"
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers expect; every reply sets Content-Length
    server_version = "DemoNewsroom/1.0"
    timeout = 30  # drop idle keep-alive connections instead of pinning a thread forever

    def do_GET(self) -> None:
        self._reply(with_body=True)

    def do_HEAD(self) -> None:
        self._reply(with_body=False)

    def _reply(self, with_body: bool) -> None:
        # Query strings (utm_* and friends) do not change the page, as on real sites.
        page = self.server.routes.get(urlsplit(self.path).path, self.server.not_found)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # tests and `make demo` output must stay readable; no per-request stderr lines


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Page]
    not_found: Page


class Newsroom:
    """Three outlet servers on 127.0.0.1, each on its own free port.

    Use as a context manager, or call start()/stop() explicitly.
    """

    def __init__(self, anchor: dt.date | None = None) -> None:
        self.anchor = anchor or _default_anchor()
        self.outlets: list[Outlet] = load_outlets(self.anchor)
        self._servers: list[tuple[_OutletServer, threading.Thread]] = []

    def outlet(self, outlet_id: str) -> Outlet:
        for o in self.outlets:
            if o.id == outlet_id:
                return o
        raise KeyError(outlet_id)

    def start(self) -> "Newsroom":
        if self._servers:
            return self
        env = _make_env()
        try:
            for outlet in self.outlets:
                server = _OutletServer((HOST, 0), _Handler)  # port 0: let the OS pick a free port
                outlet.base_url = f"http://{HOST}:{server.server_address[1]}"
                # Pages embed absolute URLs (canonical, feeds, sitemaps), so render after binding.
                server.routes, server.not_found = render_site(env, outlet, self.anchor)
                thread = threading.Thread(
                    target=server.serve_forever, kwargs={"poll_interval": 0.1},
                    name=f"newsroom-{outlet.id}", daemon=True,
                )
                thread.start()
                self._servers.append((server, thread))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()
        for outlet in self.outlets:
            outlet.base_url = ""

    def __enter__(self) -> "Newsroom":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def source_urls(self, outlet: Outlet, kind: str) -> list[str]:
        if kind in ("rss", "atom"):
            if outlet.feed_kind != kind:
                raise ValueError(f"{outlet.id} publishes {outlet.feed_kind}, not {kind}")
            return [outlet.feed_url]
        if kind == "sitemap":
            return [outlet.sitemap_url]
        if kind == "section":
            return outlet.section_urls
        raise ValueError(f"unknown source kind {kind!r}; expected one of {SOURCE_KINDS}")

    def write_sources(self, path: str | Path, kinds: Mapping[str, str] | None = None) -> Path:
        """Write a sources.yaml pointing the crawler at the running outlets.

        Outlets missing from `kinds` fall back to their own feed format.
        """
        kinds = dict(DEFAULT_SOURCE_KINDS if kinds is None else kinds)
        unknown = set(kinds) - {o.id for o in self.outlets}
        if unknown:
            raise ValueError(f"unknown outlet ids in kinds: {sorted(unknown)}")
        sources = []
        for o in self.outlets:
            kind = kinds.get(o.id, o.feed_kind)
            sources.append({
                "id": o.id,
                "name": o.name,
                "lang": o.lang,
                "kind": kind,
                "urls": self.source_urls(o, kind),
                "allowed_domains": [HOST],
                "max_pages": 200,
            })
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return path
