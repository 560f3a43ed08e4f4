"""The model features of transforms.features as 64-bit keys instead of strings.

Training cuts text into token strings (`token_rows`): "profit", the bigram
"profit warning", the Arabic stem "~ذكاء", the lexicon class "<lex+2>".
At enrichment time building millions of such strings only to look them up
is most of the cost, so each text unit (a word; in Chinese a Han character
or a Latin run) is hashed once and every feature key is arithmetic on those
hashes. `vocabulary_keys` gives a model's token strings the same keys, so
the two sides meet on one integer join. Keys live within one process (Polars
hashes are not stable across versions): the model side is recomputed on load.
"""
from __future__ import annotations

import polars as pl

from transforms.features import _AR_CLITIC

UNIT_SEED, STEM_SEED = 0x6D65, 0x7374
# odd 64-bit multipliers: a pair key mixes both units and keeps their order
_LEFT, _RIGHT = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
_ZH_UNIT = r"\p{Han}|[\p{Latin}\p{N}]+"


def pair_key(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    return (left * pl.lit(_LEFT, pl.UInt64)).xor(right * pl.lit(_RIGHT, pl.UInt64))


def units(frame: pl.DataFrame, key: str = "sid") -> pl.DataFrame:
    """(key, lang, tok, h) one row per text unit, in text order.

    `frame` has `key`, lang, words, dense (transforms.segment.with_word_forms).
    Rows of one key stay contiguous, as do the keys of one language."""
    cols = (key, "lang")
    words = (frame.filter(pl.col("lang") != "zh")
             .select(*cols, pl.col("words").str.strip_chars().str.split(" ").alias("tok"))
             .explode("tok").filter(pl.col("tok").is_not_null() & (pl.col("tok") != "")))
    han = (frame.filter(pl.col("lang") == "zh")
           .select(*cols, pl.col("dense").str.extract_all(_ZH_UNIT).alias("tok"))
           .explode("tok").drop_nulls("tok"))
    return pl.concat([words, han]).with_columns(pl.col("tok").hash(UNIT_SEED).alias("h"))


def feature_keys(unit_rows: pl.DataFrame, key: str = "sid", lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """(key, k): one row per feature occurrence, as token_rows cuts them:
    units, pairs of neighbouring units within one `key`, Arabic clitic-free
    stems, and with a `lexicon` (k, lk) the class token of each unit or stem
    it lists (transforms.features.with_lexicon_tokens)."""
    same = pl.col(key).shift(-1) == pl.col(key)
    unigrams = unit_rows.select(key, pl.col("h").alias("k"))
    pairs = unit_rows.select(key, pl.when(same).then(pair_key(pl.col("h"), pl.col("h").shift(-1)))
                             .alias("k")).drop_nulls("k")
    stems = _stem_keys(unit_rows.filter(pl.col("lang") == "ar"), key)
    features = pl.concat([unigrams, pairs, stems])
    if lexicon is None:
        return features
    # a Chinese lexicon word of two characters is a pair
    return pl.concat([features, features.join(lexicon, on="k").select(key, pl.col("lk").alias("k"))])


def stem_table(arabic: pl.DataFrame) -> pl.DataFrame:
    """(h, k): the clitic-free stem key of each distinct unit (of `arabic`'s
    h, tok) that has one. A batch repeats the same few thousand words: the
    stem regex runs once per distinct unit key (units whose keys collide are
    one feature to the models already)."""
    stem = pl.col("tok").str.extract(_AR_CLITIC, 1)
    return (arabic.select("h", "tok").unique("h").select("h", stem.alias("_s")).drop_nulls("_s")
            .select("h", pl.col("_s").hash(STEM_SEED).alias("k")))


def _stem_keys(arabic: pl.DataFrame, key: str) -> pl.DataFrame:
    """(key, k) of the clitic-free stem of each unit that has one, in unit order."""
    return arabic.select(key, "h").join(stem_table(arabic), on="h", maintain_order="left").select(key, "k")


def vocabulary_keys(tokens: pl.Expr, lang: pl.Expr) -> pl.Expr:
    """The key of a model token string, as feature_keys computes it from text:
    "~stem" is a stem, "a b" (or, in Chinese, two units run together) a pair,
    anything else (a unit, a lexicon class) a unit."""
    zh_units = tokens.str.extract_all(_ZH_UNIT)
    parts = pl.when(lang == "zh").then(zh_units).otherwise(tokens.str.split(" "))
    two = (parts.list.len() == 2) & ~tokens.str.starts_with("<lex")
    unit = tokens.hash(UNIT_SEED)
    pair = pair_key(parts.list.get(0, null_on_oob=True).hash(UNIT_SEED),
                    parts.list.get(1, null_on_oob=True).hash(UNIT_SEED))
    stem = tokens.str.strip_prefix("~").hash(STEM_SEED)
    return (pl.when(tokens.str.starts_with("~")).then(stem)
            .when(two).then(pair).otherwise(unit))
