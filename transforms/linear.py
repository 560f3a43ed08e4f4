"""Run the trained linear text models (models/<task>/) with Polars joins.

A model is, per language, a table of tokens with their idf and one weight
per class, plus intercepts: TF-IDF (l2-normalised) times a multinomial
logistic regression, exactly what scikit-learn computed at training time, so
enrichment needs neither scikit-learn nor a Python loop per text."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from core.settings import PROJECT_ROOT
from transforms.features import with_lexicon_tokens

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


def _union(models: tuple[LinearModel, ...]) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """One vocabulary (lang, tok, uid) over several models, and each model's
    weights keyed by that uid: the text's tokens are matched to it once."""
    union = (pl.concat([m.weights.select("lang", "tok") for m in models]).unique()
             .sort("lang", "tok").with_row_index("uid"))
    keyed = [m.weights.join(union, on=["lang", "tok"]).drop("tok", "tid") for m in models]
    return union, keyed


@lru_cache(maxsize=8)
def _cached_union(models: tuple[LinearModel, ...]):
    return _union(models)


def joint_probabilities(tokens: pl.LazyFrame, models: tuple[LinearModel, ...],
                        keys: tuple[str, ...]) -> list[pl.LazyFrame]:
    """class_probabilities for several models over the same tokens, matching
    the tokens to the models' vocabularies once; model i is keyed by keys[i]
    (sentences for sentiment, articles for topics). Models with a lexicon
    must share it; a model without one never sees the lexicon tokens (they
    are not in its vocabulary)."""
    lexicons = [m.lexicon for m in models if m.lexicon is not None]
    if any(not lx.equals(lexicons[0]) for lx in lexicons[1:]):
        raise ValueError("joint_probabilities needs models that read the same lexicon")
    union, keyed = _cached_union(models)
    key_cols = tuple(dict.fromkeys(keys))
    tokens = with_lexicon_tokens(tokens, lexicons[0] if lexicons else None, key_cols)
    # tokens no model knows go first; what is left is counted by integer id,
    # far cheaper than grouping strings
    matched = tokens.join(union.lazy(), on=["lang", "tok"], how="inner").select(*key_cols, "uid")
    if len(models) > 1:
        matched = matched.collect().lazy()
    counts = {k: _counts(matched, k, union.height) for k in key_cols}
    if len(models) > 1:
        counts = {k: c.collect().lazy() for k, c in counts.items()}
    return [_probabilities(counts[k], m, w, k) for m, w, k in zip(models, keyed, keys)]


def _counts(matched: pl.LazyFrame, key: str, vocab_size: int) -> pl.LazyFrame:
    """(key, uid, n): occurrences per key and token. Grouping on one packed
    integer (key code, uid) is several times faster than on the pair, and a
    string key (article_id) is coded through a categorical cast, not hashed
    per group."""
    shift = max(vocab_size, 1).bit_length()
    dtype = matched.collect_schema()[key]
    code = pl.col(key) if dtype.is_integer() else pl.col(key).cast(pl.Categorical).to_physical()
    packed = (code.cast(pl.Int64) * (1 << shift) + pl.col("uid").cast(pl.Int64)).alias("_k")
    uid = (pl.col("_k") % (1 << shift)).cast(pl.UInt32).alias("uid")
    if dtype.is_integer():
        return (matched.select(packed).group_by("_k").agg(pl.len().alias("n"))
                .select((pl.col("_k") // (1 << shift)).cast(dtype).alias(key), uid, "n"))
    return (matched.select(key, packed).group_by("_k").agg(pl.col(key).first(), pl.len().alias("n"))
            .select(key, uid, "n"))


def _probabilities(counts: pl.LazyFrame, model: LinearModel, weights: pl.DataFrame, key: str) -> pl.LazyFrame:
    tf = (pl.lit(1.0) + pl.col("n").cast(pl.Float64).log()) if model.sublinear else pl.lit(1.0)
    feats = counts.join(weights.lazy(), on="uid").with_columns((tf * pl.col("idf")).alias("v"))
    logits = feats.group_by(key, "lang").agg(
        (pl.col("v") ** 2).sum().sqrt().alias("norm"),
        *[(pl.col("v") * pl.col(f"w_{c}")).sum().alias(f"z_{c}") for c in model.classes])
    z = logits.join(model.intercepts.lazy(), on="lang").with_columns(
        (pl.col(f"z_{c}") / pl.col("norm") + pl.col(f"b_{c}")).alias(f"z_{c}") for c in model.classes)
    top = pl.max_horizontal(*[pl.col(f"z_{c}") for c in model.classes])
    exp = z.with_columns((pl.col(f"z_{c}") - top).exp().alias(f"e_{c}") for c in model.classes)
    total = pl.sum_horizontal(*[pl.col(f"e_{c}") for c in model.classes])
    return exp.select(key, "lang", *[(pl.col(f"e_{c}") / total).alias(f"p_{c}") for c in model.classes])


def class_probabilities(tokens: pl.LazyFrame, model: LinearModel, key: str) -> pl.LazyFrame:
    """(key, lang, p_<class>...) for every key with at least one known token.

    `tokens` is (key, lang, tok), one row per occurrence."""
    return joint_probabilities(tokens, (model,), (key,))[0]
