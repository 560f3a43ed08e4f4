"""A tiny HTTP server on 127.0.0.1 for crawl tests (path -> (status, type, body)),
and the sources file that points a crawl at it."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml


@contextmanager
def serve(routes: dict[str, tuple[int, str, bytes]], hits: list[str] | None = None):
    """`hits`, if given, collects every path requested."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if hits is not None:
                hits.append(self.path)
            status, ctype, body = routes.get(self.path.split("?")[0], (404, "text/plain", b"not found"))
            self.send_response(status)
            if 300 <= status < 400:  # body is the Location
                self.send_header("Location", body.decode())
                body = b""
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def write_source(path: Path, source_id: str, urls: list[str], kind: str = "rss", lang: str = "en", **fields) -> Path:
    """A sources file with one outlet on 127.0.0.1, as the crawl tests need it."""
    entry = {"id": source_id, "name": f"Test outlet {source_id}", "lang": lang, "kind": kind, "urls": list(urls),
             "allowed_domains": ["127.0.0.1"], **fields}
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False))
    return path


@contextmanager
def webhook_receiver():
    """A webhook on 127.0.0.1 that keeps every JSON body posted to it."""
    import json

    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/mediamon", received
    finally:
        server.shutdown()
        server.server_close()
