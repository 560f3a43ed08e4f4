"""Where things live. Every path is derived from MEDIAMON_DATA_DIR so that one
variable moves the whole installation (tests point it at a tmp dir)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "config"
DAGS_DIR = PROJECT_ROOT / "dags"
DAG_ID = "media_monitoring_daily"


def data_dir() -> Path:
    return Path(os.environ.get("MEDIAMON_DATA_DIR", "./data")).resolve()


def config_dir() -> Path:
    """Taxonomy, gazetteer and lexicons; MEDIAMON_CONFIG_DIR points elsewhere."""
    return Path(os.environ.get("MEDIAMON_CONFIG_DIR", CONFIG_DIR))


def warehouse_path() -> Path:
    return data_dir() / "warehouse" / "mediamon.duckdb"


def airflow_home() -> Path:
    return data_dir() / "airflow"


def default_sources_file() -> Path:
    return Path(os.environ.get("MEDIAMON_SOURCES", CONFIG_DIR / "sources.yaml"))


@dataclass(frozen=True)
class Partition:
    """The files of one logical date. Each stage owns one directory and
    replaces it whole, so a rerun never mixes old and new files."""

    day: date
    root: Path

    @classmethod
    def for_day(cls, day: date | str, root: Path | None = None) -> "Partition":
        if isinstance(day, str):
            day = date.fromisoformat(day[:10])
        return cls(day, root or data_dir())

    def _dir(self, layer: str) -> Path:
        return self.root / layer / f"date={self.day.isoformat()}"

    def raw_dir(self, source_id: str) -> Path:
        return self._dir("raw") / f"source={source_id}"

    @property
    def staging_dir(self) -> Path:
        return self._dir("staging")

    @property
    def enriched_dir(self) -> Path:
        return self._dir("enriched")

    @property
    def validated_dir(self) -> Path:
        return self._dir("validated")

    @property
    def quarantine_dir(self) -> Path:
        return self._dir("quarantine")

    @property
    def reports_dir(self) -> Path:
        return self._dir("reports")
