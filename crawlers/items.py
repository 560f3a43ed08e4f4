"""What a spider hands to the archive: one fetched page, or one failed request."""
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


@dataclass
class FailureItem:
    url: str
    role: str
    error_kind: str  # timeout | dns | connection | http_4xx | ... 
    message: str
    fetched_at: str
    source_id: str
    meta: dict = field(default_factory=dict)
