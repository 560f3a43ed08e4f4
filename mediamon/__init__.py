from core.memory import keep_freed_memory

keep_freed_memory()  # before anything imports Polars, here or in the processes mediamon starts
