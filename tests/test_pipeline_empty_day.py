"""An empty day for every source still fails, and says why under the date's partition."""
from __future__ import annotations

import polars as pl
import pytest

from mediamon import pipeline
from core.settings import Partition
from quality.validate import BatchRejected
from tests.localserver import write_source


def test_an_empty_day_is_rejected_and_its_results_kept_with_the_date(tmp_path):
    cfg = write_source(tmp_path / "sources.yaml", "wire", ["http://127.0.0.1:9/rss.xml"])
    day = "2026-11-25"
    enriched = pipeline.enrich(day, pipeline.extract(day, []))
    with pytest.raises(BatchRejected, match="empty_batch"):
        pipeline.validate(day, enriched, str(cfg), "run-1")
    part = Partition.for_day(day)
    results = pl.read_parquet(part.quarantine_dir / "dq_rejected.parquet")
    assert "empty_batch" in results["reason"].to_list()
    assert not list(part.root.glob("dq_rejected_*"))  # nothing at the data dir's root
