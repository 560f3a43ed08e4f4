"""Polars transforms: extraction, enrichment, evaluation."""
from core.memory import keep_freed_memory

keep_freed_memory()  # a no-op if Polars is already imported

# The engine the enrichment's queries run on. Each query reads one piece
# of a batch (transforms.enrich.PIECE articles, a few hundred thousand rows
# at most), where the streaming engine (Polars 2's default) spends more
# setting up its pipelines than it saves: 10,000 articles took 6.6 s of CPU
# in memory against 7.4 s streaming, with identical outputs.
ENGINE = "in-memory"
