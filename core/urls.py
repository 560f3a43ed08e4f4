"""Canonical URLs and the article ids derived from them."""
from __future__ import annotations

import hashlib

from courlan import normalize_url
from w3lib.url import url_query_cleaner

# Campaign and click tracking; they change per share, not per article.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "fbclid", "mc_cid", "mc_eid", "spm", "from", "share_token", "ref", "cmpid",
)


def canonical_url(url: str) -> str:
    """Lowercased host, no fragment, no tracking parameters, sorted query."""
    cleaned = url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)
    try:
        return normalize_url(cleaned, strict=False, trailing_slash=True)
    except ValueError:
        return cleaned


def article_id_for(url: str) -> str:
    """Stable across runs and machines: 16 hex chars of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]
