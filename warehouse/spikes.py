"""Spikes with their causes, thresholds from config/spikes.yaml.

The arithmetic lives in SQL (migration 011: volume_zscores, spikes_with,
spike_causes) so an analyst in the DuckDB CLI gets the same answer as the
report; this module only supplies the configured thresholds."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, Field

from core.settings import CONFIG_DIR
from core.yamlconfig import load_model


class SpikeRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    window_days: int = Field(14, ge=2, le=90)
    z_threshold: float = Field(3.0, gt=0)
    min_articles: int = Field(5, ge=1)
    min_history_days: int = Field(7, ge=1)
    causes: int = Field(10, ge=1, le=100)


def load_rules(path: Path | None = None) -> SpikeRules:
    return load_model(SpikeRules, path or CONFIG_DIR / "spikes.yaml")


@dataclass
class SpikeFound:
    dimension: str  # topic | entity
    key: str
    day: date
    articles: int
    baseline: float
    z_score: float
    causes: list[dict] = field(default_factory=list)


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def find_spikes(con: duckdb.DuckDBPyConnection, since: date | None = None, until: date | None = None,
                rules: SpikeRules | None = None, with_causes: bool = True) -> list[SpikeFound]:
    """Spikes between `since` and `until` (inclusive), strongest first."""
    r = rules or load_rules()
    rows = con.execute(
        "SELECT dimension, key, day, articles, baseline, z_score FROM spikes_with(?, ?, ?, ?) "
        "WHERE day BETWEEN COALESCE(?, DATE '0001-01-01') AND COALESCE(?, DATE '9999-12-31') "
        "ORDER BY day DESC, z_score DESC, dimension, key",
        [r.window_days, r.z_threshold, r.min_articles, r.min_history_days, since, until],
    ).fetchall()
    found = [SpikeFound(*row) for row in rows]
    if with_causes:
        for s in found:
            s.causes = causes(con, s.dimension, s.key, s.day, r.causes)
    return found


def causes(con: duckdb.DuckDBPyConnection, dimension: str, key: str, day: date, limit: int = 10) -> list[dict]:
    """The day's articles on the topic/entity, near-copies folded into their original."""
    return _dicts(con.execute("SELECT * FROM spike_causes(?, ?, ?) LIMIT ?", [dimension, key, day, limit]))
