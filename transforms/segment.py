"""Word forms for each language: what counts as a word for tone and matching.

Chinese is matched as substrings (names, topic phrases and the sentiment
lexicon alike), so it needs no segmenter at run time; its word count, the
denominator of GDELT's percentages, is estimated from Han characters."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.kernels import code_points, text_units, word_forms
from transforms.normalize import dense_text

# Han characters per word, measured with jieba over the demo and evaluation
# corpora (15,582 characters in 8,192 words, 2026-11-25).
HAN_CHARS_PER_WORD = 1.9
_HAN = r"[\p{Han}]"
_LATIN_WORD = r"[\p{Latin}\p{N}]+"


def _word_count(words: pl.Expr, text: pl.Expr) -> pl.Expr:
    """Words in a padded word-token string (' a b c ' has four spaces, three
    words); Chinese from its Han characters, plus its Latin words."""
    spaced = pl.when(words.str.len_bytes() > 2).then(words.str.count_matches(" ", literal=True) - 1).otherwise(0)
    chinese = pl.when(pl.col("lang") == "zh").then(text.fill_null(""))  # null elsewhere: not scanned
    han = chinese.str.count_matches(_HAN)
    latin = chinese.str.count_matches(_LATIN_WORD)
    return (
        pl.when(pl.col("lang") == "zh").then((han / HAN_CHARS_PER_WORD).round(0).cast(pl.Int64) + latin)
        .otherwise(spaced).cast(pl.Int64)
    )


def with_word_forms(frame: pl.DataFrame, text_col: str = "body") -> pl.DataFrame:
    """Add `dense` (for substring matching), `words` (padded word tokens)
    and `word_count`.

    `dense` is the text folded and its separators squeezed
    (transforms.normalize.dense_text), `words` is `dense` trimmed and
    padded: both from one compiled pass over the text
    (transforms.kernels.word_forms). The rare text with a character whose
    lowercase depends on its neighbours (Σ) or is two characters (İ) goes
    through the expressions themselves."""
    texts = frame[text_col]
    folded, classes = code_points.tables()
    (dense_at, dense, words_at, words, count, han, latin,
     by_context) = word_forms.word_forms(*text_units.buffers(texts), folded, classes)
    chinese = (pl.col("han") / HAN_CHARS_PER_WORD).round(0).cast(pl.Int64) + pl.col("latin")
    out = frame.with_columns(text_units.strings(dense_at, dense, "dense"), text_units.strings(words_at, words, "words"),
                             pl.Series("han", han), pl.Series("latin", latin), pl.Series("spaced", count))
    out = out.with_columns(pl.when(pl.col("lang") == "zh").then(chinese).otherwise(pl.col("spaced"))
                           .cast(pl.Int64).alias("word_count")).drop("han", "latin", "spaced")
    if by_context.any():
        at = np.flatnonzero(by_context)
        exact = _by_expression(frame[at], text_col)
        out = out.with_columns(out[c].scatter(at, exact[c]) for c in ("dense", "words", "word_count"))
    return out


def _by_expression(frame: pl.DataFrame, text_col: str) -> pl.DataFrame:
    return (
        frame.with_columns(dense_text(pl.col(text_col)).alias("dense"))
        .with_columns(pl.concat_str(pl.lit(" "), pl.col("dense").str.strip_chars(" "), pl.lit(" ")).alias("words"))
        .with_columns(_word_count(pl.col("words"), pl.col(text_col)).alias("word_count"))
    )
