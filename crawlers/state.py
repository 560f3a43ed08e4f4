"""What earlier runs already hold, so a daily crawl asks only for what is new.

Read from the small per-URL journal (index.jsonl) that the archive writer leaves
beside each WARC, and from the warehouse, which outlives raw-archive retention.
Only dates *before* the one being crawled count: a rerun of a date then fetches
exactly what its first run fetched, which keeps reruns idempotent.

A page counts as known only once the run that fetched it has loaded: its date
is in the warehouse's partition_counts. Pages a run fetched and never loaded
(it failed after the crawl, or nobody reran it) are pending: the next date's
crawl fetches them again, listed or not, so nothing is lost between runs."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.urls import canonical_url

log = logging.getLogger(__name__)

INDEX_NAME = "index.jsonl"
# A listing fetched on a day that lost pages to these must be read in full
# again, so its validators are not reused (a 304 would hide the lost links).
_INCOMPLETE = {"max_pages_reached", "timeout", "connection", "dns", "tls", "http_5xx", "other"}


@dataclass
class CrawlState:
    known_urls: set[str] = field(default_factory=set)          # canonical URLs
    validators: dict[str, dict[str, str]] = field(default_factory=dict)  # listing URL -> etag/last_modified
    pending: dict[str, str] = field(default_factory=dict)  # URL fetched by a run that never loaded -> its date

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({"known_urls": sorted(self.known_urls), "validators": self.validators,
                                    "pending": self.pending}))

    @classmethod
    def read(cls, path: str | Path | None) -> "CrawlState":
        if not path:
            return cls()
        data = json.loads(Path(path).read_text())
        return cls(set(data.get("known_urls", [])), data.get("validators", {}), data.get("pending", {}))


def _partitions(raw_root: Path, source_id: str, before: date) -> list[tuple[date, Path]]:
    found = []
    for d in raw_root.glob(f"date=*/source={source_id}"):
        try:
            day = date.fromisoformat(d.parent.name.removeprefix("date="))
        except ValueError:
            continue
        if day < before:
            found.append((day, d))
    return sorted(found)


def _complete(partition: Path) -> bool:
    try:
        stats = json.loads((partition / "crawl_stats.json").read_text())
    except (OSError, ValueError):
        return False
    return not (set(stats.get("errors_by_kind", {})) & _INCOMPLETE)


def from_archive(raw_root: Path, source_id: str, before: date, committed: set[date] | None = None,
                 since: date | None = None) -> CrawlState:
    """What earlier partitions hold. With `committed` (the dates whose load
    went through), pages of other dates are pending rather than known, back
    to `since` (older ones would fall outside the window anyway)."""
    state = CrawlState()
    for day, part in _partitions(raw_root, source_id, before):
        index = part / INDEX_NAME
        if not index.exists():
            continue
        loaded = committed is None or day in committed
        complete = _complete(part)
        for line in index.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            status, role = entry.get("status"), entry.get("role")
            # a "known" skip carries the knowledge forward past raw-archive retention;
            # an out-of-window skip was never fetched, and a wider window may want it
            if role == "article" and entry.get("skipped") == "known":
                state.known_urls.update(canonical_url(u) for u in (entry["url"], entry.get("listed_url")) if u)
            elif role == "article" and status and 200 <= status < 300:
                # the listed URL too: tomorrow's feed lists it, not where it redirected
                urls = {canonical_url(u) for u in (entry["url"], entry.get("listed_url")) if u}
                if loaded:
                    state.known_urls |= urls
                elif since is None or day >= since:
                    state.pending[canonical_url(entry.get("listed_url") or entry["url"])] = day.isoformat()
            elif role != "article" and status in (200, 304) and complete:
                v = {k: entry[k] for k in ("etag", "last_modified") if entry.get(k)}
                if v:  # later partitions overwrite earlier ones
                    state.validators[entry.get("listed_url") or entry["url"]] = v
                else:
                    state.validators.pop(entry.get("listed_url") or entry["url"], None)
            elif role != "article":
                state.validators.pop(entry.get("listed_url") or entry["url"], None)
    # a page loaded since (by a later date, or from another partition) is no longer pending
    state.pending = {u: d for u, d in state.pending.items() if u not in state.known_urls}
    return state


def build_state(source_id: str, day: date, data_root: Path, since: date | None = None) -> CrawlState:
    """Known URLs, pending URLs and listing validators for crawling `source_id` on `day`.

    The warehouse says which dates loaded; if it cannot be read (it is never
    locked for long: writers swap in a copy), the crawl fails rather than
    guess, because guessing wrong loses articles or refetches everything."""
    from warehouse.history import committed_dates, warehouse_urls

    committed = committed_dates(source_id, day)
    state = from_archive(data_root / "raw", source_id, day, committed, since)
    state.known_urls |= {canonical_url(u) for u in warehouse_urls(source_id, day)}
    state.pending = {u: d for u, d in state.pending.items() if u not in state.known_urls}
    if state.pending:
        log.warning("%s: %d pages fetched by earlier runs that never loaded (dates %s) are fetched again",
                    source_id, len(state.pending), sorted(set(state.pending.values())))
    log.info("crawl state for %s before %s: %d known URLs, %d pending, %d listings with validators",
             source_id, day, len(state.known_urls), len(state.pending), len(state.validators))
    return state
