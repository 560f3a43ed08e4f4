"""Whole-word phrase hits by joining word n-grams, without Aho-Corasick.

A word-mode pattern ' a b ' occurs in a padded, single-spaced word string
' x a b y ' exactly where its words are consecutive words of the text, so
hits can be found by looking word sequences up in a table instead of
scanning the bytes. The automaton over the Arabic patterns (every clitic
variant of every phrase, about 50,000) cost more to build, once per call,
than the scan itself; the lookup needs no build.

Word sequences are compared by 64-bit keys (a word's hash, mixed word by
word with transforms.feature_keys.pair_key) and only extended while they are
the start of some pattern. A key is a filter, not the answer: the text of
each candidate is rebuilt from its words and must equal a pattern, so a hash
collision cannot add a hit."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.feature_keys import _LEFT, _RIGHT, UNIT_SEED


def _mix(prefix: np.ndarray, word: np.ndarray) -> np.ndarray:
    """transforms.feature_keys.pair_key in numpy (the products wrap by design)."""
    return (prefix * np.uint64(_LEFT)) ^ (word * np.uint64(_RIGHT))


def _pattern_keys(plist: list[str]) -> dict[int, tuple[pl.Series, pl.Series]]:
    """Per word count n: (keys of the patterns' first n words, keys of the
    n-word patterns)."""
    words = pl.Series(plist, dtype=pl.String).str.strip_chars(" ").str.split(" ")
    size = words.list.len().to_numpy()
    hashes = [words.list.get(j, null_on_oob=True).hash(UNIT_SEED).to_numpy() for j in range(int(size.max()))]
    out, key = {}, hashes[0]
    for n in range(1, len(hashes) + 1):
        if n > 1:
            key = _mix(key, hashes[n - 1])
        out[n] = (pl.Series(key[size >= n]), pl.Series(key[size == n]))
    return out


def _text_words(frame: pl.DataFrame, key: str, text_col: str) -> pl.DataFrame:
    """(key, tok, pos): every word of `text_col` in text order, `pos` the byte
    offset of the space before it."""
    toks = (frame.select(key, pl.col(text_col).str.strip_chars(" ").str.split(" ").alias("tok"))
            .explode("tok").filter(pl.col("tok").is_not_null() & (pl.col("tok") != "")))
    step = (toks["tok"].str.len_bytes() + 1).cast(pl.Int64).to_numpy()
    end = np.cumsum(step)
    first = np.ones(toks.height, dtype=bool)
    first[1:] = toks[key].to_numpy()[1:] != toks[key].to_numpy()[:-1]
    # a row's offset within its text: the running total since its text's first word
    # (the running total only grows, so the latest text start is the maximum so far)
    start = np.maximum.accumulate(np.where(first, end - step, 0)) if toks.height else end
    return toks.with_columns(pl.Series("pos", end - step - start, dtype=pl.UInt32))


def find_word_hits(frame: pl.DataFrame, plist: list[str], text_col: str, key: str) -> pl.DataFrame:
    """(key, pattern, pos): every occurrence of the padded word patterns `plist`
    in the padded word strings of `text_col` (as transforms.matching.find_hits)."""
    schema = {key: frame.schema[key], "pattern": pl.String, "pos": pl.UInt32}
    if not plist:
        return pl.DataFrame(schema=schema)
    words = _text_words(frame, key, text_col)
    n_rows = words.height
    owner = words[key].to_numpy()
    unit = words["tok"].hash(UNIT_SEED).to_numpy()
    found: list[pl.DataFrame] = []
    at = np.arange(n_rows)
    prefix = unit
    for n, (prefixes, complete) in _pattern_keys(plist).items():
        if n > 1:
            last = at + (n - 1)
            inside = last < n_rows
            inside[inside] = owner[last[inside]] == owner[at[inside]]
            at, prefix = at[inside], _mix(prefix[inside], unit[last[inside]])
        keys = pl.Series(prefix)
        hit = keys.is_in(complete.implode()).to_numpy()
        if hit.any():
            found.append(_candidates(words, key, at[hit], n))
        more = keys.is_in(prefixes.implode()).to_numpy()
        at, prefix = at[more], prefix[more]
        if not at.size:
            break
    if not found:
        return pl.DataFrame(schema=schema)
    return pl.concat(found).filter(pl.col("pattern").is_in(plist)).select(list(schema))


def _candidates(words: pl.DataFrame, key: str, at: np.ndarray, n: int) -> pl.DataFrame:
    """(key, pattern, pos) of the n-word sequences starting at rows `at`, their text rebuilt."""
    tok = words["tok"]
    parts = [pl.lit(" ")] + [p for j in range(n) for p in (pl.lit(tok.gather(at + j)), pl.lit(" "))]
    start = words.select(key, "pos")[at]
    return start.with_columns(pl.concat_str(parts).alias("pattern"))
