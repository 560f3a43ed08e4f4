from core.memory import keep_freed_memory

keep_freed_memory()  # before the benchmarks import Polars: measured as mediamon runs
