"""Rendering the demo sites: every page of an outlet, once, from Jinja2 templates."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from mediamon.demo.content import SECTIONS, Article, Outlet

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

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
