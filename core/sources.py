"""config/sources.yaml, validated once into frozen objects.

A bad file fails fast with the source and field named, before any crawl."""
from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.yamlconfig import ConfigError, load_model  # noqa: F401  (ConfigError is part of this API)

Kind = Literal["rss", "atom", "jsonfeed", "sitemap", "section", "urls"]
LANGS = ("ar", "zh", "en")


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    lang: tuple[str, ...]
    kind: Kind
    urls: tuple[str, ...] = Field(min_length=1)
    allowed_domains: tuple[str, ...] = ()
    max_pages: int = Field(default=200, ge=1, le=100_000)
    # articles published longer ago than this are out of scope for a daily run
    window_days: int | None = Field(default=None, ge=1, le=3650)
    # section pages: only links matching allow (and not deny) are articles;
    # links matching follow (pagination, sub-sections) are more listing pages,
    # read down to max_depth (1 = the seed pages alone)
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    follow: tuple[str, ...] = ()
    max_depth: int = Field(default=1, ge=1, le=5)
    # a source failing a health check at severity fail: its rows load flagged
    # `degraded`, or wait in quarantine until the date is rerun after a fix
    on_unhealthy: Literal["load", "hold"] = "load"

    @field_validator("lang", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return (v,) if isinstance(v, str) else v

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, v):
        for code in v:
            if code not in LANGS:
                raise ValueError(f"unsupported language {code!r}; expected one of {LANGS}")
        return v

    @field_validator("urls")
    @classmethod
    def _http_only(cls, v):
        for url in v:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return v

    @model_validator(mode="after")
    def _seeds_inside_allowed_domains(self):
        # Scrapy drops requests outside allowed_domains, the seeds included, and
        # says so only in its log: a feed on feeds.example-cdn.net would be
        # crawled as nothing, every day, without an error.
        for url in self.urls:
            host = (urlsplit(url).hostname or "").lower()
            if self.allowed_domains and not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
                raise ValueError(f"{url!r} is outside allowed_domains {list(self.allowed_domains)}: "
                                 f"the crawler would refuse to fetch it")
        return self


class SourcesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self):
        seen = set()
        for s in self.sources:
            if s.id in seen:
                raise ValueError(f"duplicate source id {s.id!r}")
            seen.add(s.id)
        return self

    def get(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"no source {source_id!r}")


def load_sources(path: Path | str) -> SourcesFile:
    return load_model(SourcesFile, path, entry_word="source")
