"""Crawl and extraction throughput: mediamon's Scrapy crawl + parallel extraction
against trafilatura's own fetch-and-extract over the same URLs, in one run.

    python -m benchmarks.crawl_throughput [--n 5000] [--threads 8] [--set SCRAPY_KEY=VALUE ...]

Pages are the demo newsroom's real articles (ar/zh/en, not the broken
fixtures), each served under /a/<i>.html with its page number put in front of
the first paragraph, so no two pages are byte-identical and the ground truth
of every page is known. The server runs in its own process on 127.0.0.1, so
its request handling does not share a GIL with the code being measured.
Not a test: it prints figures and asserts nothing."""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing as mp
import os
import queue
import re
import tempfile
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
PAGE_RE = re.compile(r"/a/(\d+)\.html$")
# Local server: politeness throttling off, or the crawl measures sleep, not work.
CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": "32",
                  "CONCURRENT_REQUESTS_PER_DOMAIN": "32", "DOWNLOAD_DELAY": "0", "LOG_LEVEL": "WARNING"}


def good_articles(anchor: dt.date) -> list:
    from mediamon.demo.newsroom import load_articles

    # near-copies and broken fixtures would make the ground truth ambiguous
    return sorted((a for a in load_articles(anchor) if a.is_good), key=lambda a: (a.lang, a.slug))


def ground_truth(n: int, anchor: dt.date) -> list[tuple[str, str]]:
    """(lang, body text) of page i, exactly as the server renders it."""
    arts = good_articles(anchor)
    out = []
    for i in range(n):
        a = arts[i % len(arts)]
        paras = a.paragraphs
        out.append((a.lang, "\n".join([f"[{i}] {paras[0]}", *paras[1:]])))
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as both clients expect
    # Headers and body leave in one write with Nagle off: otherwise each reply
    # waits ~40 ms for a delayed ACK and the server, not the client, is measured.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        m = PAGE_RE.search(self.path)
        if self.path == "/robots.txt":
            status, ctype, body = 200, "text/plain", b"User-agent: *\nAllow: /\n"
        elif m and int(m.group(1)) < len(self.server.pages):
            status, ctype, body = 200, "text/html; charset=utf-8", self.server.pages[int(m.group(1))]
        else:
            status, ctype, body = 404, "text/plain", b"not found"
        head = (f"HTTP/1.1 {status} {self.responses[status][0]}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        self.wfile.write(head.encode() + body)

    def log_message(self, *args) -> None:
        pass


def _serve(n: int, anchor: dt.date, port_q) -> None:
    """Server process: render every page once, then serve bytes from a list."""
    import markupsafe

    from mediamon.demo.content import load_outlets
    from mediamon.demo.render import _make_env, render_site

    server = ThreadingHTTPServer((HOST, 0), _Handler)
    server.daemon_threads = True
    base = f"http://{HOST}:{server.server_address[1]}"
    env, rendered = _make_env(), {}
    for outlet in load_outlets(anchor):
        outlet.base_url = base  # pages embed absolute URLs; all outlets share this one origin
        routes, _ = render_site(env, outlet, anchor)
        rendered.update({(a.outlet_id, a.slug): routes[a.path].body.decode()
                         for a in outlet.articles if a.is_good})
    arts, pages = good_articles(anchor), []
    for i in range(n):
        a = arts[i % len(arts)]
        p0 = str(markupsafe.escape(a.paragraphs[0]))
        html = rendered[(a.outlet_id, a.slug)]
        assert f"<p>{p0}</p>" in html, a.slug
        html = html.replace(f"<p>{p0}</p>", f"<p>[{i}] {p0}</p>", 1).replace(base + a.path, f"{base}/a/{i}.html")
        pages.append(html.encode())
    server.pages = pages
    port_q.put(server.server_address[1])
    server.serve_forever()


# --- quality ---------------------------------------------------------------------

def tokens(text: str, lang: str) -> Counter:
    return Counter("".join(text.split()) if lang == "zh" else text.split())


def f1(pred: Counter, ref: Counter) -> float:
    common = sum((pred & ref).values())
    if not common:
        return 0.0
    p, r = common / sum(pred.values()), common / sum(ref.values())
    return 2 * p * r / (p + r)


# --- the baseline: trafilatura as a library user would run it ------------------------

def trafilatura_arm(urls: list[str], threads: int) -> tuple[dict[int, str], int, int]:
    import trafilatura
    from trafilatura.downloads import buffered_downloads
    from trafilatura.settings import Extractor, use_config

    cfg = use_config()
    cfg.set("DEFAULT", "SSRF_PROTECTION", "off")  # it refuses 127.0.0.1 otherwise
    cfg.set("DEFAULT", "SLEEP_TIME", "0")
    texts, fetch_err, extract_err = {}, 0, 0
    # buffered_downloads over the whole list: its UrlStore loop (as in the CLI)
    # hands out one URL per host per SLEEP_TIME, i.e. one at a time on one host.
    for url, html in buffered_downloads(urls, threads, options=Extractor(config=cfg)):
        if not html:
            fetch_err += 1
            continue
        doc = trafilatura.bare_extraction(html, url=url)  # default settings, sequential
        if doc is None or not doc.text:
            extract_err += 1
        texts[int(PAGE_RE.search(url).group(1))] = (doc.text or "") if doc is not None else ""
    return texts, fetch_err, extract_err


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="pages to serve, crawl and extract")
    ap.add_argument("--threads", type=int, default=8, help="trafilatura download threads")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra Scrapy setting for the crawl, to try a change without editing crawlers/")
    args = ap.parse_args()
    settings = {**CRAWL_SETTINGS, **dict(kv.split("=", 1) for kv in args.set)}
    # per-URL warnings (urllib3's full pool, trafilatura's download errors) are counted instead
    for name in ("urllib3", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    import yaml

    from crawlers.run import crawl_source
    from transforms.extract import extract_archives

    anchor = dt.datetime.now(dt.timezone.utc).date()
    truth = ground_truth(args.n, anchor)
    ctx = mp.get_context("spawn")  # a fork would copy this process's Polars thread pool
    port_q = ctx.Queue()
    server = ctx.Process(target=_serve, args=(args.n, anchor, port_q), daemon=True)
    server.start()
    try:
        port = None
        while port is None:  # rendering takes a few seconds; a crashed server must not hang us
            if not server.is_alive():
                raise RuntimeError("benchmark server process died")
            try:
                port = port_q.get(timeout=1)
            except queue.Empty:
                pass
        base = f"http://{HOST}:{port}"
        urls = [f"{base}/a/{i}.html" for i in range(args.n)]
        print(f"{args.n} pages ({len(good_articles(anchor))} demo articles, ar/zh/en) "
              f"served from a separate process at {base}; {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.2f} (anything else running skews the figures)")
        print("scrapy settings (politeness throttling OFF for the local server): "
              + " ".join(f"{k}={v}" for k, v in settings.items()))

        with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(yaml.safe_dump({"sources": [{
                "id": "bench", "name": "Benchmark pages", "lang": ["ar", "zh", "en"], "kind": "urls",
                "urls": urls, "allowed_domains": [HOST], "max_pages": min(max(args.n, 1), 100_000),
            }]}))
            raw = Path(tmp) / "raw"
            t0 = time.perf_counter()
            stats = crawl_source(sources, "bench", raw, extra_settings=settings)
            crawl_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            articles, rejected, _ = extract_archives([raw / "pages.warc.gz"], workers=2)
            extract_s = time.perf_counter() - t0
        ours = {int(PAGE_RE.search(u).group(1)): t or "" for u, t in articles.select("url", "text").iter_rows()}

        row = lambda label, secs: f"{label:<30}{secs:6.1f} s {args.n / secs:7.1f} pages/s"  # noqa: E731
        print("\n" + row("mediamon crawl", crawl_s)
              + f"  (scrapy's own elapsed {stats['elapsed_s']:.1f} s; {stats['articles']} articles of "
              f"{stats['responses']} responses; errors {stats['errors_by_kind'] or 'none'})")
        print(row("mediamon extract, 2 workers", extract_s)
              + f"  ({articles.height} articles, {rejected.height} rejected"
              + (f": {dict(Counter(r[0] for r in rejected['reasons'].to_list()))}" if rejected.height else "") + ")")
        ours_rate = args.n / (crawl_s + extract_s)
        print(row("mediamon crawl+extract", crawl_s + extract_s))

        t0 = time.perf_counter()
        theirs, fetch_err, extract_err = trafilatura_arm(urls, args.threads)
        base_s = time.perf_counter() - t0
        base_rate = args.n / base_s
        print(row("trafilatura fetch+extract", base_s)
              + f"  ({len(theirs)} pages fetched with buffered_downloads, {args.threads} threads, "
              f"SSRF_PROTECTION=off, SLEEP_TIME=0; bare_extraction defaults, one page at a time; "
              f"{fetch_err} fetch errors, {extract_err} empty extractions)")
        print(f"ratio: {ours_rate / base_rate:.2f}x (mediamon crawl+extract / trafilatura alone)")
    finally:
        server.terminate()
        server.join(10)

    print("\nquality: token F1 against the known article body (ar/en words, zh characters)")
    by_lang: dict[str, list[tuple[float, float, float]]] = {}
    lost = []
    for i, (lang, body) in enumerate(truth):
        ref, a, b = tokens(body, lang), tokens(ours.get(i, ""), lang), tokens(theirs.get(i, ""), lang)
        by_lang.setdefault(lang, []).append((f1(a, ref), f1(b, ref), f1(a, b)))
        if not a and b:
            lost.append(i)
    print(f"  {'lang':<5}{'pages':>6}{'mediamon F1':>13}{'trafilatura F1':>16}{'mediamon~trafilatura':>22}")
    for lang, rows in sorted(by_lang.items()):
        means = [sum(col) / len(rows) for col in zip(*rows)]
        print(f"  {lang:<5}{len(rows):>6}{means[0]:>13.3f}{means[1]:>16.3f}{means[2]:>22.3f}")
    print(f"  pages empty in mediamon but not in trafilatura: {len(lost)}"
          + (f" (e.g. {[urls[i] for i in lost[:5]]})" if lost else ""))


if __name__ == "__main__":
    main()
