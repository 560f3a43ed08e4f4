"""Bytes to text the way a browser would: HTTP charset, then BOM, then the
page's meta charset, then detection (charset-normalizer) for pages that say
nothing. GBK, Big5 and windows-1256 pages are common on this beat."""
from __future__ import annotations

from w3lib.encoding import html_to_unicode


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best is not None else None


def decode_html(body: bytes, content_type: str | None) -> str:
    _, text = html_to_unicode(content_type or None, body, auto_detect_fun=_detect)
    return text


def is_html(content_type: str | None, body: bytes) -> bool:
    """Served as HTML, or served with no type at all and shaped like HTML
    (some CMSs forget the header). The crawler's count and extraction's
    quarantine use this same test."""
    ctype = (content_type or "").lower()
    if ctype:
        return "html" in ctype
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


# NUL and the C0 controls that text does not use (tab, LF, VT, FF and CR it does)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))


def looks_binary(body: bytes) -> bool:
    """Served as text/html but an image or archive: NUL and control bytes.
    bytes.translate counts in C; this runs on every page the crawler fetches."""
    head = body[:4096]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05
