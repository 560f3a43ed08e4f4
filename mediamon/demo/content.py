"""The demo newsroom's articles: YAML content files resolved into dated
articles with URL paths, one Outlet per fictional site."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"

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
