"""A real crawl: Scrapy in a subprocess fetching from a local HTTP server."""
from __future__ import annotations

import textwrap

import pytest

from crawlers.run import crawl_source
from tests.localserver import serve, write_source
from transforms.extract import extract_archives

PARAS = " ".join(["The chip maker reported strong growth in its artificial intelligence business."] * 12)


def page(title: str, date: str) -> bytes:
    return textwrap.dedent(f"""\
        <html lang="en"><head><title>{title}</title>
        <meta property="article:published_time" content="{date}"></head>
        <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
        <article><h1>{title}</h1><p>{PARAS}</p><p>{PARAS}</p></article>
        <footer>Copyright The Test Outlet. Subscribe to our newsletter.</footer></body></html>
    """).encode()


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"
        for p, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>'.encode()


SITE_ROUTES: dict = {}


@pytest.fixture()
def site():
    routes = SITE_ROUTES
    routes.clear()
    with serve(routes) as base:
        routes.update({
            "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/rss.xml": (200, "application/rss+xml", rss(base, [
                ("/a/one.html", "First story"), ("/a/two.html", "Second story"),
                ("/a/gone.html", "Dead link"), ("/private/secret.html", "Hidden"),
            ])),
            "/a/one.html": (200, "text/html; charset=utf-8", page("First story", "2026-11-20T08:00:00+00:00")),
            "/a/two.html": (200, "text/html; charset=utf-8", page("Second story", "2026-11-19T10:30:00+00:00")),
            "/private/secret.html": (200, "text/html", page("Hidden", "2026-11-20T08:00:00+00:00")),
        })
        yield base


def sources_file(tmp_path, base, path="/rss.xml", **fields):
    return write_source(tmp_path / "sources.yaml", "testsite", [f"{base}{path}"], **{"max_pages": 50, **fields})


def test_crawl_archives_every_page_and_counts(tmp_path, site):
    raw = tmp_path / "raw" / "source=testsite"
    stats = crawl_source(sources_file(tmp_path, site), "testsite", raw)
    assert (raw / "pages.warc.gz").exists()
    assert stats["seeds_ok"] == 1
    assert stats["articles"] == 2                       # two good pages
    assert stats["errors_by_kind"].get("http_4xx") == 1  # the dead link
    assert stats["robots_forbidden"] == 1               # /private/ was not fetched
    articles, rejected, ledger = extract_archives([raw / "pages.warc.gz"], workers=1)
    assert ledger.to_dicts() == [{"source_id": "testsite", "records": 4, "skipped_duplicates": 0}]
    assert sorted(articles["title"].to_list()) == ["First story", "Second story"]
    assert all("newsletter" not in t and len(t.split()) > 100 for t in articles["text"].to_list())
    one = articles.filter(articles["title"] == "First story").to_dicts()[0]
    assert one["published_at"].isoformat() == "2026-11-20T08:00:00+00:00"
    assert one["source_id"] == "testsite"
    # nothing listed is lost: the dead link and the robots-blocked page are quarantined
    assert sorted(r[0] for r in rejected["reasons"].to_list()) == ["fetch_failed:robots", "http_status:404"]
    assert stats["errors_by_kind"].get("robots") == 1


def test_rerun_replaces_the_partition(tmp_path, site):
    raw = tmp_path / "raw" / "source=testsite"
    crawl_source(sources_file(tmp_path, site), "testsite", raw)
    crawl_source(sources_file(tmp_path, site), "testsite", raw)
    articles, _, _ = extract_archives([raw / "pages.warc.gz"], workers=1)
    assert articles.height == 2
    assert sorted(p.name for p in raw.iterdir()) == ["crawl.log", "crawl_stats.json", "index.jsonl", "pages.warc.gz"]


def test_feed_404_is_visible_in_stats(tmp_path, site):
    raw = tmp_path / "raw" / "source=testsite"
    stats = crawl_source(sources_file(tmp_path, site, "/missing.xml"), "testsite", raw)
    assert stats["seeds_ok"] == 0 and stats["articles"] == 0
    assert stats["responses_by_status"].get("404") == 1


def test_redirects_off_the_web_are_refused(tmp_path, site):
    """A page that redirects to file:// must not hand over the crawler's disk."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    f = sources_file(tmp_path, site, "/trap.html", kind="urls")
    raw = tmp_path / "raw" / "source=testsite"
    SITE_ROUTES["/trap.html"] = (302, "text/html", f"file://{secret}".encode())
    stats = crawl_source(f, "testsite", raw)
    assert b"TOP-SECRET-TOKEN" not in (raw / "pages.warc.gz").read_bytes()
    import gzip
    assert b"TOP-SECRET-TOKEN" not in gzip.decompress((raw / "pages.warc.gz").read_bytes())
    assert stats["articles"] == 0 and sum(stats["errors_by_kind"].values()) >= 1


def test_ordinary_redirects_are_followed(tmp_path, site):
    f = sources_file(tmp_path, site, "/old-path.html", kind="urls")
    SITE_ROUTES["/old-path.html"] = (301, "text/html", f"{site}/a/two.html".encode())
    raw = tmp_path / "raw" / "source=testsite"
    stats = crawl_source(f, "testsite", raw)
    articles, rejected, _ = extract_archives([raw / "pages.warc.gz"], workers=1)
    assert articles["url"].to_list() == [f"{site}/a/two.html"] and rejected.height == 0
    assert stats["responses_by_status"] == {"200": 2, "301": 1}  # robots.txt, the redirect, the page


def test_huge_and_truncated_feeds_are_bounded_and_salvaged(tmp_path, site):
    big = rss(site, [(f"/n/{i}.html", f"Story {i}") for i in range(10_000)])
    # the connection died inside the second item: no closing tags at all
    truncated = rss(site, [("/a/one.html", "First story"), ("/a/two.html", "Second story")])[:-60]
    SITE_ROUTES["/big.xml"] = (200, "application/rss+xml", big)
    SITE_ROUTES["/cut.xml"] = (200, "application/rss+xml", truncated)
    for i in range(60):
        SITE_ROUTES[f"/n/{i}.html"] = (200, "text/html; charset=utf-8", page(f"Story {i}", "2026-11-20T08:00:00+00:00"))
    cfg = sources_file(tmp_path, site, "/big.xml", max_pages=40)
    stats = crawl_source(cfg, "testsite", tmp_path / "big")
    assert stats["articles"] == 40                       # bounded by max_pages, not 10,000
    assert stats["errors_by_kind"].get("max_pages_reached") == 1
    cfg = sources_file(tmp_path, site, "/cut.xml")
    stats = crawl_source(cfg, "testsite", tmp_path / "cut")
    assert stats["seeds_ok"] == 1 and stats["articles"] >= 1  # what parsed before the cut is still fetched


def undated(title: str) -> bytes:
    """An article page that carries no date of its own: only its listing knows."""
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{PARAS}</p><p>{PARAS}</p></article></body></html>").encode()


def test_json_feed_is_read_with_its_dates(tmp_path, site):
    import json

    SITE_ROUTES["/feed.json"] = (200, "application/feed+json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "T",
        "items": [{"id": "1", "url": f"{site}/j/one.html", "title": "JSON one",
                   "date_published": "2026-11-18T06:30:00+02:00"},
                  {"id": "2", "external_url": "/j/two.html", "title": "JSON two"}]}).encode())
    SITE_ROUTES["/j/one.html"] = (200, "text/html; charset=utf-8", undated("JSON one"))
    SITE_ROUTES["/j/two.html"] = (200, "text/html; charset=utf-8", undated("JSON two"))
    cfg = sources_file(tmp_path, site, "/feed.json", kind="jsonfeed")
    stats = crawl_source(cfg, "testsite", tmp_path / "raw")
    assert stats["articles"] == 2 and not stats["errors_by_kind"], stats
    articles, _, _ = extract_archives([tmp_path / "raw" / "pages.warc.gz"], workers=1)
    one = articles.filter(articles["title"] == "JSON one").to_dicts()[0]
    assert one["published_from"] == "feed"
    assert one["published_at"].isoformat() == "2026-11-18T04:30:00+00:00"  # in UTC


def test_google_news_sitemap_gives_title_and_date(tmp_path, site):
    SITE_ROUTES["/news-sitemap.xml"] = (200, "application/xml", textwrap.dedent(f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>{site}/g/chips.html</loc>
            <news:news><news:publication><news:name>Test</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2026-11-19T21:15:00+08:00</news:publication_date>
              <news:title>Chip stocks rally</news:title></news:news></url>
        </urlset>""").encode())
    SITE_ROUTES["/g/chips.html"] = (200, "text/html; charset=utf-8", undated("Chip stocks rally"))
    cfg = sources_file(tmp_path, site, "/news-sitemap.xml", kind="sitemap")
    stats = crawl_source(cfg, "testsite", tmp_path / "raw")
    assert stats["articles"] == 1
    articles, _, _ = extract_archives([tmp_path / "raw" / "pages.warc.gz"], workers=1)
    row = articles.to_dicts()[0]
    assert (row["published_from"], row["published_at"].isoformat()) == ("feed", "2026-11-19T13:15:00+00:00")


@pytest.mark.parametrize("body, kind", [
    (b"<html><body>Sorry, our feed moved.</body></html>", "rss"),   # an HTML page where the feed was
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "jsonfeed"),
    (b"\x1f\x8b\x08\x00garbage", "sitemap"),                          # a broken .xml.gz
])
def test_unparseable_listings_are_parse_errors(tmp_path, site, body, kind):
    SITE_ROUTES["/listing"] = (200, "application/xml", body)
    cfg = sources_file(tmp_path, site, "/listing", kind=kind)
    stats = crawl_source(cfg, "testsite", tmp_path / "raw")
    assert stats["errors_by_kind"] == {"parse_error": 1}
    assert stats["articles"] == 0


def test_section_pages_follow_pagination_to_a_bounded_depth(tmp_path, site):
    def listing(n: int) -> bytes:
        nav = '<a href="/">Home</a> <a href="/about.html">About</a>'
        stories = "".join(f'<li><a href="/story/{n}-{k}.html">Story {n}-{k}</a></li>' for k in range(2))
        return f'<html><body>{nav}<ul>{stories}</ul><a href="/latest/page/{n + 1}">Older</a></body></html>'.encode()

    for n in range(1, 5):
        SITE_ROUTES["/latest" if n == 1 else f"/latest/page/{n}"] = (200, "text/html", listing(n))
        for k in range(2):
            SITE_ROUTES[f"/story/{n}-{k}.html"] = (200, "text/html", page(f"Story {n}-{k}", "2026-11-20T08:00:00+00:00"))
    cfg = sources_file(tmp_path, site, "/latest", kind="section", allow=["/story/"],
                       follow=[r"/latest/page/\d+$"], max_depth=3)
    stats = crawl_source(cfg, "testsite", tmp_path / "raw")
    articles, _, _ = extract_archives([tmp_path / "raw" / "pages.warc.gz"], workers=1)
    # pages 1-3 are read, page 4 is beyond max_depth; nav links are not articles
    assert sorted(articles["title"].to_list()) == [f"Story {n}-{k}" for n in (1, 2, 3) for k in (0, 1)]
    assert stats["articles"] == 6


def test_sitemap_takes_newest_first_and_skips_items_outside_the_window(tmp_path, site):
    from datetime import datetime, timezone

    # oldest first, as many CMS sitemaps are: three stories from 2019, then three from this week
    entries = [(f"/old/{i}.html", f"2019-03-0{i + 1}") for i in range(3)] + \
              [(f"/new/{i}.html", f"2026-11-2{i}T09:00:00+00:00") for i in range(3)]
    urls = "".join(f"<url><loc>{site}{p}</loc><lastmod>{d}</lastmod></url>" for p, d in entries)
    SITE_ROUTES["/full-sitemap.xml"] = (200, "application/xml", (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode())
    for p, _ in entries:
        SITE_ROUTES[p] = (200, "text/html; charset=utf-8", page(p, "2026-11-20T08:00:00+00:00"))
    cfg = sources_file(tmp_path, site, "/full-sitemap.xml", kind="sitemap", max_pages=2)
    stats = crawl_source(cfg, "testsite", tmp_path / "raw",
                         window_start=datetime(2026, 10, 26, tzinfo=timezone.utc))
    articles, _, ledger = extract_archives([tmp_path / "raw" / "pages.warc.gz"], workers=1)
    assert sorted(articles["url"].str.replace(site, "").to_list()) == ["/new/1.html", "/new/2.html"]
    assert stats["skipped_outside_window"] == 3                   # recorded, never requested
    assert stats["errors_by_kind"].get("max_pages_reached") == 1  # /new/0.html waits for tomorrow
    # the old items were never in scope: they are not records of the day
    assert ledger.to_dicts() == [{"source_id": "testsite", "records": 2, "skipped_duplicates": 0}]
