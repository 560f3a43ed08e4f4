"""The model features of transforms.features as 64-bit keys instead of strings.

Training cuts text into token strings (`token_rows`): "profit", the bigram
"profit warning", the Arabic stem "~ذكاء", the lexicon class "<lex+2>".
At enrichment time building millions of such strings only to look them up
is most of the cost, so each text unit (a word; in Chinese a Han character
or a Latin run) is cut and hashed straight from the text's bytes
(transforms.kernels.text_units) and every feature key is arithmetic on
those hashes. `vocabulary_keys` gives a model's token strings the same
keys, so the two sides meet in one hash table. Keys live within one
process: the model side is recomputed on load.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.features import _AR_CLITIC
from transforms.kernels import code_points, text_units

UNIT_SEED, STEM_SEED = np.uint64(0x6D65), 0x7374
# odd 64-bit multipliers: a pair key mixes both units and keeps their order
_LEFT, _RIGHT = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F


def pair_keys(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The key of each pair of unit keys (the products wrap by design)."""
    return (left * np.uint64(_LEFT)) ^ (right * np.uint64(_RIGHT))


def cut(strings: pl.Series, lang: str) -> tuple[np.ndarray, ...]:
    """(row, h, start, end) per unit of each string: words of a padded word
    string, or in Chinese (`lang` "zh") the Han characters and Latin runs of
    a dense string; start/end are byte offsets within the row's string."""
    offsets, data = text_units.buffers(strings)
    if lang == "zh":
        return text_units.han_units(offsets, data, code_points.tables()[1], UNIT_SEED)
    return text_units.words(offsets, data, UNIT_SEED)


def units(frame: pl.DataFrame, key: str = "sid") -> pl.DataFrame:
    """(key, h, stem, start, end) one row per text unit, rows and units in
    order; `stem` is the key of an Arabic unit's clitic-free stem, 0 where
    it has none; start/end are the unit's bytes in `words` (in Chinese,
    `dense`), so that phrase matching reads the same cut
    (transforms.word_hits).

    `frame` has `key` (an integer), lang, words, dense
    (transforms.segment.with_word_forms). One compiled pass over both
    strings writes every row's units into one set of arrays."""
    chinese = (frame["lang"] == "zh").fill_null(False).to_numpy()
    row, h, start, end = text_units.mixed_units(*text_units.buffers(frame["words"]),
                                                *text_units.buffers(frame["dense"]), chinese,
                                                code_points.tables()[1], UNIT_SEED)
    stem = np.zeros(h.size, dtype=np.uint64)
    arabic = (frame["lang"] == "ar").fill_null(False).to_numpy()
    rows = np.flatnonzero(arabic)
    if rows.size and rows[-1] - rows[0] + 1 == rows.size:
        # the rows in language order (as the enrichment has them): their units are one slice
        at = slice(*np.searchsorted(row, [rows[0], rows[-1] + 1]))
    else:
        at = np.flatnonzero(arabic[row])
    if rows.size:
        stem[at] = _stems(frame["words"], row[at], h[at], start[at], end[at])
    return pl.DataFrame({key: frame[key].to_numpy()[row], "h": h, "stem": stem, "start": start, "end": end},
                        schema={key: frame.schema[key], "h": pl.UInt64, "stem": pl.UInt64,
                                "start": pl.Int32, "end": pl.Int32})


def _stems(strings: pl.Series, row: np.ndarray, h: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The stem key of each unit (0: none). A batch repeats the same few
    thousand words: the stem regex runs once per distinct unit (units whose
    keys collide are one feature to the models already)."""
    first, inverse = text_units.distinct(h)
    offsets, data = text_units.buffers(strings)
    toks = text_units.strings(*text_units.gather(offsets, data, row[first], start[first], end[first]))
    stems = toks.str.extract(_AR_CLITIC, 1)
    keys = np.where(stems.is_null().to_numpy(), np.uint64(0), stems.hash(STEM_SEED).fill_null(0).to_numpy())
    return keys[inverse]


def vocabulary_keys(tokens: pl.Series, lang: str) -> np.ndarray:
    """The key of each model token string, as `units` and the models'
    feature arithmetic (transforms.kernels.linear_scores) make it from text:
    "~stem" is a stem, "a b" (or, in Chinese, two units run together) a
    pair, anything else (a unit, a lexicon class) a unit."""
    row, h, _, _ = cut(tokens, lang)
    parts = np.bincount(row, minlength=tokens.len())
    first = np.minimum(np.searchsorted(row, np.arange(tokens.len())), max(h.size - 2, 0))
    pair = pair_keys(h[first], h[first + 1]) if h.size >= 2 else np.zeros(tokens.len(), dtype=np.uint64)
    unit = text_units.hash_strings(*text_units.buffers(tokens), UNIT_SEED)
    stem = tokens.str.strip_prefix("~").hash(STEM_SEED).to_numpy()
    is_stem = tokens.str.starts_with("~").to_numpy()
    two = (parts == 2) & ~tokens.str.starts_with("<lex").to_numpy()
    return np.where(is_stem, stem, np.where(two, pair, unit))
