"""Articles as sentence rows: the unit of matching and of sentiment.

Matching sentence by sentence lets a negation stop at a full stop, and lets
the tone of the sentences that name an entity become the tone toward it."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl

from transforms.kernels import code_points, text_units
from transforms.kernels import sentences as sentence_kernel

# A full stop followed by space ends a sentence (so 3.5% and U.S.-made do not);
# CJK and Arabic terminators end one wherever they are.
_LATIN_ENDS, _OTHER_ENDS = ".!?;:", "。！？；؟؛"
_LATIN_END = f"([{_LATIN_ENDS}])\\s+"
_OTHER_END = f"([{_OTHER_ENDS}])"


# Marks the first sentence of each paragraph after the first while the text
# is cut; a control character no extracted text keeps.
_PARAGRAPH = "\x1e"


def split_sentences(frame: pl.DataFrame) -> pl.DataFrame:
    """(sid, article_id, lang, sentence, sent_idx, para_idx): the headline is
    sentence 0 and, with the body's first paragraph, paragraph 0; a line
    break starts a paragraph (where a long commentary turns to its next
    subject, transforms.topics.with_passages). Empty sentences are dropped
    but keep their index. One compiled pass per article
    (transforms.kernels.sentences); `_by_expression` states the same rules
    as Polars expressions."""
    classes = code_points.tables()[1]
    title, text = frame["title"].fill_null(""), frame["text"].fill_null("")
    article, sent_idx, para_idx, offsets, data = sentence_kernel.split(
        *text_units.buffers(title), *text_units.buffers(text), classes, _ends())
    return pl.DataFrame({
        "sid": np.arange(article.size, dtype=np.int64),
        "article_id": frame["article_id"].gather(article), "lang": frame["lang"].gather(article),
        "sentence": text_units.strings(offsets, data), "sent_idx": sent_idx, "para_idx": para_idx,
    })


@lru_cache(maxsize=1)
def _ends() -> np.ndarray:
    """Per code point: LATIN_END, OTHER_END or 0."""
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(c) for c in _LATIN_ENDS]] = sentence_kernel.LATIN_END
    table[[ord(c) for c in _OTHER_ENDS]] = sentence_kernel.OTHER_END
    return table


def _by_expression(frame: pl.DataFrame) -> pl.DataFrame:
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
