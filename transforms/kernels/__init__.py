"""Compiled loops (numba) for the steps where Polars would need many passes
over millions of rows: each takes and returns numpy arrays, holds no state,
and releases the GIL, so the enrichment's slices run them in parallel
threads. Compiled once per machine: numba caches the machine code beside
the module (or in the user's cache when the tree is read-only)."""
