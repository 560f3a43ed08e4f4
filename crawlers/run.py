"""Run one source's crawl in its own process.

Twisted's reactor cannot be restarted, and Airflow's dag.test() runs every task
in one process, so each crawl gets a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from crawlers.extensions import STATS_NAME
from crawlers.state import CrawlState
from core.atomic import atomic_dir
from core.settings import PROJECT_ROOT


class CrawlFailed(RuntimeError):
    pass


def crawl_source(sources_file: str | Path, source_id: str, raw_dir: Path,
                 extra_settings: dict[str, str] | None = None, timeout_s: int = 3600,
                 state: CrawlState | None = None, window_start: datetime | None = None) -> dict:
    """Crawl one source into raw_dir (replaced whole on success); return its stats.

    With a state, URLs it knows are skipped and listings are fetched conditionally;
    with a window start, listed items dated before it are skipped."""
    with atomic_dir(raw_dir) as tmp, tempfile.TemporaryDirectory(prefix="mediamon-state-") as state_dir:
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "source",
            "-a", f"sources_file={Path(sources_file).resolve()}",
            "-a", f"source_id={source_id}",
            "-s", f"MEDIAMON_RAW_DIR={tmp}",
            "-s", f"LOG_FILE={tmp / 'crawl.log'}",
        ]
        if state is not None:
            # a file, not an argument: the known set grows by thousands of URLs a month
            state_file = Path(state_dir) / "state.json"
            state.dump(state_file)
            cmd += ["-a", f"state_file={state_file}"]
        if window_start is not None:
            cmd += ["-a", f"window_start={window_start.isoformat()}"]
        for key, value in (extra_settings or {}).items():
            cmd += ["-s", f"{key}={value}"]
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout_s)
        stats_file = tmp / STATS_NAME
        if proc.returncode != 0 or not stats_file.exists():
            tail = (proc.stderr or "")[-2000:]
            raise CrawlFailed(f"scrapy crawl {source_id} exited {proc.returncode}: {tail}")
        stats = json.loads(stats_file.read_text())
    return stats
