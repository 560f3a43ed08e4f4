"""Foundations every layer may import: settings and paths, dates, URLs,
atomic writes, validated YAML config (sources included), how long Polars'
allocator keeps freed memory (memory). Nothing here imports
the stages (crawlers, transforms, quality, warehouse) or the orchestration
above them (mediamon: CLI, pipeline, Airflow, demo)."""
