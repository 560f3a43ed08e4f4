"""Day after day against the same local site, through the pipeline's own steps
(crawl -> extract -> enrich -> validate -> load): each day fetches only what
is new, unchanged listings cost a 304, and the ledger still adds up."""
from __future__ import annotations

import hashlib
import textwrap
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from mediamon import pipeline

BODY = " ".join(["Tencent and Alibaba raised their spending on AI data centres as cloud demand grew."] * 14)


def page(title: str) -> bytes:
    return (f'<html lang="en"><head><title>{title}</title>'
            f'<meta property="article:published_time" content="2026-11-20T08:00:00+00:00"></head>'
            f"<body><article><h1>{title}</h1><p>{BODY} {title}.</p><p>{BODY}</p></article></body></html>").encode()


class Site(BaseHTTPRequestHandler):
    """Feed and sitemap with ETag and Last-Modified, honoured like a CDN would."""
    protocol_version = "HTTP/1.1"
    feed_items: list[str] = []
    sitemap_parts: dict[str, list[str]] = {}
    hits: list[str] = []

    def log_message(self, *args):
        pass

    def _listing(self) -> tuple[bytes, str] | None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/rss.xml":
            items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in Site.feed_items)
            return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
                    .encode(), "application/rss+xml")
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if self.path == "/sitemap.xml":  # an index whose lastmod moves when a part changes
            parts = "".join(f"<sitemap><loc>{base}/sm/{name}.xml</loc><lastmod>{len(items)}</lastmod></sitemap>"
                            for name, items in sorted(Site.sitemap_parts.items()))
            return f'<?xml version="1.0"?><sitemapindex {ns}>{parts}</sitemapindex>'.encode(), "application/xml"
        if self.path.startswith("/sm/"):
            items = Site.sitemap_parts[self.path[4:-4]]
            urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in items)
            return f'<?xml version="1.0"?><urlset {ns}>{urls}</urlset>'.encode(), "application/xml"
        return None

    def do_GET(self):
        Site.hits.append(self.path)
        if self.path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        listing = self._listing()
        if listing is None:
            return self._send(200, page(self.path), "text/html; charset=utf-8")
        body, ctype = listing
        etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
        modified = formatdate(1_790_000_000 + len(body), usegmt=True)  # changes whenever the body does
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", ctype, etag, modified)
        self._send(200, body, ctype, etag, modified)

    def _send(self, status, body, ctype, etag=None, modified=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory, monkeypatch_module):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tmp_path_factory.mktemp("incremental")
    cfg = tmp / "sources.yaml"
    cfg.write_text(textwrap.dedent(f"""\
        sources:
          - id: wire
            name: Wire (RSS)
            lang: en
            kind: rss
            urls: ["{base}/rss.xml"]
            allowed_domains: ["127.0.0.1"]
          - id: daily
            name: Daily (sitemap)
            lang: en
            kind: sitemap
            urls: ["{base}/sitemap.xml"]
            allowed_domains: ["127.0.0.1"]
    """))
    monkeypatch_module.setenv("MEDIAMON_DATA_DIR", str(tmp / "data"))
    yield {"cfg": str(cfg), "data": tmp / "data"}
    server.shutdown()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def run_day(cfg: str, day: str) -> dict:
    Site.hits = []
    raw = [pipeline.crawl(cfg, sid, day) for sid in ("wire", "daily")]
    staging = pipeline.extract(day, raw)
    enriched = pipeline.enrich(day, staging)
    validated = pipeline.validate(day, enriched, cfg, run_id=f"test-{day}")
    pipeline.load(day, validated, pipeline.read_sources(cfg))
    return {"hits": sorted(Site.hits)}


def rows(data, sql, *params):
    con = duckdb.connect(str(data / "warehouse" / "mediamon.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def days(site):
    Site.feed_items = ["/w/1.html", "/w/2.html"]
    Site.sitemap_parts = {"archive": ["/d/1.html", "/d/2.html"], "latest": []}
    out = {"d1": run_day(site["cfg"], "2026-11-21")}
    Site.feed_items = ["/w/3.html", "/w/1.html", "/w/2.html?utm_source=rss"]  # one new story; one old behind utm_
    Site.sitemap_parts["latest"] = ["/d/3.html"]
    out["d2"] = run_day(site["cfg"], "2026-11-22")
    out["d2_snapshot"] = rows(site["data"], "SELECT article_id, crawl_date, text FROM articles ORDER BY ALL")
    out["d2_again"] = run_day(site["cfg"], "2026-11-22")
    out["d3"] = run_day(site["cfg"], "2026-11-23")  # nothing changed anywhere
    return out


def test_day_two_fetches_only_the_new_story(days):
    assert days["d1"]["hits"].count("/w/1.html") == 1
    articles = [h for h in days["d2"]["hits"] if h.startswith(("/w/", "/d/"))]
    assert articles == ["/d/3.html", "/w/3.html"]


def test_unchanged_listings_answer_304(site, days):
    runs = dict(rows(site["data"], "SELECT source_id, not_modified FROM crawl_runs WHERE crawl_date = '2026-11-22'"))
    # the feed changed; the sitemap index changed, but only one of its parts did
    assert runs == {"daily": 1, "wire": 0}
    assert days["d2"]["hits"].count("/sm/archive.xml") == 1
    day3 = dict(rows(site["data"], "SELECT source_id, not_modified FROM crawl_runs WHERE crawl_date = '2026-11-23'"))
    assert day3 == {"daily": 1, "wire": 1}  # the index itself is unchanged: its parts are not even asked for
    assert "/sm/archive.xml" not in days["d3"]["hits"]


def test_skips_are_counted_and_the_ledger_adds_up(site, days):
    runs = rows(site["data"], "SELECT source_id, articles, skipped_known FROM crawl_runs "
                              "WHERE crawl_date = '2026-11-22' ORDER BY source_id")
    assert runs == [("daily", 1, 0), ("wire", 1, 2)]
    counts = rows(site["data"], "SELECT source_id, records, loaded, quarantined, skipped_duplicates "
                                "FROM partition_counts WHERE crawl_date = '2026-11-22' ORDER BY source_id")
    assert counts == [("daily", 1, 1, 0, 0), ("wire", 3, 1, 0, 2)]


def test_each_article_is_loaded_once_under_its_first_date(site, days):
    loaded = rows(site["data"], "SELECT url, crawl_date::VARCHAR FROM articles ORDER BY url")
    assert [(u.split("/", 3)[3], d) for u, d in loaded] == [
        ("d/1.html", "2026-11-21"), ("d/2.html", "2026-11-21"), ("d/3.html", "2026-11-22"),
        ("w/1.html", "2026-11-21"), ("w/2.html", "2026-11-21"), ("w/3.html", "2026-11-22")]


def test_rerunning_a_date_fetches_and_stores_the_same(site, days):
    assert days["d2_again"]["hits"] == days["d2"]["hits"]
    assert rows(site["data"], "SELECT article_id, crawl_date, text FROM articles ORDER BY ALL") == days["d2_snapshot"]


def test_a_day_with_nothing_new_still_succeeds(site, days):
    assert not [h for h in days["d3"]["hits"] if h.startswith(("/w/", "/d/"))]
    assert rows(site["data"], "SELECT COUNT(*) FROM articles")[0][0] == 6
