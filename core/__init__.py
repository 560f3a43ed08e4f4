"""Foundations every layer may import: settings and paths, dates, URLs,
atomic writes, validated YAML config (sources included). Nothing here imports
the stages (crawlers, transforms, quality, warehouse) or the orchestration
above them (mediamon: CLI, pipeline, Airflow, demo)."""
