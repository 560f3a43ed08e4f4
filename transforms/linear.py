"""Run the trained linear text models (models/<task>/) with Polars joins.

A model is, per language, a table of tokens with their idf and one weight
per class, plus intercepts: TF-IDF (l2-normalised) times a multinomial
logistic regression, exactly what scikit-learn computed at training time.
Enrichment needs no scikit-learn and no Python loop per text: each text's
hashed units become vocabulary ids and class probabilities in one compiled
pass (transforms.kernels.linear_scores)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from core.settings import PROJECT_ROOT
from transforms.feature_keys import UNIT_SEED, pair_keys, units, vocabulary_keys
from transforms.kernels import hash_table, linear_scores, text_units

# MEDIAMON_MODELS_DIR swaps in another build (e.g. a permissive-only one) to compare
MODELS_DIR = Path(os.environ.get("MEDIAMON_MODELS_DIR", PROJECT_ROOT / "models"))


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class LinearModel:
    task: str
    classes: tuple[str, ...]
    sublinear: bool             # tf = 1 + ln(count), else tf = 1 (presence)
    weights: pl.DataFrame       # tid, lang, tok, idf, w_<class>... (tid: a row number, unique)
    intercepts: pl.DataFrame    # lang, b_<class>...
    langs: tuple[str, ...]
    lexicon: pl.DataFrame | None = None   # lang, tok, lex (transforms.features.with_lexicon_tokens)


def load_model(task: str, directory: Path | None = None) -> LinearModel:
    directory = Path(directory or MODELS_DIR) / task
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    classes = tuple(meta["classes"])
    langs = tuple(sorted(meta["langs"]))
    weights = pl.concat([
        pl.read_parquet(directory / f"{lang}.parquet").with_columns(pl.lit(lang).alias("lang"))
        for lang in langs]).with_row_index("tid")
    intercepts = pl.DataFrame([{"lang": lang, **{f"b_{c}": float(b) for c, b in
                                                 zip(classes, meta["langs"][lang]["intercept"])}}
                               for lang in langs])
    lex_path = directory / "lexicon.parquet"
    lexicon = pl.read_parquet(lex_path) if lex_path.is_file() else None
    return LinearModel(task, classes, bool(meta["sublinear"]), weights, intercepts, langs, lexicon)


@lru_cache(maxsize=4)
def cached_model(task: str) -> LinearModel:
    return load_model(task)


class _Language:
    """One language's share of several models over one vocabulary: the keys
    (transforms.feature_keys) of every token any of them knows, numbered 0..V-1,
    and each model's idf and weights as one array over that numbering, a
    row per token (idf, then a weight per class; 0 where a model does not
    know a token, so it adds nothing to that model's norm)."""

    def __init__(self, lang: str, models: tuple[LinearModel, ...], lexicon: pl.DataFrame | None):
        tokens = pl.concat([m.weights.filter(pl.col("lang") == lang).select("tok") for m in models]).unique()
        keyed = (tokens.with_columns(pl.Series("k", vocabulary_keys(tokens["tok"], lang)))
                 .sort("tok").unique("k", keep="first", maintain_order=True).with_row_index("uid"))
        self.keys = pl.concat([keyed.select("k", "uid"), _run_together_pairs(keyed, lang)]).unique("k", keep="first")
        self.size = size = keyed.height
        self.tables, self.intercepts = [], []
        for m in models:
            if lang not in m.langs:  # e.g. no Chinese sentiment model in a permissive-only build
                self.tables.append(None)
                self.intercepts.append(None)
                continue
            rows = m.weights.filter(pl.col("lang") == lang).join(keyed.select("tok", "uid"), on="tok")
            # a token's idf and weights side by side: one cache line per token read
            table = np.zeros((size, 1 + len(m.classes)))
            table[rows["uid"].to_numpy()] = rows.select("idf", *(f"w_{c}" for c in m.classes)).to_numpy()
            self.tables.append(table)
            self.intercepts.append(m.intercepts.filter(pl.col("lang") == lang)
                                   .select(f"b_{c}" for c in m.classes).to_numpy()[0])
        # a lexicon word (or stem) found in the text adds its class token (<lex+2>)
        mine = None if lexicon is None else lexicon.filter(pl.col("lang") == lang)
        self.lexicon = None if mine is None else pl.DataFrame(
            {"k": vocabulary_keys(mine["tok"], lang), "lk": vocabulary_keys(mine["lex"], lang)})
        self.emitted = _emission_table(self.keys, self.lexicon)


def _emission_table(keys: pl.DataFrame, lexicon: pl.DataFrame | None) -> tuple:
    """What each feature key found in a text adds to its counts: its own
    vocabulary id, and the id of the lexicon class (<lex+2>) of each lexicon
    entry with that key. As (hash table slots, shift, ptr, ids) for
    transforms.kernels.linear_scores.row_features."""
    adds = keys.select("k", "uid")
    if lexicon is not None:
        adds = pl.concat([adds, lexicon.join(keys.rename({"k": "lk"}), on="lk").select("k", "uid")])
    table = adds.group_by("k").agg("uid").sort("k")
    ptr = np.concatenate([[0], np.cumsum(table["uid"].list.len().to_numpy())]).astype(np.int64)
    ids = table["uid"].explode().to_numpy().astype(np.int32)
    return (*hash_table.build(table["k"].to_numpy()), ptr, ids)


def _run_together_pairs(keyed: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Chinese bigrams are written without a separator, so "ai2025" in a
    model is the unit "ai2025" or the pair "ai" + "2025" (text "AI 2025"):
    training counted both as one token. Give it every pair's key as well."""
    if lang != "zh":
        return pl.DataFrame(schema={"k": pl.UInt64, "uid": pl.UInt32})
    runs = keyed.filter(pl.col("tok").str.contains(r"^[\p{Latin}\p{N}]{2,}$"))
    splits = [(tok[:i], tok[i:], uid) for tok, uid in runs.select("tok", "uid").iter_rows()
              for i in range(1, len(tok))]
    frame = pl.DataFrame(splits, schema={"a": pl.String, "b": pl.String, "uid": pl.UInt32}, orient="row")
    keys = pair_keys(*(text_units.hash_strings(*text_units.buffers(frame[c]), UNIT_SEED) for c in ("a", "b")))
    return pl.DataFrame({"k": keys, "uid": frame["uid"]})


_COMPILING = threading.Lock()  # enrichment slices run in threads: compile a model set once, not once each


def _compiled(models: tuple[LinearModel, ...]) -> dict[str, _Language]:
    with _COMPILING:
        return _compiled_once(models)


@lru_cache(maxsize=8)
def _compiled_once(models: tuple[LinearModel, ...]) -> dict[str, _Language]:
    lexicons = [m.lexicon for m in models if m.lexicon is not None]
    if any(not lx.equals(lexicons[0]) for lx in lexicons[1:]):
        raise ValueError("joint_probabilities needs models that read the same lexicon")
    langs = sorted({lang for m in models for lang in m.langs})
    return {lang: _Language(lang, models, lexicons[0] if lexicons else None) for lang in langs}


def _codes(frame: pl.DataFrame, key: str) -> tuple[pl.DataFrame, np.ndarray]:
    """The distinct values of `key` in first-seen order, and each row's index
    into them; -1 for a row whose key is null (in no group)."""
    column = frame[key]
    if column.null_count():
        valid = column.is_not_null().to_numpy()
        values, codes = _codes(frame.filter(pl.Series(valid)), key)
        out = np.full(column.len(), -1, dtype=np.int64)
        out[valid] = codes
        return values, out
    if column.len():
        # sids, passages, an article's sentences: each value one run of rows,
        # coded by counting runs instead of hashing every row
        new = column.ne(column.shift(1)).fill_null(True)
        values = frame.select(key).filter(new)
        if values.height == 1 or values[key].is_unique().all():
            return values, np.cumsum(new.to_numpy()) - 1
    values = frame.select(key).unique(maintain_order=True).with_row_index("_c")
    codes = frame.select(key).join(values, on=key, how="left", maintain_order="left")["_c"].to_numpy()
    return values.drop("_c"), codes


def _groups(codes: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(order, group_ptr): the rows of group g are order[group_ptr[g]:group_ptr[g + 1]]
    (rows coded -1 are in none)."""
    if n_groups == codes.size and np.array_equal(codes, np.arange(codes.size)):
        return codes.astype(np.int64), np.arange(codes.size + 1, dtype=np.int64)
    order = np.argsort(codes, kind="stable").astype(np.int64)
    order = order[np.searchsorted(codes[order], 0):]
    return order, np.concatenate([[0], np.cumsum(np.bincount(codes[codes >= 0], minlength=n_groups))]).astype(np.int64)


def joint_probabilities(frame: pl.DataFrame, models: tuple[LinearModel, ...], keys: tuple[str, ...],
                        unit_rows: pl.DataFrame | None = None) -> list[pl.LazyFrame]:
    """(key, lang, p_<class>...) per model, for every key with at least one
    token that model knows; model i scores the tokens of all rows sharing a
    value of keys[i] together (sentences for sentiment, articles for topics);
    a row whose key is null is in none of model i's groups.

    `frame` has sid (unique), lang, words, dense (transforms.segment.with_word_forms)
    and the key columns; `unit_rows` are its transforms.feature_keys.units,
    computed here when not given. Models with a lexicon must share it; a model
    without one never sees the lexicon tokens (they are not in its vocabulary)."""
    compiled = _compiled(models)
    key_cols = tuple(dict.fromkeys(keys))
    if unit_rows is None:
        unit_rows = units(frame)
    out: list[list[pl.DataFrame]] = [[] for _ in models]
    unit_sid, unit_h, unit_stem = (unit_rows[c].to_numpy() for c in ("sid", "h", "stem"))
    all_sids = frame["sid"].to_numpy()
    # units follow their rows (transforms.feature_keys.units): with the
    # rows in sid order, a language whose sentences are one run of sids
    # (the enrichment puts each piece's articles in language order) has
    # its units in one slice
    in_order = bool((all_sids[1:] > all_sids[:-1]).all())
    position = None
    for lang, part in compiled.items():
        rows = frame.filter(pl.col("lang") == lang).select(*dict.fromkeys(("sid", *key_cols)))
        if rows.is_empty():
            continue
        sids = rows["sid"].to_numpy()
        if in_order and sids[-1] - sids[0] + 1 == sids.size:
            lo, hi = np.searchsorted(unit_sid, [sids[0], sids[-1] + 1])
            unit_row, h, stem = unit_sid[lo:hi] - sids[0], unit_h[lo:hi], unit_stem[lo:hi]
        else:  # each sentence's row among its language's rows (-1: another language)
            if position is None:
                position = np.full(max(int(all_sids.max()), int(unit_sid.max(initial=0))) + 1, -1)
            position[:] = -1
            position[sids] = np.arange(rows.height)
            mine = np.flatnonzero(position[unit_sid] >= 0)
            unit_row, h, stem = position[unit_sid[mine]], unit_h[mine], unit_stem[mine]
        start, end, uids = linear_scores.row_features(unit_row, h, stem, rows.height, *part.emitted)
        groups = {}
        for k in key_cols:
            values, codes = _codes(rows, k)
            groups[k] = (values, *_groups(codes, values.height))
        for i, (model, k) in enumerate(zip(models, keys)):
            if lang not in model.langs:
                continue
            values, order, group_ptr = groups[k]
            known, p = linear_scores.score_groups(start, end, uids, order, group_ptr, part.tables[i],
                                                  part.intercepts[i], model.sublinear)
            out[i].append(values.filter(pl.Series(known)).with_columns(pl.lit(lang).alias("lang")).hstack(
                pl.DataFrame(p[known], schema=[f"p_{c}" for c in model.classes], orient="row")))
    return [pl.concat(parts).lazy() if parts else
            pl.LazyFrame(schema={k: frame.schema[k], "lang": pl.String,
                                 **{f"p_{c}": pl.Float64 for c in m.classes}})
            for parts, m, k in zip(out, models, keys)]


def class_probabilities(frame: pl.DataFrame, model: LinearModel, key: str) -> pl.LazyFrame:
    """(key, lang, p_<class>...) for every key with at least one known token.

    `frame` has lang, words, dense and `key`."""
    return joint_probabilities(frame, (model,), (key,))[0]
