"""The demo newsroom over real HTTP: what the crawler and the e2e test rely on."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from mediamon.demo.newsroom import Newsroom, load_articles

ANCHOR = dt.date(2026, 11, 25)


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), ""


@pytest.fixture(scope="module")
def newsroom():
    with Newsroom(anchor=ANCHOR) as nr:
        yield nr


def test_content_meets_the_brief():
    arts = load_articles(ANCHOR)
    good = Counter(a.outlet_id for a in arts if not a.broken and not a.copy_of)
    assert all(n >= 22 for n in good.values()) and set(good) == {"alwasat", "huaxia", "ledger"}
    assert sum(good.values()) >= 60
    assert Counter(a.lang for a in arts) .keys() == {"ar", "zh", "en"}
    for a in arts:
        if not a.broken:
            assert 0 <= a.days_ago <= 13, a.slug
    broken = {(a.outlet_id, a.broken) for a in arts if a.broken}
    assert {("alwasat", "wrong_language"), ("ledger", "dead_link")} <= broken
    assert {b for _, b in broken} == {"empty_body", "future_date", "too_short", "wrong_language", "dead_link"}
    copies = [a for a in arts if a.copy_of]
    assert len(copies) >= 6
    slugs = {(a.outlet_id, a.slug): a for a in arts}
    for c in copies:
        original = slugs[(c.outlet_id, c.copy_of)]
        assert c.published_at > original.published_at, c.slug  # the copy comes later
    tones = Counter((a.expect or {}).get("tone") for a in arts if not a.broken and not a.copy_of)
    assert min(tones["positive"], tones["negative"], tones["neutral"]) >= 15


def test_outlets_are_separate_sites_on_loopback(newsroom):
    urls = [o.base_url for o in newsroom.outlets]
    assert len(set(urls)) == 3
    assert all(u.startswith("http://127.0.0.1:") for u in urls)


def test_feeds_and_sitemaps_list_every_article(newsroom):
    for outlet in newsroom.outlets:
        expected = {outlet.url_for(a.slug) for a in outlet.articles}
        status, ctype, body = get(outlet.feed_url)
        assert status == 200 and "xml" in ctype
        root = ET.fromstring(body)
        links = {e.text for e in root.iter("link") if e.text} | {
            e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link") if e.get("rel") in (None, "alternate")}
        assert expected <= links, outlet.id
        status, _, index = get(outlet.sitemap_url)
        ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        child = [e.text for e in ET.fromstring(index).iter(f"{ns}loc")]
        listed = {e.text for e in ET.fromstring(get(child[0])[2]).iter(f"{ns}loc")}
        assert expected <= listed, outlet.id


def test_article_pages_carry_text_and_dates(newsroom):
    ledger = newsroom.outlet("ledger")
    article = next(a for a in ledger.articles if not a.broken and not a.copy_of)
    status, ctype, html = get(ledger.url_for(article.slug))
    assert status == 200 and "charset=utf-8" in ctype.lower()
    text = html_lib.unescape(html)
    assert article.title in text
    assert article.body.split("\n\n")[0][:80] in text
    assert article.published_at.strftime("%Y-%m-%d") in html
    alwasat = newsroom.outlet("alwasat")
    a = next(x for x in alwasat.articles if not x.broken)
    _, _, html = get(alwasat.url_for(a.slug))
    assert 'dir="rtl"' in html and "datePublished" in html


def test_robots_dead_links_and_unknown_paths(newsroom):
    ledger = newsroom.outlet("ledger")
    _, _, robots = get(ledger.base_url + "/robots.txt")
    assert "Disallow: /private/" in robots
    dead = next(a for a in ledger.articles if a.broken == "dead_link")
    assert get(ledger.url_for(dead.slug))[0] == 404
    assert get(ledger.base_url + "/no/such/page.html")[0] == 404


def test_anchor_moves_the_dates():
    early = {a.slug: a.published_at for a in load_articles(dt.date(2026, 1, 10))}
    late = {a.slug: a.published_at for a in load_articles(dt.date(2026, 1, 20))}
    assert all((late[s] - early[s]).days == 10 for s in early)
