"""Which days the report DAG writes: those whose load triggered it."""
from __future__ import annotations

from datetime import date


def days_loaded(events) -> list[date | None]:
    """The logical dates of the runs whose loads emitted the asset events;
    [None] (the latest crawl date) when the events do not carry one."""
    days: set[date] = set()
    for asset_events in (events or {}).values():
        for event in asset_events:
            run = getattr(event, "source_dag_run", None)
            logical = getattr(run, "logical_date", None) if run is not None else None
            if logical is not None:
                days.add(logical.date())
    return sorted(days) or [None]
