"""Taxonomy, gazetteer and lexicons: loaded once, validated, frozen.

A malformed entry fails with the file, the entry and the field named, because
a silently ignored phrase is a topic that quietly stops being counted."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.settings import config_dir
from core.sources import LANGS
from core.yamlconfig import load_model

ID = r"^[a-z0-9_]+$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _non_empty_per_lang(v: dict[str, tuple[str, ...]], what: str) -> dict:
    for lang, items in v.items():
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        cleaned = [p for p in items if isinstance(p, str) and p.strip()]
        if len(cleaned) != len(items) or not items:
            raise ValueError(f"{what} for {lang!r} must be a non-empty list of non-empty strings")
    return v


class Topic(_Frozen):
    id: str = Field(pattern=ID)
    name: str
    parent: str | None = None
    phrases: dict[str, tuple[str, ...]]
    exclude: dict[str, tuple[str, ...]] = {}
    min_hits: int = Field(default=2, ge=1)

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, v):
        if not v:
            raise ValueError("no phrases")
        return _non_empty_per_lang(v, "phrases")


class Taxonomy(_Frozen):
    version: str
    topics: tuple[Topic, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _tree(self):
        ids = [t.id for t in self.topics]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate topic id(s): {sorted(dupes)}")
        known = set(ids)
        for t in self.topics:
            if t.parent is not None and t.parent not in known:
                raise ValueError(f"topic {t.id!r}: unknown parent {t.parent!r}")
        for t in self.topics:
            self.ancestors(t.id)  # raises on cycles
        return self

    def ancestors(self, topic_id: str) -> list[str]:
        parents = {t.id: t.parent for t in self.topics}
        out, seen, cur = [], {topic_id}, parents[topic_id]
        while cur is not None:
            if cur in seen:
                raise ValueError(f"topic {topic_id!r}: parent cycle through {cur!r}")
            out.append(cur)
            seen.add(cur)
            cur = parents[cur]
        return out


class Entity(_Frozen):
    id: str = Field(pattern=ID)
    name: str
    type: str = Field(pattern=r"^(org|person|place|institution|product)$")
    aliases: dict[str, tuple[str, ...]]

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v):
        if not v:
            raise ValueError("no aliases")
        return _non_empty_per_lang(v, "aliases")


class Gazetteer(_Frozen):
    version: str
    entities: tuple[Entity, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        ids = [e.id for e in self.entities]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate entity id(s): {sorted(dupes)}")
        return self


class _Polar(_Frozen):
    """Terms with a positive or a negative weight, never both."""
    version: str
    positive: dict[str, float] = Field(min_length=1)
    negative: dict[str, float] = Field(min_length=1)
    _what = "terms"

    @model_validator(mode="after")
    def _disjoint(self):
        both = set(self.positive) & set(self.negative)
        if both:
            raise ValueError(f"{self._what} both positive and negative: {sorted(both)[:10]}")
        return self


class Lexicon(_Polar):
    lang: str
    negators: tuple[str, ...] = ()
    # phrases that contain a negator but do not negate ("not only", لا يزال "still")
    non_negations: tuple[str, ...] = ()
    intensifiers: dict[str, float] = {}
    diminishers: dict[str, float] = {}
    # first-person markers: a signal of opinion writing
    first_person: tuple[str, ...] = ()


class EmojiLexicon(_Polar):
    """Emoji tone shared by every language (config/lexicons/emoji.yaml)."""
    _what = "emoji"


def with_emoji(lex: Lexicon, emoji: EmojiLexicon) -> Lexicon:
    """The language's lexicon with the shared emoji added; its own entries win."""
    own = set(lex.positive) | set(lex.negative)
    pos = {**{e: w for e, w in emoji.positive.items() if e not in own}, **lex.positive}
    neg = {**{e: w for e, w in emoji.negative.items() if e not in own}, **lex.negative}
    return lex.model_copy(update={"positive": pos, "negative": neg})


class Vocabulary(BaseModel):
    model_config = ConfigDict(frozen=True)
    taxonomy: Taxonomy
    gazetteer: Gazetteer
    lexicons: dict[str, Lexicon]
    emoji_version: str = ""

    @property
    def taxonomy_version(self) -> str:
        return self.taxonomy.version

    @property
    def lexicon_version(self) -> str:
        own = [f"{k}:{v.version}" for k, v in sorted(self.lexicons.items())]
        return "+".join(own + ([f"emoji:{self.emoji_version}"] if self.emoji_version else []))


def load_vocabulary(directory: Path | str | None = None) -> Vocabulary:
    directory = Path(directory or config_dir())
    emoji = load_model(EmojiLexicon, directory / "lexicons" / "emoji.yaml")
    return Vocabulary(
        taxonomy=load_model(Taxonomy, directory / "taxonomy.yaml"),
        gazetteer=load_model(Gazetteer, directory / "entities.yaml"),
        lexicons={lang: with_emoji(load_model(Lexicon, directory / "lexicons" / f"{lang}.yaml"), emoji)
                  for lang in LANGS},
        emoji_version=emoji.version,
    )


def cached_vocabulary(directory: str | None = None) -> Vocabulary:
    return _cached(str(directory or config_dir()))


@lru_cache(maxsize=4)
def _cached(directory: str) -> Vocabulary:
    return load_vocabulary(directory)
