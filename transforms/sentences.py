"""Articles as sentence rows: the unit of matching and of sentiment.

Matching sentence by sentence lets a negation stop at a full stop, and lets
the tone of the sentences that name an entity become the tone toward it."""
from __future__ import annotations

import polars as pl

# A full stop followed by space ends a sentence (so 3.5% and U.S.-made do not);
# CJK and Arabic terminators end one wherever they are.
_LATIN_END = r"([.!?;:])\s+"
_OTHER_END = r"([。！？；؟؛])"


# Marks the first sentence of each paragraph after the first while the text
# is cut; a control character no extracted text keeps.
_PARAGRAPH = "\x1e"


def split_sentences(frame: pl.DataFrame) -> pl.DataFrame:
    """(sid, article_id, sent_idx, lang, sentence, para_idx): the headline is
    sentence 0 and, with the body's first paragraph, paragraph 0; a line
    break starts a paragraph (where a long commentary turns to its next
    subject, transforms.topics.with_passages)."""
    body = (
        pl.col("text").fill_null("").str.replace_all(_PARAGRAPH, "", literal=True)
        .str.replace_all(r"\s*\n\s*", "\n" + _PARAGRAPH)
        .str.replace_all(_LATIN_END, "$1\n").str.replace_all(_OTHER_END, "$1\n")
    )
    return (
        frame.select(
            "article_id", "lang",
            pl.concat_list(pl.col("title").fill_null(""), body.str.split("\n")).alias("sentence"),
        )
        .with_columns(pl.int_ranges(pl.col("sentence").list.len()).alias("sent_idx"))
        .explode("sentence", "sent_idx")
        .with_columns(pl.col("sentence").str.starts_with(_PARAGRAPH).cum_sum().over("article_id")
                      .cast(pl.Int32).alias("para_idx"))
        .with_columns(pl.col("sentence").str.strip_chars_start(_PARAGRAPH).str.strip_chars())
        .filter((pl.col("sentence") != "") | (pl.col("sent_idx") == 0))
        .with_row_index("sid")
        .with_columns(pl.col("sid").cast(pl.Int64), pl.col("sent_idx").cast(pl.Int64))
    )
