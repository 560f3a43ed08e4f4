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
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

import yaml

from mediamon.demo.content import (  # noqa: F401  (re-exported: the newsroom's public API)
    DEFAULT_SOURCE_KINDS, SOURCE_KINDS, Article, Outlet, _default_anchor, load_articles, load_outlets,
)
from mediamon.demo.render import Page, _make_env, render_site

__all__ = ["Article", "Newsroom", "Outlet", "load_articles", "load_outlets"]

HOST = "127.0.0.1"


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
