"""Per-code-point tables for the compiled text loops, read off Polars' own
expressions (transforms.normalize, the regex classes of transforms.features)
applied to every code point, so a loop that looks a character up does what
the expression would do to it."""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
import polars as pl

# class bits
HAN, LATIN_OR_DIGIT, WORD, PICTOGRAPH, ELONGATES = 1, 2, 4, 8, 16
LETTER, ARABIC, KANA_OR_HANGUL, SPACE = 32, 64, 128, 256
# `folded` values that are not a code point
DROPPED, BY_CONTEXT = -1, -2

_BUILDING = threading.Lock()  # enrichment slices run in threads: build once, not once each


def tables() -> tuple[np.ndarray, np.ndarray]:
    with _BUILDING:
        return _tables()


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(folded, classes) per code point 0..0x10FFFF.

    folded: the code point transforms.normalize.fold makes of it alone,
    DROPPED (an Arabic mark) or BY_CONTEXT where one code point in, one out
    does not hold (İ lowercases to two; Σ to σ or, ending a word, ς): a text
    with such a character is folded by the expression itself.
    classes: HAN (\\p{Han}), LATIN_OR_DIGIT ([\\p{Latin}\\p{N}]), WORD
    ([\\p{L}\\p{N}], not a separator), PICTOGRAPH (transforms.normalize.EMOJI),
    ELONGATES (an Arabic letter whose runs of three or more fold to one),
    LETTER (\\p{L}), ARABIC (\\p{Arabic}), KANA_OR_HANGUL (the scripts that
    make Han text Japanese or Korean, transforms.language), SPACE (\\s, the
    white space sentences are cut at and trimmed of)."""
    from transforms.kernels.text_units import buffers, first_code_points, strings
    from transforms.normalize import _AR_LETTERS, EMOJI, _fold_letters

    points = np.arange(0x110000)
    points = points[(points < 0xD800) | (points > 0xDFFF)]
    size = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    text = "".join(map(chr, points.tolist())).encode("utf-8")
    chars = strings(np.concatenate([[0], np.cumsum(size)]).astype(np.int64), np.frombuffer(text, dtype=np.uint8))
    frame = pl.DataFrame({"c": chars}).select(
        _fold_letters(pl.col("c")).alias("f"),
        *(pl.col("c").str.contains(f"^{cls}$").alias(name) for name, cls in (
            ("han", r"\p{Han}"), ("latin", r"[\p{Latin}\p{N}]"), ("word", r"[\p{L}\p{N}]"), ("picto", EMOJI),
            ("letter", r"\p{L}"), ("arabic", r"\p{Arabic}"), ("kana", r"[\p{Hiragana}\p{Katakana}\p{Hangul}]"),
            ("space", r"\s"))))
    f = frame["f"]
    one = (f.str.len_chars() == 1).to_numpy()
    folded = np.full(0x110000, BY_CONTEXT, dtype=np.int32)
    folded[points[one]] = first_code_points(*buffers(f))[one]
    folded[points[(f.str.len_chars() == 0).to_numpy()]] = DROPPED
    folded[ord("Σ")] = BY_CONTEXT
    classes = np.zeros(0x110000, dtype=np.uint16)
    for name, bit in (("han", HAN), ("latin", LATIN_OR_DIGIT), ("word", WORD), ("picto", PICTOGRAPH),
                      ("letter", LETTER), ("arabic", ARABIC), ("kana", KANA_OR_HANGUL), ("space", SPACE)):
        classes[points[frame[name].to_numpy()]] |= bit
    classes[[ord(c) for c in _AR_LETTERS]] |= ELONGATES
    return folded, classes
