"""Phrase hits by looking word (or, in Chinese, code point) sequences up,
without Aho-Corasick.

A word-mode pattern ' a b ' occurs in a padded, single-spaced word string
' x a b y ' exactly where its words are consecutive words of the text, so
hits can be found by looking word sequences up in a table instead of
scanning the bytes. The automaton over the Arabic patterns (every clitic
variant of every phrase, about 50,000) cost more to build, once per call,
than the scan itself; the lookup needs no build. A Chinese substring
pattern is a sequence of code points, looked up from every code point of
the text: one pass where Polars scanned twice (extract_many for the
patterns, find_many for their offsets), 2.5-3.5x less CPU.

Word sequences are compared by 64-bit keys (a word's hash, mixed word by
word) and only extended while they are the start of some pattern
(transforms.kernels.phrase_match). A key is a filter, not the answer: the
text of each candidate is cut from the text and must equal a pattern, so a
hash collision cannot add a hit."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.feature_keys import cut
from transforms.kernels import hash_table, phrase_match, text_units
from transforms.kernels.phrase_match import COMPLETE, STARTS, length_key, sequence_key


def lookup_table(plist: list[str] | pl.Series) -> tuple[np.ndarray, int, np.ndarray, int]:
    """(slots, shift, flags, longest): every pattern's first n words, for
    each n, keyed by length_key, flagged STARTS (a longer pattern goes on)
    and/or COMPLETE (a pattern ends here)."""
    patterns = pl.Series(plist, dtype=pl.String)
    row, h, _, _ = cut(patterns, "")
    size = np.bincount(row, minlength=len(plist))
    keys, flags = [], []
    key = np.zeros(len(plist), dtype=np.uint64)
    first = np.searchsorted(row, np.arange(len(plist)))
    for n in range(1, int(size.max()) + 1):
        has = size >= n
        word = h[np.minimum(first + n - 1, h.size - 1)]
        key = np.where(has, word if n == 1 else sequence_key(key, word), key)
        keys.append(length_key(key[has], n))
        flags.append(np.where(size[has] > n, STARTS, 0) | np.where(size[has] == n, COMPLETE, 0))
    table = (pl.DataFrame({"k": np.concatenate(keys), "f": np.concatenate(flags).astype(np.int64)})
             .group_by("k").agg(pl.col("f").bitwise_or()))
    slots, shift = hash_table.build(table["k"].to_numpy())
    return slots, shift, table["f"].to_numpy().astype(np.int64), int(size.max())


def find_word_hits(frame: pl.DataFrame, plist: list[str] | pl.Series, text_col: str, key: str,
                   words: pl.DataFrame | None = None, table: tuple | None = None) -> pl.DataFrame:
    """(key, pattern, pos): every occurrence of the padded word patterns `plist`
    in the padded word strings of `text_col` (as transforms.matching.find_hits);
    `pos` is the byte offset of the space before the first word.

    `words`, if given, are the texts' words already cut and hashed
    (transforms.feature_keys.units of these rows, and maybe of others:
    key, h, start, end);
    `table`, if given, is lookup_table(plist), built once for many calls."""
    schema = {key: frame.schema[key], "pattern": pl.String, "pos": pl.UInt32}
    plist = pl.Series(plist, dtype=pl.String)  # (no copy if it is one)
    if plist.is_empty() or frame.is_empty():
        return pl.DataFrame(schema=schema)
    texts = frame[text_col]
    if words is None:
        row, h, start, end = cut(texts, "")
    elif _one_run(keys := frame[key].to_numpy()) and words[key].is_sorted():
        # these rows are one run of keys, so their units one slice of the sorted units
        lo, hi = np.searchsorted(words[key].to_numpy(), [keys[0], keys[-1] + 1])
        run = words.slice(lo, hi - lo)
        row, h = run[key].to_numpy() - keys[0], run["h"].to_numpy()
        start, end = run["start"].to_numpy().astype(np.int64), run["end"].to_numpy().astype(np.int64)
    else:  # the units of these rows among `words` (which may hold other rows' too)
        unit_key = words[key].to_numpy()
        at = np.full(max(int(keys.max()), int(unit_key.max(initial=0))) + 1, -1, dtype=np.int64)
        at[keys] = np.arange(keys.size)
        row = at[unit_key]
        mine = np.flatnonzero(row >= 0)
        row, h = row[mine], words["h"].to_numpy()[mine]
        start, end = words["start"].to_numpy()[mine].astype(np.int64), words["end"].to_numpy()[mine].astype(np.int64)
    first, last = phrase_match.walk(row, h, *(table or lookup_table(plist)))
    if not first.size:
        return pl.DataFrame(schema=schema)
    at = row[first]
    pos = start[first] - 1
    offsets, data = text_units.buffers(texts)
    found = text_units.strings(*text_units.gather(offsets, data, at, pos, end[last] + 1))
    hits = pl.DataFrame({key: frame[key].gather(at), "pattern": found, "pos": pos.astype(np.uint32)})
    return hits.filter(pl.col("pattern").is_in(plist.implode())).select(list(schema))


def substring_table(plist: list[str] | pl.Series) -> tuple[np.ndarray, int, np.ndarray, int]:
    """lookup_table for substring patterns: every pattern's last n code
    points, for each n (transforms.kernels.phrase_match.suffix_keys)."""
    patterns = pl.Series(plist, dtype=pl.String)
    row, n, keys = phrase_match.suffix_keys(*text_units.buffers(patterns))
    size = np.bincount(row, minlength=patterns.len())[row]
    flags = np.where(size > n, STARTS, 0) | np.where(size == n, COMPLETE, 0)
    table = pl.DataFrame({"k": keys, "f": flags.astype(np.int64)}).group_by("k").agg(pl.col("f").bitwise_or())
    slots, shift = hash_table.build(table["k"].to_numpy())
    return slots, shift, table["f"].to_numpy().astype(np.int64), int(n.max(initial=1))


def find_substring_hits(frame: pl.DataFrame, plist: list[str] | pl.Series, text_col: str, key: str,
                        table: tuple | None = None) -> pl.DataFrame:
    """(key, pattern, pos): every (overlapping) occurrence of the patterns
    `plist` in `text_col`, as transforms.matching.find_hits finds them with
    Aho-Corasick (the same rows in the same order), by walking code point
    sequences through a table instead (`table`: substring_table(plist),
    built once for many calls). As for word hits, a key only proposes: the
    text found must equal a pattern."""
    schema = {key: frame.schema[key], "pattern": pl.String, "pos": pl.UInt32}
    plist = pl.Series(plist, dtype=pl.String)
    if plist.is_empty() or frame.is_empty():
        return pl.DataFrame(schema=schema)
    offsets, data = text_units.buffers(frame[text_col])
    row, start, end = phrase_match.walk_chars(offsets, data, *(table or substring_table(plist)))
    found = text_units.strings(*text_units.gather(offsets, data, row, start, end))
    hits = pl.DataFrame({key: frame[key].gather(row), "pattern": found, "pos": start.astype(np.uint32)})
    return hits.filter(pl.col("pattern").is_in(plist.implode())).select(list(schema))


def _one_run(keys: np.ndarray) -> bool:
    """Whether the keys are consecutive integers in order."""
    return bool(keys.size) and keys[-1] - keys[0] + 1 == keys.size and bool((keys[1:] > keys[:-1]).all())
