"""Redirects that stay where the source said the crawl may go.

Scrapy's own checks let a redirect slip out when a request is exempt from
filtering, drop a loop silently at the dupefilter, and compare hosts without
ports. Each refusal here raises IgnoreRequest with a reason, so the errback
records it in the archive and crawl_runs instead of the URL vanishing."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))


def _is_address(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def redirect_allowed(target: str, allowed_domains: list[str], seed_urls: list[str]) -> str | None:
    """None if the crawl may follow a redirect to `target`, else why not."""
    if urlsplit(target).scheme not in ("http", "https"):
        return f"redirect to a non-web scheme: {target[:80]}"
    host, port = _origin(target)
    if allowed_domains and not any(host == d or host.endswith("." + d) for d in allowed_domains):
        return f"offsite redirect to {host}"
    # On a bare address, another port is another service, not the same site.
    if _is_address(host) and (host, port) not in {_origin(u) for u in seed_urls}:
        return f"offsite redirect to {host}:{port}, a port the source does not use"
    return None


class GuardedRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected, request, reason):
        spider = self.crawler.spider
        seeds = list(getattr(getattr(spider, "source", None), "urls", ()))
        why = redirect_allowed(redirected.url, list(getattr(spider, "allowed_domains", None) or []), seeds)
        if why:
            raise IgnoreRequest(why)
        if redirected.url in (*request.meta.get("redirect_urls", ()), request.url):
            raise IgnoreRequest(f"max redirections reached: redirect loop back to {redirected.url}")
        return super()._redirect(redirected, request, reason)
