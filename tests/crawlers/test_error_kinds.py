"""Failures the local servers cannot produce without traffic leaving this
machine (a DNS lookup goes to the resolver), named from the exception types
Scrapy 2.19 and Twisted raise."""
from __future__ import annotations

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError, IgnoreRequest
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawlers.discover import error_kind


def failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        return Failure()


@pytest.mark.parametrize("exc, kind", [
    (DNSLookupError("no such host: news.example"), "dns"),
    (CannotResolveHostError("news.example"), "dns"),
    (DownloadTimeoutError("took longer than 30.0 seconds"), "timeout"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("Max redirections reached"), "redirect_loop"),
    (RuntimeError("something nobody foresaw"), "other"),
])
def test_exceptions_map_to_crawl_runs_kinds(exc, kind):
    assert error_kind(failure(exc)) == kind
