"""What a spider hands to the archive: one fetched page, one failed request,
or one listed URL that was deliberately not fetched."""
from dataclasses import dataclass, field


@dataclass
class PageItem:
    url: str
    role: str  # article | feed | sitemap | section
    status: int
    headers: dict[str, list[str]]
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    source_id: str
    meta: dict = field(default_factory=dict)  # feed/sitemap hints: title, published
    listed_url: str | None = None  # where the link pointed, before any redirect


@dataclass
class FailureItem:
    url: str
    role: str
    error_kind: str  # timeout | dns | connection | http_4xx | ...
    message: str
    fetched_at: str
    source_id: str
    meta: dict = field(default_factory=dict)


@dataclass
class SkipItem:
    url: str
    reason: str  # known: an earlier run has it | duplicate_url: listed twice in this run
    fetched_at: str
    source_id: str
    role: str = "article"
    meta: dict = field(default_factory=dict)
