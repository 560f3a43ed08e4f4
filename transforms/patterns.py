"""The vocabulary as one pattern table (see transforms.matching)."""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from transforms.matching import pattern_table
from transforms.vocab import Vocabulary, cached_vocabulary

# Chinese has no word breaks to rely on: everything is matched as substrings,
# and phrases such as 不断 ("continuously") are listed as non-negations so the
# 不 inside them is not read as "not".


def vocabulary_rows(vocab: Vocabulary) -> list[dict]:
    rows: list[dict] = []

    def add(lang, kind, target, phrase, weight=1.0):
        mode = "substring" if lang == "zh" else "word"
        rows.append({"lang": lang, "kind": kind, "target_id": target, "phrase": phrase,
                     "weight": weight, "mode": mode})

    for t in vocab.taxonomy.topics:
        for lang, phrases in t.phrases.items():
            for p in phrases:
                add(lang, "topic", t.id, p)
        for lang, phrases in t.exclude.items():
            for p in phrases:
                add(lang, "topic_exclude", t.id, p)
    for e in vocab.gazetteer.entities:
        for lang, aliases in e.aliases.items():
            for a in aliases:
                add(lang, "entity", e.id, a)
    for lang, lex in vocab.lexicons.items():
        for term, w in lex.positive.items():
            add(lang, "positive", "", term, w)
        for term, w in lex.negative.items():
            add(lang, "negative", "", term, w)
        for term in lex.negators:
            add(lang, "negator", "", term)
        for term, w in lex.intensifiers.items():
            add(lang, "intensifier", "", term, w)
        for term, w in lex.diminishers.items():
            add(lang, "diminisher", "", term, w)
        for term in lex.non_negations:
            add(lang, "non_negation", "", term)
        for term in lex.first_person:
            add(lang, "first_person", "", term)
    return rows


def vocabulary_patterns(vocab: Vocabulary) -> pl.DataFrame:
    return pattern_table(vocabulary_rows(vocab))


def cached_patterns(directory: str | None = None) -> pl.DataFrame:
    from core.settings import config_dir

    return _cached(str(directory or config_dir()))


@lru_cache(maxsize=4)
def _cached(directory: str) -> pl.DataFrame:
    return vocabulary_patterns(cached_vocabulary(directory))
