"""Articles as sentence rows: the unit of matching and of sentiment.

Matching sentence by sentence lets a negation stop at a full stop, and lets
the tone of the sentences that name an entity become the tone toward it."""
from __future__ import annotations

import polars as pl

# A full stop followed by space ends a sentence (so 3.5% and U.S.-made do not);
# CJK and Arabic terminators end one wherever they are.
_LATIN_END = r"([.!?;:])\s+"
_OTHER_END = r"([。！？；؟؛])"


def split_sentences(frame: pl.DataFrame) -> pl.DataFrame:
    """(sid, article_id, sent_idx, lang, sentence): the headline is sentence 0."""
    body = (
        pl.col("text").fill_null("")
        .str.replace_all(_LATIN_END, "$1\n").str.replace_all(_OTHER_END, "$1\n")
    )
    return (
        frame.select(
            "article_id", "lang",
            pl.concat_list(pl.col("title").fill_null(""), body.str.split("\n")).alias("sentence"),
        )
        .with_columns(pl.int_ranges(pl.col("sentence").list.len()).alias("sent_idx"))
        .explode("sentence", "sent_idx")
        .with_columns(pl.col("sentence").str.strip_chars())
        .filter((pl.col("sentence") != "") | (pl.col("sent_idx") == 0))
        .with_row_index("sid")
        .with_columns(pl.col("sid").cast(pl.Int64), pl.col("sent_idx").cast(pl.Int64))
    )
