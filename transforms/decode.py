"""Bytes to text for pages whose charset label cannot be trusted.

Old Chinese and Arabic sites still send GBK, GB18030, Big5 and windows-1256,
often with no charset at all, a server default (ISO-8859-1) in the header, or
a meta tag that a CMS migration left saying gb2312 or utf-8 over other bytes.
A label is only believed when the bytes decode under it without error:

1. a byte-order mark;
2. bytes that are valid UTF-8 are UTF-8, whatever the label says (legacy CJK
   and Arabic text essentially never validates as UTF-8 by chance);
3. the header's charset, then the meta tag's, if the bytes decode under it,
   unless it is a Latin single-byte charset (which decodes anything) and
   detection finds a non-Latin one (GBK, Big5, windows-1256...) in the text;
4. detection (charset-normalizer) on the page's text with tags, scripts and
   styles cut out, which is both faster and surer than on the whole markup;
5. UTF-8 with replacement characters, as a last resort."""
from __future__ import annotations

import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# Single-byte Latin charsets: every byte sequence decodes, so decoding proves nothing.
_LATIN = {"cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii", "cp1250", "iso8859_2"}
_CJK_MULTIBYTE = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "cp936", "euc_jp", "shift_jis",
                  "cp932", "euc_kr", "cp949", "iso2022_jp"}
_MARKUP = re.compile(rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_DETECT_BYTES = 100_000
_CJK_CHAOS_MARGIN = 0.05


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label (w3lib maps gb2312 to gb18030,
    big5 to big5hkscs, iso-8859-1 to cp1252, as browsers do)."""
    if not label:
        return None
    import codecs

    try:
        return codecs.lookup(resolve_encoding(label) or label).name.replace("-", "_")
    except LookupError:
        return None


def _decodes(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def detect(body: bytes) -> str | None:
    """The encoding of the page's text, judged on the text alone (the whole
    page when its text is too short to judge). A CJK multi-byte candidate
    about as clean as the best one wins: Big5 text also decodes, as noise,
    in several single-byte Latin charsets, but not the other way round."""
    from charset_normalizer import from_bytes

    text = _MARKUP.sub(b" ", body)
    found = list(from_bytes(text[:_DETECT_BYTES])) or list(from_bytes(body[:_DETECT_BYTES]))
    if not found:
        return None
    best = found[0]
    for match in found:
        if _codec(match.encoding) in _CJK_MULTIBYTE and match.chaos <= best.chaos + _CJK_CHAOS_MARGIN:
            return _codec(match.encoding)
    return _codec(best.encoding)


def decode_html(body: bytes, content_type: str | None) -> str:
    bom_enc, bom = read_bom(body)
    if bom_enc is not None and bom is not None:
        return body[len(bom):].decode(bom_enc, errors="replace")
    if (text := _decodes(body, "utf-8")) is not None:
        return text
    guess = None
    for label in (http_content_type_encoding(content_type or ""), html_body_declared_encoding(body)):
        codec = _codec(label)
        if codec is None or codec == "utf_8" or (text := _decodes(body, codec)) is None:
            continue  # a label the bytes contradict
        if codec in _LATIN:
            guess = guess or detect(body)
            if guess and guess not in _LATIN and (other := _decodes(body, guess)) is not None:
                return other
        return text
    guess = guess or detect(body)
    if guess and (text := _decodes(body, guess)) is not None:
        return text
    return body.decode(guess or "utf-8", errors="replace")


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
