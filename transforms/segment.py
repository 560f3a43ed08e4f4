"""Word forms for each language: what counts as a word for tone and matching.

Chinese is matched as substrings (names, topic phrases and the sentiment
lexicon alike), so it needs no segmenter at run time; its word count, the
denominator of GDELT's percentages, is estimated from Han characters."""
from __future__ import annotations

import polars as pl

from transforms.normalize import dense_text, tokens_text, word_count_spaced

# Han characters per word, measured with jieba over the demo and evaluation
# corpora (15,582 characters in 8,192 words, 2026-11-25).
HAN_CHARS_PER_WORD = 1.9
_HAN = r"[\p{Han}]"
_LATIN_WORD = r"[\p{Latin}\p{N}]+"


def word_count(text: pl.Expr) -> pl.Expr:
    words = word_count_spaced(tokens_text(text))
    han = text.fill_null("").str.count_matches(_HAN)
    latin = text.fill_null("").str.count_matches(_LATIN_WORD)
    return (
        pl.when(pl.col("lang") == "zh").then((han / HAN_CHARS_PER_WORD).round(0).cast(pl.Int64) + latin)
        .otherwise(words).cast(pl.Int64)
    )


def with_word_forms(frame: pl.DataFrame, text_col: str = "body") -> pl.DataFrame:
    """Add `words` (padded word tokens), `dense` (for substring matching) and `word_count`."""
    return frame.with_columns(
        tokens_text(pl.col(text_col)).alias("words"),
        dense_text(pl.col(text_col)).alias("dense"),
        word_count(pl.col(text_col)).alias("word_count"),
    )
