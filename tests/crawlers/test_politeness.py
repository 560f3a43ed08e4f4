"""What a site owner sees of the crawler: who it is, how to reach its operator,
and that it never hits one site with more than two requests at a time."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawlers.run import crawl_source
from tests.localserver import write_source

PAGE = ("<html><head><title>P</title></head><body><article><p>"
        + "Beijing's regulators approved new rules for AI model makers. " * 20 + "</p></article></body></html>").encode()


class Watched(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()
    in_flight = 0
    peak = 0
    agents: set[str] = set()

    def log_message(self, *args):
        pass

    def do_GET(self):
        cls = type(self)
        with cls.lock:
            cls.agents.add(self.headers.get("User-Agent", ""))
            cls.in_flight += 1
            cls.peak = max(cls.peak, cls.in_flight)
        try:
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                time.sleep(0.3)  # slow enough that a greedy crawler would overlap many requests
                body, ctype = PAGE, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with cls.lock:
                cls.in_flight -= 1


def test_crawler_identifies_itself_and_limits_concurrency(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIAMON_CONTACT_URL", "https://example.org/mediamon-operator")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Watched)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        cfg = write_source(tmp_path / "sources.yaml", "watched", [f"{base}/p/{i}.html" for i in range(10)], kind="urls")
        # AutoThrottle's start delay shortened so the test is quick; the per-domain cap is the default
        stats = crawl_source(cfg, "watched", tmp_path / "raw", extra_settings={"AUTOTHROTTLE_START_DELAY": "0"})
    finally:
        server.shutdown()
    assert stats["articles"] == 10
    assert Watched.peak <= 2, Watched.peak
    (agent,) = Watched.agents
    assert agent.startswith("mediamon/") and "+https://example.org/mediamon-operator" in agent
