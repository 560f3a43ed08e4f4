"""Run the trained linear text models (models/<task>/) with Polars joins.

A model is, per language, a table of tokens with their idf and one weight
per class, plus intercepts: TF-IDF (l2-normalised) times a multinomial
logistic regression, exactly what scikit-learn computed at training time.
Enrichment needs no scikit-learn and no Python loop per text: the batch's
features become one sparse count matrix per language (scipy), and scoring
is a sparse-dense product per model."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from scipy import sparse

from core.settings import PROJECT_ROOT
from transforms.feature_keys import UNIT_SEED, feature_keys, pair_key, units, vocabulary_keys

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
    and each model's idf and weights as arrays over that numbering (0 where a
    model does not know a token, so it adds nothing to that model's norm)."""

    def __init__(self, lang: str, models: tuple[LinearModel, ...], lexicon: pl.DataFrame | None):
        tokens = pl.concat([m.weights.filter(pl.col("lang") == lang).select("tok") for m in models]).unique()
        keyed = (tokens.with_columns(vocabulary_keys(pl.col("tok"), pl.lit(lang)).alias("k"))
                 .sort("tok").unique("k", keep="first", maintain_order=True).with_row_index("uid"))
        self.keys = pl.concat([keyed.select("k", "uid"), _run_together_pairs(keyed, lang)]).unique("k", keep="first")
        self.size = size = keyed.height
        self.idf, self.weights, self.intercepts = [], [], []
        for m in models:
            if lang not in m.langs:  # e.g. no Chinese sentiment model in a permissive-only build
                self.idf.append(None)
                self.weights.append(None)
                self.intercepts.append(None)
                continue
            rows = m.weights.filter(pl.col("lang") == lang).join(keyed.select("tok", "uid"), on="tok")
            uid = rows["uid"].to_numpy()
            idf = np.zeros(size)
            idf[uid] = rows["idf"].to_numpy()
            w = np.zeros((size, len(m.classes)))
            w[uid] = rows.select(f"w_{c}" for c in m.classes).to_numpy()
            self.idf.append(idf)
            self.weights.append(w)
            self.intercepts.append(m.intercepts.filter(pl.col("lang") == lang)
                                   .select(f"b_{c}" for c in m.classes).to_numpy()[0])
        # a lexicon word (or stem) found in the text adds its class token (<lex+2>)
        self.lexicon = None if lexicon is None else (
            lexicon.filter(pl.col("lang") == lang)
            .select(vocabulary_keys(pl.col("tok"), pl.lit(lang)).alias("k"),
                    vocabulary_keys(pl.col("lex"), pl.lit(lang)).alias("lk")))


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
    return frame.select(pair_key(pl.col("a").hash(UNIT_SEED), pl.col("b").hash(UNIT_SEED)).alias("k"), "uid")


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
    """The distinct values of `key` in first-seen order, and each row's index into them."""
    values = frame.select(key).unique(maintain_order=True).with_row_index("_c")
    codes = frame.select(key).join(values, on=key, how="left", maintain_order="left")["_c"].to_numpy()
    return values.drop("_c"), codes


def _counts(rows: np.ndarray, uids: np.ndarray, n_rows: int, size: int) -> sparse.csr_matrix:
    """Occurrences per (row, token) as a sparse matrix; indices sorted so that
    sums over a row run in one order whatever order the join returned."""
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, uids)), shape=(n_rows, size))
    x.sum_duplicates()
    x.sort_indices()
    return x


def _softmax_rows(counts: sparse.csr_matrix, model: LinearModel, lang_part: _Language, i: int):
    """(rows with any token the model knows, their class probabilities)."""
    tf = 1.0 + np.log(counts.data) if model.sublinear else np.ones_like(counts.data)
    v = sparse.csr_matrix((tf * lang_part.idf[i][counts.indices], counts.indices, counts.indptr),
                          shape=counts.shape)
    # squares with one trailing zero, so an empty last row has an index to
    # start from; written in place (np.append would copy millions of values)
    sq = np.empty(v.data.size + 1)
    np.square(v.data, out=sq[:-1])
    sq[-1] = 0.0
    squares = np.add.reduceat(sq, np.minimum(v.indptr[:-1], v.data.size))
    norm = np.sqrt(np.where(np.diff(v.indptr) > 0, squares, 0.0))
    known = np.flatnonzero(norm > 0)
    z = np.asarray(v @ lang_part.weights[i])[known] / norm[known, None] + lang_part.intercepts[i]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return known, e / e.sum(axis=1, keepdims=True)


def joint_probabilities(frame: pl.DataFrame, models: tuple[LinearModel, ...], keys: tuple[str, ...],
                        unit_rows: pl.DataFrame | None = None) -> list[pl.LazyFrame]:
    """(key, lang, p_<class>...) per model, for every key with at least one
    token that model knows; model i scores the tokens of all rows sharing a
    value of keys[i] together (sentences for sentiment, articles for topics).

    `frame` has sid (unique), lang, words, dense (transforms.segment.with_word_forms)
    and the key columns; `unit_rows` are its transforms.feature_keys.units,
    computed here when not given. Models with a lexicon must share it; a model
    without one never sees the lexicon tokens (they are not in its vocabulary)."""
    compiled = _compiled(models)
    key_cols = tuple(dict.fromkeys(keys))
    if unit_rows is None:
        unit_rows = units(frame)
    out: list[list[pl.DataFrame]] = [[] for _ in models]
    for lang, part in compiled.items():
        rows = frame.filter(pl.col("lang") == lang).select(*dict.fromkeys(("sid", *key_cols)))
        if rows.is_empty():
            continue
        # only Arabic reads the unit strings (for its stems): elsewhere the
        # millions of them are not worth gathering
        tok = pl.col("tok") if lang == "ar" else pl.lit(None, pl.String).alias("tok")
        feats = feature_keys(unit_rows.select("sid", "lang", "h", tok).filter(pl.col("lang") == lang),
                             "sid", part.lexicon)
        matched = feats.join(part.keys, on="k")
        sids = rows["sid"].to_numpy()
        position = np.zeros(int(sids.max()) + 1, dtype=np.int64)
        position[sids] = np.arange(rows.height)
        at, uids = position[matched["sid"].to_numpy()], matched["uid"].to_numpy()
        per_row = _counts(at, uids, rows.height, part.size)
        counts: dict[str, tuple[pl.DataFrame, sparse.csr_matrix, np.ndarray]] = {}
        # finest key first, so that a coarser one (articles) can add up the
        # rows of a finer one nested in it (passages) instead of every sentence
        for k in sorted(key_cols, key=lambda c: -rows[c].n_unique()):
            values, codes = _codes(rows, k)
            if values.height == rows.height:  # one row per key (sentences), in row order: nothing to add up
                counts[k] = (values, per_row, codes)
                continue
            source, into = per_row, codes
            for _, (_, x, finer_codes) in sorted(counts.items(), key=lambda kv: kv[1][1].nnz):
                parent = np.zeros(x.shape[0], dtype=np.int64)
                parent[finer_codes] = codes
                if np.array_equal(parent[finer_codes], codes):  # each finer value lies in one value of k
                    source, into = x, parent
                    break
            # rows sharing a key value add up: one sparse product, cheaper than counting again
            group = sparse.csr_matrix((np.ones(source.shape[0]), (into, np.arange(source.shape[0]))),
                                      shape=(values.height, source.shape[0]))
            # left unsorted: the product orders each row from its source
            # rows alone (canonical sentence counts, or sums made this same
            # way), so a rerun or another cut into slices adds up alike
            counts[k] = (values, group @ source, codes)
        for i, (model, k) in enumerate(zip(models, keys)):
            if lang not in model.langs:
                continue
            values, x, _ = counts[k]
            known, p = _softmax_rows(x, model, part, i)
            out[i].append(values[known].with_columns(pl.lit(lang).alias("lang")).hstack(
                pl.DataFrame(p, schema=[f"p_{c}" for c in model.classes], orient="row")))
    return [pl.concat(parts).lazy() if parts else
            pl.LazyFrame(schema={k: frame.schema[k], "lang": pl.String,
                                 **{f"p_{c}": pl.Float64 for c in m.classes}})
            for parts, m, k in zip(out, models, keys)]


def class_probabilities(frame: pl.DataFrame, model: LinearModel, key: str) -> pl.LazyFrame:
    """(key, lang, p_<class>...) for every key with at least one known token.

    `frame` has lang, words, dense and `key`."""
    return joint_probabilities(frame, (model,), (key,))[0]
