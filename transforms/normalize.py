"""Text normal forms as Polars expressions.

Patterns and texts go through the same expressions, so a phrase in the
taxonomy matches the text however the outlet spelled the hamza or cased a name."""
from __future__ import annotations

import polars as pl

# Arabic diacritics (tashkeel), superscript alef and tatweel carry no meaning for matching.
_AR_MARKS = r"[\u064B-\u065F\u0670\u0640]"
_AR_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
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
_NON_WORD = r"[^\p{L}\p{N}\p{Extended_Pictographic}]+"


def fold(expr: pl.Expr) -> pl.Expr:
    """Lowercase, strip Arabic marks, fold Arabic letter variants and elongation."""
    out = expr.fill_null("").str.to_lowercase().str.replace_all(_AR_MARKS, "")
    return out.str.replace_many(list(_AR_FOLD), list(_AR_FOLD.values())).str.replace_all(_AR_ELONGATED, _AR_ONE)


def _separated(expr: pl.Expr) -> pl.Expr:
    """Folded text with every run of separators one space and every emoji a word."""
    return fold(expr).str.replace_all(EMOJI, " $0 ").str.replace_all(_NON_WORD, " ")


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
