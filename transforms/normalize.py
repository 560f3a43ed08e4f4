"""Text normal forms as Polars expressions.

Patterns and texts go through the same expressions, so a phrase in the
taxonomy matches the text however the outlet spelled the hamza or cased a name."""
from __future__ import annotations

import polars as pl

# Arabic diacritics (tashkeel, U+064B-U+065F), superscript alef and tatweel carry no meaning for matching.
_AR_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
# The marks dropped and the letters folded, as one table of single characters:
# one Aho-Corasick pass does both (the characters are distinct, so replacing
# them at once is replacing them one after the other) at half the cost of a
# regex pass followed by the fold.
_AR_MARK_CHARS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
_AR_FROM = _AR_MARK_CHARS + list(_AR_FOLD)
_AR_TO = [""] * len(_AR_MARK_CHARS) + list(_AR_FOLD.values())
# An Arabic letter written three or more times in a row is elongation for
# emphasis (روووعة, خطيييير), never spelling: it is read as one letter.
# The regex engine has no back-references, so each letter has its own group.
_AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_AR_ELONGATED = "|".join(f"({c}){c}{{2,}}" for c in _AR_LETTERS)
_AR_ONE = "".join(f"${{{i + 1}}}" for i in range(len(_AR_LETTERS)))
# Everything that is not a letter, digit or emoji separates words (keeps CJK
# and Arabic letters). An emoji is a word of its own: in posts and reviews it
# often is the judgement ("love it😍"), so it is cut loose from its neighbours.
EMOJI = r"\p{Extended_Pictographic}"
# Each run of separators becomes one space. A lone space already is one, and
# most separators in prose are lone spaces, so the pattern skips them (half
# the cost of rewriting every run): a run that starts with a space matches
# only if a second separator follows.
_SEP, _SEP_NOT_SPACE = r"[^\p{L}\p{N}\p{Extended_Pictographic}]", r"[^\p{L}\p{N}\p{Extended_Pictographic} ]"
_NON_WORD_TO_SQUEEZE = f" ?{_SEP_NOT_SPACE}{_SEP}*| {{2,}}{_SEP}*"


def _fold_letters(expr: pl.Expr) -> pl.Expr:
    """Lowercase, strip Arabic marks, fold Arabic letter variants: one
    character at a time (the tables of transforms.kernels.code_points)."""
    return expr.fill_null("").str.to_lowercase().str.replace_many(_AR_FROM, _AR_TO)


def fold(expr: pl.Expr) -> pl.Expr:
    """Lowercase, strip Arabic marks, fold Arabic letter variants and elongation."""
    return _fold_letters(expr).str.replace_all(_AR_ELONGATED, _AR_ONE)


def _separated(expr: pl.Expr) -> pl.Expr:
    """Folded text with every run of separators one space and every emoji a word."""
    return fold(expr).str.replace_all(EMOJI, " $0 ").str.replace_all(_NON_WORD_TO_SQUEEZE, " ")


def tokens_text(expr: pl.Expr) -> pl.Expr:
    """' tok tok tok ': word boundaries become single spaces, padded at both ends,
    so a padded pattern ' tok ' can only match whole words."""
    return pl.concat_str(pl.lit(" "), _separated(expr).str.strip_chars(), pl.lit(" "))


def dense_text(expr: pl.Expr) -> pl.Expr:
    """Folded text with runs of separators squeezed, for Chinese substring matching."""
    return _separated(expr)


def word_count_spaced(expr: pl.Expr) -> pl.Expr:
    """Words in a tokens_text string."""
    return expr.str.strip_chars().str.count_matches(r"\S+")


def normalize_values(values: list[str], how) -> list[str]:
    """Run plain strings through the same expression the texts go through."""
    if not values:
        return []
    return pl.DataFrame({"v": values}).select(how(pl.col("v"))).to_series().to_list()
