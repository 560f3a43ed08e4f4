"""Phrase matching over whole batches: what Aho-Corasick would find (Polars
extract_many, `find_hits`), found by table look-ups (transforms.word_hits).

One pattern table serves topics, exclusions, entities and the lexicons: each
row says which language it applies to, what it stands for and how to match it.
Whole-word matching comes from padding: ' ai ' cannot match inside ' said '."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms import ENGINE
from transforms.normalize import dense_text, normalize_values, tokens_text
from transforms.word_hits import find_substring_hits, find_word_hits, lookup_table, substring_table

# Arabic attaches conjunctions and prepositions to the next word: وبالذكاء = و + ب + الذكاء.
_AR_PREFIXES = ["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "س", "وس"]
_AR_AL_PREFIXES = ["لل", "ولل", "فلل"]  # ل + ال contracts to لل


# Names take the conjunctions and ب/ل, rarely ك or س (and كسول is "lazy", not Seoul).
_AR_NAME_PREFIXES = ["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"]


def arabic_variants(phrase: str, is_name: bool = False) -> list[str]:
    """Every clitic-prefixed form of a phrase, with and without the article ال:
    a vocabulary entry نموذج must also find والنموذج and للنموذج.

    Names keep their article as written: الهند must not become هند (a given name)."""
    if is_name:
        out = [p + phrase for p in _AR_NAME_PREFIXES]
        if phrase.startswith("ال"):
            out += [p + phrase[2:] for p in _AR_AL_PREFIXES]
        return out
    if phrase.startswith("ال") and len(phrase) > 4:
        definite, bare = phrase, phrase[2:]
    else:
        definite, bare = "ال" + phrase, phrase
    out = [p + bare for p in _AR_PREFIXES] + [p + definite for p in _AR_PREFIXES]
    out += [p + definite[2:] for p in _AR_AL_PREFIXES]
    return out


def arabic_spellings(phrase: str) -> list[str]:
    """The phrase with each نغ as written and as نج, in every combination.

    Most of the Arabic press writes the ng of a foreign name نغ, Egypt's
    writes it نج: سامسونغ / سامسونج, هونغ كونغ / هونج كونج, الكونغرس /
    الكونجرس, ليانغ / ليانج. The vocabulary lists one and finds both. Only
    after ن: an Arabic word rarely has نغ (and its نج spelling is no word),
    while a lone غ is native (المغرب is not المجرب)."""
    parts = phrase.split("نغ")
    out = [parts[0]]
    for part in parts[1:]:
        out = [o + ng + part for o in out for ng in ("نغ", "نج")]
    listed = set(phrase.split())
    return [o for o in out if not (set(o.split()) - listed) & _OTHER_WORDS]


# Spellings arabic_spellings would make that are other words: Dongguan
# (دونغوان) spelt with ج is Don Juan.
_OTHER_WORDS = {"دونجوان"}


PATTERN_SCHEMA = {
    "lang": pl.String, "kind": pl.String, "target_id": pl.String,
    "phrase": pl.String, "weight": pl.Float64,
}


def _base(r: dict) -> dict:
    return {"lang": r["lang"], "kind": r["kind"], "target_id": r["target_id"],
            "phrase": r["phrase"], "weight": float(r.get("weight", 1.0))}


# The kinds that hold foreign names (arabic_spellings); sentiment words are Arabic's own.
_SPELT = {"entity", "topic", "topic_exclude"}


def pattern_table(rows: list[dict]) -> pl.DataFrame:
    """rows: lang, kind, target_id, phrase, weight, mode ('word' or 'substring').

    Returns one row per concrete pattern string as it will appear in the
    normalized text: padded for word mode, with Arabic clitic variants (and
    the other spelling of a foreign name's ng, arabic_spellings)."""
    out = []
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        word = [r for r in mine if r.get("mode", "word") == "word"]
        sub = [r for r in mine if r.get("mode") == "substring"]
        for r, norm in zip(word, normalize_values([r["phrase"] for r in word], tokens_text)):
            core = norm.strip()
            if not core:
                continue
            variants = [v for spelt in (arabic_spellings(core) if r["kind"] in _SPELT else [core])
                        for v in arabic_variants(spelt, r["kind"] == "entity")] if lang == "ar" else [core]
            for v in variants:
                out.append({**_base(r), "pattern": f" {v} ", "mode": "word"})
        for r, norm in zip(sub, normalize_values([r["phrase"] for r in sub], dense_text)):
            if norm.strip():
                out.append({**_base(r), "pattern": norm.strip(), "mode": "substring"})
    df = pl.DataFrame(out, schema={**PATTERN_SCHEMA, "pattern": pl.String, "mode": pl.String})
    # Two phrases may normalize to the same pattern; keep one per meaning.
    return df.unique(subset=["lang", "kind", "target_id", "pattern", "mode"], maintain_order=True)


def find_hits(frame: pl.LazyFrame, patterns: pl.DataFrame | pl.Series | list[str], text_col: str,
              key: str = "article_id") -> pl.LazyFrame:
    """Long table (key, pattern, pos) of every (overlapping) occurrence of
    the patterns (a pattern table, or its distinct pattern strings).

    `pos` is the byte offset in `text_col`; rows with no hit produce nothing.
    Two Aho-Corasick scans of the text: what matching means. `match` finds
    the same rows by table look-ups (transforms.word_hits), faster, and the
    tests hold the look-ups to this."""
    plist = (patterns["pattern"].unique(maintain_order=True) if isinstance(patterns, pl.DataFrame)
             else pl.Series(patterns, dtype=pl.String)).to_list()
    if not plist:
        return pl.LazyFrame(schema={key: pl.String, "pattern": pl.String, "pos": pl.UInt32})
    return (
        frame.select(
            key,
            pl.col(text_col).str.extract_many(plist, overlapping=True).alias("pattern"),
            pl.col(text_col).str.find_many(plist, overlapping=True).alias("pos"),
        )
        .explode(["pattern", "pos"])
        .drop_nulls("pattern")
    )


def _spans(hits: pl.LazyFrame) -> pl.LazyFrame:
    """Add start/end byte offsets of each hit's words. Padded patterns share
    their boundary spaces with neighbours; trimmed, adjacent words do not
    count as overlapping."""
    trim = pl.col("pattern").str.starts_with(" ").cast(pl.Int64)
    start = pl.col("pos").cast(pl.Int64)
    return hits.with_columns((start + trim).alias("start"),
                             (start + pl.col("pattern").str.len_bytes().cast(pl.Int64) - trim).alias("end"))


def _covered(inner: pl.LazyFrame, outer: pl.LazyFrame, on: list[str], strictly_longer: bool) -> pl.LazyFrame:
    """(key, pos, pattern) of the inner hits that lie within an outer hit."""
    cover = outer.select(*on, pl.col("start").alias("o_start"), pl.col("end").alias("o_end"))
    within = (pl.col("o_start") <= pl.col("start")) & (pl.col("end") <= pl.col("o_end"))
    if strictly_longer:
        within &= (pl.col("o_end") - pl.col("o_start")) > (pl.col("end") - pl.col("start"))
    return inner.join(cover, on=on).filter(within).select(on[0], "pos", "pattern").unique()


def drop_nested(hits: pl.LazyFrame, kind: str, classes: pl.DataFrame, key: str = "article_id") -> pl.LazyFrame:
    """Drop a hit inside a longer hit of the same class: 美国商务部 is the US
    Commerce Department, not also China's 商务部, and 印度尼西亚 is not 印度.

    `classes` maps target_id to a class (entity type). Hits of different classes
    stay: "People's Bank of China" does mention China."""
    mine = _spans(hits.filter(pl.col("kind") == kind).join(
        classes.lazy().select("target_id", "class"), on="target_id", how="left"))
    inside = _covered(mine, mine, [key, "class"], strictly_longer=True)
    kept = mine.join(inside, on=[key, "pos", "pattern"], how="anti").drop("start", "end", "class")
    return pl.concat([hits.filter(pl.col("kind") != kind), kept], how="vertical_relaxed")


def drop_inside(hits: pl.LazyFrame, inner: str, outer: str, key: str = "article_id") -> pl.LazyFrame:
    """Drop `inner` hits that lie within an `outer` hit: the 不 of 不断, the
    "not" of "not only"."""
    covered = _covered(_spans(hits.filter(pl.col("kind") == inner)),
                       _spans(hits.filter(pl.col("kind") == outer)), [key], strictly_longer=False)
    kept = hits.filter(pl.col("kind") == inner).join(covered, on=[key, "pos", "pattern"], how="anti")
    return pl.concat([hits.filter(pl.col("kind") != inner), kept], how="vertical_relaxed")


@dataclass(frozen=True)
class PatternGroup:
    """One language's patterns of one mode, readied once for a batch that
    is matched piece by piece."""
    lang: str
    mode: str
    plist: pl.Series          # the distinct pattern strings
    meanings: pl.LazyFrame    # pattern, kind, target_id, weight, lang
    table: tuple | None       # transforms.word_hits.lookup_table(plist), or substring_table


def pattern_groups(patterns: pl.DataFrame) -> list[PatternGroup]:
    """The pattern table cut by language and mode, each part with what
    matching it needs, so that matching many pieces builds it once."""
    groups = []
    for (lang, mode), pats in patterns.group_by(["lang", "mode"], maintain_order=True):
        plist = pats["pattern"].unique(maintain_order=True)
        meanings = pats.select("pattern", "kind", "target_id", "weight", pl.lit(lang).alias("lang"))
        table = None if plist.is_empty() else lookup_table(plist) if mode == "word" else substring_table(plist)
        groups.append(PatternGroup(lang, mode, plist, meanings.lazy(), table))
    return groups


def match(frame: pl.LazyFrame, patterns: pl.DataFrame | list[PatternGroup], texts: dict[str, str],
          key: str = "article_id", units: pl.DataFrame | None = None) -> pl.LazyFrame:
    """Hits of every pattern with its meaning: key, lang, kind, target_id, weight, pattern, pos.

    `patterns` is a pattern table, or pattern_groups of one. `texts` maps a
    pattern mode ('word', 'substring') to the column holding that normal
    form. Each language's rows are matched only against its own patterns.
    `units` (transforms.feature_keys.units of the rows, by `key`), if given,
    are the words already cut: outside Chinese they are the words matched."""
    groups = pattern_groups(patterns) if isinstance(patterns, pl.DataFrame) else patterns
    parts = []
    for g in groups:
        rows = frame.filter(pl.col("lang") == g.lang)
        # table look-ups of word or code point sequences: no automaton to build (transforms.word_hits)
        mine = rows.select(key, texts[g.mode]).collect(engine=ENGINE)
        if g.mode == "word":
            words = units if g.lang != "zh" and texts[g.mode] == "words" else None
            hits = find_word_hits(mine, g.plist, texts[g.mode], key, words, g.table).lazy()
        else:
            hits = find_substring_hits(mine, g.plist, texts[g.mode], key, g.table).lazy()
        parts.append(hits.join(g.meanings, on="pattern", how="inner"))
    if not parts:
        return pl.LazyFrame(schema={key: pl.String, "pattern": pl.String, "pos": pl.UInt32,
                                    "kind": pl.String, "target_id": pl.String,
                                    "weight": pl.Float64, "lang": pl.String})
    return pl.concat(parts, how="vertical_relaxed")
