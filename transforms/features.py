"""Text features for the trained models: the same Polars expressions at
training time (scripts/train_models.py) and at enrichment time, so a model
never sees tokens cut differently from the ones it learnt.

English and Arabic: word unigrams and bigrams of the folded word form (see
transforms.normalize); Arabic also gets each word without its attached
conjunction/preposition and article (وبالذكاء -> ذكاء), because the same
stem arrives under a dozen prefixed spellings. Chinese: character unigrams
and bigrams of Han text (no segmenter at run time) plus Latin words."""
from __future__ import annotations

import polars as pl

from transforms.segment import with_word_forms

# The longest prefix first: وبال before وب before و.
_AR_CLITIC = r"^(?:وبال|وال|بال|فال|كال|لل|ال|وب|ول|فب|فل|و|ف|ب|ل)(\p{L}{3,})$"


def token_rows(frame: pl.DataFrame, key: str = "sid", extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """(key, *extra, lang, tok) one row per occurrence, from rows with `key`, lang, words, dense.

    Occurrences are kept (not made unique): sentiment counts a token once per
    sentence, topics count how often an article uses it."""
    words = (
        frame.filter(pl.col("lang") != "zh")
        .select(key, *extra, "lang", pl.col("words").str.strip_chars().str.split(" ").alias("tok"))
        .explode("tok").filter(pl.col("tok").is_not_null() & (pl.col("tok") != ""))
    )
    han = (
        frame.filter(pl.col("lang") == "zh")
        .select(key, *extra, "lang", pl.col("dense").str.extract_all(r"\p{Han}|[\p{Latin}\p{N}]+").alias("tok"))
        .explode("tok").drop_nulls("tok")
    )
    parts = []
    for part, sep in ((words, " "), (han, "")):
        # rows of one key are contiguous after explode: a bigram pairs a token
        # with the next row when that row belongs to the same key
        same = pl.col(key).shift(-1) == pl.col(key)
        bigram = pl.when(same).then(pl.concat_str(pl.col("tok"), pl.lit(sep), pl.col("tok").shift(-1)))
        parts.append(part.select(key, *extra, "lang", "tok"))
        parts.append(part.select(key, *extra, "lang", bigram.alias("tok")).drop_nulls("tok"))
        if sep == " ":
            stem = pl.col("tok").str.extract(_AR_CLITIC, 1)
            parts.append(part.filter(pl.col("lang") == "ar").select(
                key, *extra, "lang", pl.concat_str(pl.lit("~"), stem).alias("tok")).drop_nulls("tok"))
    return pl.concat(parts)


def with_lexicon_tokens(tokens: pl.LazyFrame | pl.DataFrame, lexicon: pl.DataFrame | None,
                        key: str | tuple[str, ...]):
    """Add one token per lexicon word found, naming its polarity and strength
    (<lex+2>): a word the labelled data never showed still counts through
    the lexicon's class, whose weight the data did teach."""
    if lexicon is None or lexicon.is_empty():
        return tokens
    keys = (key,) if isinstance(key, str) else key
    lazy = isinstance(tokens, pl.LazyFrame)
    lex = lexicon.lazy() if lazy else lexicon
    found = tokens.join(lex, on=["lang", "tok"], how="inner").select(*keys, "lang", pl.col("lex").alias("tok"))
    return pl.concat([tokens.select(*keys, "lang", "tok"), found])


def lexicon_table(entries: list[tuple[str, str, float]]) -> pl.DataFrame:
    """(lang, tok, lex) from (lang, word, valence) on a -4..4 scale; words as
    the tokens are cut (folded), Arabic also as the clitic-free stem token."""
    from transforms.normalize import tokens_text

    df = pl.DataFrame(entries, schema={"lang": pl.String, "word": pl.String, "v": pl.Float64}, orient="row")
    df = df.with_columns(tokens_text(pl.col("word")).str.strip_chars().alias("tok")).filter(
        (pl.col("tok") != "") & ~pl.col("tok").str.contains(" ") & (pl.col("v").abs() >= 0.5))
    stems = df.filter(pl.col("lang") == "ar").with_columns(
        pl.concat_str(pl.lit("~"), pl.col("tok").str.replace(r"^ال", "")).alias("tok"))
    sign = pl.when(pl.col("v") > 0).then(pl.lit("+")).otherwise(pl.lit("-"))
    lex = pl.concat_str(pl.lit("<lex"), sign, pl.col("v").abs().round(0).clip(1, 4).cast(pl.Int64).cast(pl.String),
                        pl.lit(">"))
    return (pl.concat([df, stems]).group_by("lang", "tok").agg(pl.col("v").mean())
            .select("lang", "tok", lex.alias("lex")).sort("lang", "tok"))


def texts_to_tokens(texts: list[str], langs: list[str], lexicon: pl.DataFrame | None = None) -> list[list[str]]:
    """Token lists for plain texts (training and tests): the run-time cut."""
    frame = with_word_forms(pl.DataFrame({"text": texts, "lang": langs}).with_row_index("sid"), "text")
    toks = with_lexicon_tokens(token_rows(frame), lexicon, "sid").group_by("sid").agg("tok")
    got = dict(toks.iter_rows())
    return [got.get(i, []) for i in range(len(texts))]
