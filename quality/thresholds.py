"""config/quality.yaml as a frozen object."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.settings import config_dir
from core.yamlconfig import load_model

Severity = Literal["warn", "fail"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RowRules(_Frozen):
    min_length: dict[str, int]
    max_length: dict[str, int]
    max_repeated_line_share: float = Field(ge=0, le=1)
    default_window_days: int = Field(ge=1)
    future_tolerance_hours: int = Field(ge=0)


class BatchRules(_Frozen):
    history_days: int = Field(ge=1)
    min_history_days: int = Field(ge=1)
    min_ratio: float = Field(ge=0)
    max_ratio: float = Field(gt=0)
    max_quarantine_share: float = Field(ge=0, le=1)
    silent_days: int = Field(default=2, ge=1)  # alert when a source loads nothing this many days in a row
    severity: dict[str, Severity]


class QualityRules(_Frozen):
    version: str
    rows: RowRules
    batch: BatchRules


def load_rules(directory: Path | str | None = None) -> QualityRules:
    return load_model(QualityRules, Path(directory or config_dir()) / "quality.yaml")
