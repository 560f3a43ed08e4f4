"""Article text by a fallback chain: precision first, recall when the precise
result looks like a miss.

trafilatura's precision settings (tables dropped, aggressive pruning) keep
share bars, related links and comments out of modern pages, and beat its
defaults there; but on the old portal layouts still common on Chinese, Greek,
Russian and Arabic sites the body sits inside layout tables, and the precise
pass returns a headline, a caption or nothing. So:

1. precise pass (with metadata, which is the costly half of a page);
2. if its text is short, or is a small share of the page's visible text and
   a cheap wide pass (tables kept, default pruning) finds much more, the
   precise pass has likely cut the body:
3. recall pass, trafilatura's default extraction with its readability and
   jusText fallbacks, tables kept, comments still left out, and blocks named
   as comments, share bars, related links or sidebars pruned first.

The triggers were chosen on ../shared/data/extraction (benchmarks/
extraction_quality.py prints the effect per set and language): the length
alone misses pages where precision keeps a long teaser and drops the rest,
the ratio alone misses pages where both passes find little."""
from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache

# Characters below which the precise pass is treated as a miss: a news body is
# rarely shorter, and a short one costs only a second extraction. (Counting
# Chinese characters twice saved the recall pass on short Chinese briefs but
# lost bodies on modern Chinese pages of the gold sets; 500 for all scripts.)
SHORT_TEXT = 500
# A wide pass this many times longer than the precise one means precision cut
# part of the body, not just boilerplate (boilerplate alone rarely doubles it).
WIDER_BY = 2.0
# The wide pass runs only when the precise text is under this share of the
# page's visible text: above it precision cannot have cut much (on the gold
# sets this skips the wide pass on 88% of pages and loses 1 of 15 rescues).
SMALL_SHARE = 0.2


# Blocks named for what they are. trafilatura's own discard rules look at divs,
# sections and lists, not at table cells, so on a layout-table page the
# comments, share bar and related links of the body's table survive the recall
# pass; these are the names such portals give them (class or id, any case),
# the hot-news rankings (热门排行) and top bars of Chinese portals included.
_BOILERPLATE = re.compile(
    r"(?:^|\s)(?:comment|share|social|related|footer|sidebar|breadcrumb|crumbs|tags|menu|newsletter|most-?read"
    r"|hot-?(?:rank|news|list)|rank-?list|top-?bar|logo|masthead|copyright)"
    r"|(?:^|\s)(?:side|nav|ads|advert|poll)(?:\s|$)")
# ...unless the block holds this share of the page's text: then the name is
# a theme's quirk (<div class="article share-enabled">), not a share bar.
_BOILERPLATE_MAX_SHARE = 0.4
_NOT_TEXT = {"script", "style", "noscript", "template"}

PRECISE = {"favor_precision": True, "include_tables": False, "fast": True}
WIDE = {"include_tables": True, "fast": True}
RECALL = {"include_tables": True, "fast": False}


@lru_cache(maxsize=1)
def _config():
    """Built once per process, not once per page."""
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signals do not work in worker threads
    return cfg


def _pass(tree, url: str, settings: dict, date_params: dict | None = None) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, with_metadata=date_params is not None,
        date_extraction_params=date_params, config=_config(), **settings,
    )
    return doc.as_dict() if doc is not None else {}


def _text_chars(el) -> int:
    """Characters of visible text (no whitespace) under el; scripts and styles
    can outweigh a page's text, so they are not counted."""
    n = 0
    for node in el.iter():
        if node is not el and node.tail:
            n += len("".join(node.tail.split()))
        if node.text and isinstance(node.tag, str) and node.tag not in _NOT_TEXT:
            n += len("".join(node.text.split()))
    return n


def _drop(el) -> None:
    """Remove el but keep its tail text, which belongs to the parent."""
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def without_boilerplate(tree, page_chars: int):
    """A copy of the tree without the blocks named as boilerplate."""
    tree = deepcopy(tree)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "article", "main"):
            continue
        name = f"{el.get('class') or ''} {el.get('id') or ''}".lower().replace("_", "-")
        if name.strip() and _BOILERPLATE.search(name) and el.getparent() is not None:
            if _text_chars(el) <= _BOILERPLATE_MAX_SHARE * page_chars:
                _drop(el)
    return tree


_EMPTY_ROW = re.compile(r"^[|\s]*$")
_CELL_EDGE = re.compile(r"^\|\s*|\s*\|$")


def _untabled(text: str) -> str:
    """trafilatura writes table cells as "| a | b |" rows; a layout table's
    cells are the page's columns, so its empty rows and outer bars are noise."""
    lines = (_CELL_EDGE.sub("", line) for line in text.split("\n") if not _EMPTY_ROW.match(line))
    return "\n".join(lines)


def extract_article(html: str, url: str, date_params: dict) -> tuple[dict, str]:
    """(trafilatura's document as a dict, the pass its text came from: precise,
    recall or none). Metadata comes from the precise pass, computed once."""
    from trafilatura.utils import load_html

    tree = load_html(html)  # parsed once; trafilatura copies it for each pass
    if tree is None:
        return {}, "none"
    doc = _pass(tree, url, PRECISE, date_params)
    text = doc.get("text") or ""
    body = tree.find("body")
    page_chars = _text_chars(body if body is not None else tree)
    short = len(text) < SHORT_TEXT
    if not short and len(text) >= SMALL_SHARE * page_chars:
        return doc, "precise"  # most pages: the precise pass kept a good part of the page's text
    cleaned = without_boilerplate(tree, page_chars)
    if not short:
        wide = _pass(cleaned, url, WIDE).get("text") or ""
        if len(wide) <= WIDER_BY * len(text):
            return doc, "precise"
    if not doc:  # nothing kept, not even metadata: the recall pass brings its own
        again = _pass(cleaned, url, RECALL, date_params)
        return ({**again, "text": _untabled(again["text"])}, "recall") if again.get("text") else ({}, "none")
    recall = _pass(cleaned, url, RECALL).get("text") or ""
    if len(recall) <= len(text):
        return doc, "precise"
    return {**doc, "text": _untabled(recall)}, "recall"
