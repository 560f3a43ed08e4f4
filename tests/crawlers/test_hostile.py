"""One crawl against a deliberately misbehaving local server: the run finishes,
the good pages are collected, and every failure is recorded with its kind."""
from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawlers.run import crawl_source
from tests.localserver import write_source
from transforms.extract import extract_archives

GOOD = "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>" + \
    "<p>" + "The chip maker reported strong growth in its cloud and AI business this quarter. " * 15 + "</p>" \
    "</article></body></html>"


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - a list of misbehaviours
        path = self.path
        Hostile.hits[path] = Hostile.hits.get(path, 0) + 1
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path.startswith("/good"):
            return self.send(200, GOOD.format(t=path).encode())
        if path == "/broken-nesting":
            return self.send(200, (GOOD.format(t="Nested").replace("</p>", "<div><p><b>unclosed")).encode())
        if path == "/slow":
            time.sleep(4)
            return self.send(200, GOOD.format(t="slow").encode())
        if path == "/flaky":  # 500 first, then fine: the retry collects it
            if Hostile.hits[path] == 1:
                return self.send(500, b"oops")
            return self.send(200, GOOD.format(t="flaky").encode())
        if path == "/drop":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body>half")
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if path == "/loop":
            return self.send(302, extra=[("Location", f"{base}/loop2")])
        if path == "/loop2":
            return self.send(302, extra=[("Location", f"{base}/loop")])
        if path == "/away":
            # another loopback host: refused by allowed_domains, and harmless if not
            return self.send(302, extra=[("Location", "http://127.0.0.2:9/page")])
        if path == "/other-port":  # same address, another service: not this site
            return self.send(302, extra=[("Location", "http://127.0.0.1:9/admin")])
        if path == "/to-file":
            return self.send(302, extra=[("Location", "file:///etc/hostname")])
        if path == "/huge":
            return self.send(200, b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>")
        if path == "/bomb":
            return self.send(200, gzip.compress(b"<html>" + b" " * (20 * 1024 * 1024)),
                             extra=[("Content-Encoding", "gzip")])
        if path == "/binary":
            return self.send(200, bytes(range(256)) * 400)
        if path == "/empty":
            return self.send(200, b"")
        if path == "/report.pdf":
            return self.send(200, b"%PDF-1.7\n" + b"0" * 2000, "application/pdf")
        return self.send(404, b"not found")


CASES = ["/good1", "/good2", "/broken-nesting", "/flaky", "/slow", "/drop", "/loop", "/away", "/other-port", "/to-file",
         "/huge", "/bomb", "/binary", "/empty", "/missing", "/report.pdf",
         "/good1?utm_source=newsletter&utm_medium=email"]  # the same article behind tracking parameters


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    Hostile.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tmp_path_factory.mktemp("hostile")
    # TLS spoken to a plain-HTTP port: the handshake fails
    urls = [*(f"{base}{c}" for c in CASES), f"{base.replace('http:', 'https:')}/good-tls"]
    cfg = write_source(tmp / "sources.yaml", "hostile", urls, kind="urls")
    raw = tmp / "raw"
    started = time.monotonic()
    stats = crawl_source(cfg, "hostile", raw, extra_settings={
        "DOWNLOAD_TIMEOUT": "2", "DOWNLOAD_MAXSIZE": str(2 * 1024 * 1024), "RETRY_TIMES": "1",
        "AUTOTHROTTLE_START_DELAY": "0.1",
    })
    elapsed = time.monotonic() - started
    articles, rejected, ledger = extract_archives([raw / "pages.warc.gz"], workers=1)
    server.shutdown()
    return {"stats": stats, "articles": articles, "rejected": rejected, "ledger": ledger,
            "elapsed": elapsed, "base": base}


def test_the_run_finishes_in_bounded_time(crawl):
    assert crawl["stats"]["finish_reason"] == "finished"
    assert crawl["elapsed"] < 120


def test_good_pages_are_collected(crawl):
    got = sorted(u.rsplit("/", 1)[1] for u in crawl["articles"]["url"].to_list())
    for page in ("good1", "good2", "broken-nesting", "flaky"):
        assert page in got, got
    nested = crawl["articles"].filter(crawl["articles"]["url"].str.ends_with("/broken-nesting"))
    assert "strong growth" in nested["text"][0]


def test_every_failure_has_its_kind(crawl):
    errors = crawl["stats"]["errors_by_kind"]
    assert errors.get("timeout", 0) >= 1, errors            # /slow
    assert errors.get("redirect_loop") == 1, errors         # /loop
    assert errors.get("off_domain_redirect") == 2, errors   # /away, /other-port
    assert errors.get("redirect_refused") == 1, errors      # /to-file
    assert errors.get("too_large", 0) >= 2, errors          # /huge, /bomb
    assert errors.get("connection", 0) >= 1, errors         # /drop
    assert errors.get("http_4xx") == 1, errors              # /missing
    assert errors.get("tls") == 1, errors                   # https:// to a plain-HTTP port
    assert errors.get("not_html") == 2, errors              # /report.pdf, /binary (served as text/html)
    assert errors.get("empty_body") == 1, errors            # /empty: a 200 with nothing in it
    assert crawl["stats"]["skipped_duplicate_url"] == 1     # /good1 behind utm_ parameters
    assert Hostile.hits.get("/good1?utm_source=newsletter&utm_medium=email") is None


def test_nothing_fetched_is_lost(crawl):
    """Every listed URL is an article or a quarantine row with a reason."""
    urls = {u.rsplit("/", 1)[1] for u in crawl["articles"]["url"].to_list()}
    urls |= {u.rsplit("/", 1)[1] for u in crawl["rejected"]["url"].to_list()}
    assert {c.strip("/") for c in CASES if "?" not in c} | {"good-tls"} <= urls
    # the ledger counts the skipped duplicate too: 18 listed = 6 articles + 11 rejected + 1 skipped
    ledger = crawl["ledger"].to_dicts()[0]
    assert ledger["records"] == len(CASES) + 1 and ledger["skipped_duplicates"] == 1
    assert ledger["records"] == crawl["articles"].height + crawl["rejected"].height + 1
    reasons = {u.rsplit("/", 1)[1]: r for u, r in crawl["rejected"].select("url", "reasons").iter_rows()}
    assert reasons["to-file"] == ["fetch_failed:redirect_refused"]
    assert reasons["missing"] == ["http_status:404"]
    assert reasons["binary"] == ["binary_content"]
    assert reasons["report.pdf"] == ["not_html:application/pdf"]
    assert reasons["good-tls"] == ["fetch_failed:tls"]
