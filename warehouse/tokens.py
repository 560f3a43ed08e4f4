"""Search tokens for ar, zh and en, the same for documents and queries.

Chinese has no spaces: every run of Han characters becomes its characters and
their overlapping bigrams (the usual n-gram index for Chinese retrieval; a
two-character word matches exactly, a longer one as a chain of bigrams).
Arabic is normalized (diacritics and tatweel dropped; alef forms, alef
maqsura/yaa, taa marbuta/haa, hamza carriers unified) and light-stemmed: the
attached conjunctions, prepositions and article (و ف ب ك ل ال) and the common
suffixes come off, as in Larkey's light10 stemmer. Latin text is lower-cased
and plurals folded. Tokens are joined by spaces for DuckDB's FTS index."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

VERSION = "1"  # bump when tokens change: search indexes built with another version are rebuilt
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ARABIC = "\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u06fa-\u06ff"
HAN_CLASS, ARABIC_CLASS = _HAN, _ARABIC + "\u064b-\u065f\u0670\u0640"  # for search_index's vectorized copy
_TOKEN = re.compile(rf"([{_HAN}]+)|([{_ARABIC}\u064b-\u065f\u0670\u0640]+)|([^\W_{_HAN}{_ARABIC}]+)")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                         "ک": "ك", "ی": "ي"})
# light10, after normalization (so taa marbuta is already haa)
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def normalize_arabic(word: str) -> str:
    return _DIACRITICS.sub("", word).translate(_AR_MAP)


@lru_cache(maxsize=200_000)  # a language has far fewer distinct words than a corpus has tokens
def stem_arabic(word: str) -> str:
    w = normalize_arabic(word)
    if len(w) > 3 and w.startswith("و"):
        w = w[1:]
    for p in _AR_PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 2:
            w = w[len(p):]
            break
    for s in _AR_SUFFIXES:
        if w.endswith(s) and len(w) - len(s) >= 2:
            w = w[: -len(s)]
    return w


@lru_cache(maxsize=200_000)
def stem_latin(word: str) -> str:
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def han_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return list(run) + [run[i:i + 2] for i in range(len(run) - 1)]


def tokens(text: str | None) -> list[str]:
    if not text:
        return []
    out: list[str] = []
    for han, arabic, other in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
        if han:
            out.extend(han_grams(han))
        elif arabic:
            w = stem_arabic(arabic)
            if w:
                out.append(w)
        else:
            out.append(stem_latin(other))
    return out


def query_tokens(text: str) -> list[str]:
    """A query's tokens: for Chinese, only the bigrams of a longer run (its
    single characters would match every text that shares one character)."""
    out: list[str] = []
    for han, arabic, other in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
        if han:
            out.extend(han_grams(han)[len(han):] if len(han) > 1 else [han])
        elif arabic:
            out.append(stem_arabic(arabic))
        else:
            out.append(stem_latin(other))
    return [t for t in out if t]


def index_text(title: str | None, text: str | None, title_weight: int = 2) -> str:
    """The document as FTS sees it: the title counts `title_weight` times."""
    return " ".join(tokens(title) * title_weight + tokens(text))
