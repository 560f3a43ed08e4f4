"""Shared rules and loaders for the vocabulary checks (tests/config)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
TAXONOMY_PATH = CONFIG / "taxonomy.yaml"
ENTITIES_PATH = CONFIG / "entities.yaml"
LEXICON_DIR = CONFIG / "lexicons"

LANGS = ("en", "ar", "zh")
ID_RE = re.compile(r"^[a-z0-9_]+$")
VERSION_RE = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
ENTITY_TYPES = {"org", "person", "place", "institution", "product"}

MIN_TOPICS = 30
MIN_ENTITIES = 160
MIN_TERMS_PER_POLARITY = 250
PHRASES_PER_LANG = (6, 20)
WEIGHT_RANGE = (0.5, 2.0)

# Arabic: a phrase must not start with a clitic fused to the article
# (wa+al, bi+al, li+al -> "lil").
ARABIC_CLITIC_ARTICLE_PREFIXES = ("وال", "بال", "لل")
ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
DIACRITICS_RE = re.compile(r"[\u064B-\u0652]")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (pyyaml silently keeps the last one)."""


def _construct_mapping_no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_no_duplicates)


def _load(path: Path):
    assert path.is_file(), f"missing vocabulary file: {path}"
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass


def _is_clean_string(value) -> bool:
    return isinstance(value, str) and value != "" and value == value.strip() and "  " not in value


def _arabic_entries_with_bad_prefix(strings) -> list[str]:
    return [s for s in strings if s.startswith(ARABIC_CLITIC_ARTICLE_PREFIXES)]


def _mixed_script_tokens(strings) -> list[str]:
    """Arabic-script tokens that also contain Latin letters (typically a typo)."""
    bad = []
    for s in strings:
        for token in s.split():
            if ARABIC_LETTER_RE.search(token) and LATIN_LETTER_RE.search(token):
                bad.append(s)
                break
    return bad


# Very common Arabic words that no vocabulary entry may spell once a clitic
# (و ف ب ل ك) or the article is added or removed, e.g. أمل -> كامل ("complete"),
# آمن -> الأمن ("security"), الذهب -> ذهب ("went").
COMMON_ARABIC_WORDS = (
    "كامل كاملة الكامل الأمن أمن ذهب وذهب قال وقال كان وكان كانت أن إن التي الذي الذين على إلى عن "
    "بين كما لكن لقد قد بعد قبل عند خلال حول حيث أمام ذلك هذا هذه هناك هنا بل أو ثم أي كل بعض غير "
    "العام اليوم الأول أول وأضاف أضاف أكد وأكد أشار وأشار"
).split()
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


def _ar_fold(text: str) -> str:
    return DIACRITICS_RE.sub("", text).translate(_AR_FOLD)


def _arabic_surface_forms(entry: str) -> set[str]:
    """Forms a one-word entry takes in running text: with/without ال, with a clitic prefix."""
    word = _ar_fold(entry)
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    forms = {bare, "ال" + bare, "لل" + bare}
    for clitic in "وفبلك":
        forms |= {clitic + bare, clitic + "ال" + bare}
    return forms


def _arabic_common_word_collisions(entries) -> list[tuple[str, str]]:
    common = {_ar_fold(w) for w in COMMON_ARABIC_WORDS}
    out = []
    for entry in entries:
        if " " in entry:
            continue
        out += [(entry, f) for f in sorted(_arabic_surface_forms(entry) & common)]
    return out


# ---------------------------------------------------------------------------
# Taxonomy
# ---------------------------------------------------------------------------




def _is_weight(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


