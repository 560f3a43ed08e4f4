"""Word forms for each language: what counts as a word for tone and matching."""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from transforms.normalize import dense_text, tokens_text, word_count_spaced


@lru_cache(maxsize=8)
def _tokenizer(extra_words: tuple[str, ...]):
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    # Lexicon terms such as 超预期 or 创新高 must come out as one word, or the
    # word-level lexicon could never match them.
    for word in extra_words:
        tk.add_word(word)
    return tk


def segment_zh(texts: list[str], extra_words: tuple[str, ...] = ()) -> list[str]:
    """Chinese has no spaces: jieba splits words so '不断' is not read as '不'."""
    tk = _tokenizer(tuple(sorted(extra_words)))
    return [" ".join(tk.cut(t or "")) for t in texts]


def with_word_forms(frame: pl.DataFrame, text_col: str = "body",
                    zh_words: tuple[str, ...] = ()) -> pl.DataFrame:
    """Add `words` (padded word tokens; jieba words for zh), `dense` (for
    substring matching) and `word_count`."""
    is_zh = frame["lang"] == "zh"
    seg = frame[text_col].to_list()
    if is_zh.any():
        idx = [i for i, z in enumerate(is_zh.to_list()) if z]
        cut = segment_zh([seg[i] or "" for i in idx], zh_words)
        for i, s in zip(idx, cut):
            seg[i] = s
    out = frame.with_columns(pl.Series("_seg", seg, dtype=pl.String))
    out = out.with_columns(
        tokens_text(pl.col("_seg")).alias("words"),
        dense_text(pl.col(text_col)).alias("dense"),
    ).drop("_seg")
    return out.with_columns(word_count_spaced(pl.col("words")).cast(pl.Int64).alias("word_count"))

