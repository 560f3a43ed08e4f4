"""Everything that can be checked before the first request is sent.

A duplicate topic id or an unwritable warehouse directory found after a
two-hour crawl costs the day; found here it costs a second. `mediamon run`
runs this before starting Airflow, and the DAG's first task runs it again
(the scheduler does not go through the CLI)."""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from core.settings import Partition, config_dir, warehouse_path
from core.yamlconfig import ConfigError

log = logging.getLogger(__name__)
# Temp dirs of other dates younger than this may belong to a run in progress.
STALE_AFTER_S = 6 * 3600


def check_configs(sources_file: str | Path) -> dict:
    """Validate every config file the run reads; ConfigError names the file
    and the field. Returns what was checked, for the task log."""
    from core.sources import load_sources
    from quality.thresholds import load_rules
    from transforms.vocab import load_vocabulary

    sources = load_sources(sources_file)
    try:
        vocab = load_vocabulary(config_dir())
    except ConfigError:
        raise
    except (ValueError, OSError) as exc:  # vocabulary checks across files (duplicate ids, cycles)
        raise ConfigError(f"{config_dir()}: {exc}") from None
    load_rules()
    return {"sources": len(sources.sources), "topics": len(vocab.taxonomy.topics),
            "entities": len(vocab.gazetteer.entities), "taxonomy_version": vocab.taxonomy_version}


def check_writable(directory: Path) -> None:
    """The warehouse directory exists (or can be made) and takes a new file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".preflight."):
            pass
    except OSError as exc:
        raise ConfigError(f"the warehouse directory {directory} is not writable: {exc.strerror or exc}") from None


def clean_temp_dirs(part: Partition) -> list[Path]:
    """Remove the half-written temp dirs that killed runs leave (atomic_dir's
    `.name.*` siblings): all of this date's, which no one else can be writing
    while we hold its run, and other dates' once they are clearly stale."""
    removed = []
    now = time.time()
    for layer in ("raw", "staging", "enriched", "validated", "quarantine", "reports"):
        root = part.root / layer
        if not root.is_dir():
            continue
        own = f"date={part.day.isoformat()}"
        candidates = [*root.glob(".date=*"), *root.glob("date=*/.*")]
        for tmp in candidates:
            if not tmp.is_dir():
                continue
            mine = own in tmp.name or tmp.parent.name == own
            if mine or now - tmp.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(tmp, ignore_errors=True)
                removed.append(tmp)
    if removed:
        log.info("removed %d temp dirs left by killed runs: %s", len(removed), [str(p) for p in removed[:10]])
    return removed


def preflight(sources_file: str | Path, day=None) -> dict:
    """Configs and the warehouse directory; with a day (inside the run, which
    owns that date), also clear what killed runs of it left behind."""
    checked = check_configs(sources_file)
    check_writable(warehouse_path().parent)
    if day is not None:
        checked["temp_dirs_removed"] = len(clean_temp_dirs(Partition.for_day(day)))
    return checked
