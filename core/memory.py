"""How long Polars' allocator keeps memory a process has freed.

Polars allocates with jemalloc and sets it to hand freed pages back to the
operating system within half a second to a second (dirty_decay_ms:500,
muzzy_decay_ms:1000, in polars/__init__.py). The enrichment frees and reallocates
the same few hundred MB piece after piece, so each piece faulted its pages
in again: on the 2-core VMs this project is measured on, a page fault costs
about 3 µs, and 10,000 articles spent 1.1 s of their ~7 s of CPU in the
kernel. Kept for a minute instead, the pages are reused: 50,000-90,000
faults instead of 200,000, 0.2-0.6 s in the kernel. A process that goes
idle still returns them after that minute.

jemalloc reads its options once, when Polars is first imported, so
`keep_freed_memory` must run before that: the packages whose processes
enrich (mediamon, benchmarks, transforms) call it on import. It also
reaches the processes they start (Airflow's task runners), and never
overrides a setting the user made."""
from __future__ import annotations

import os

# _RJEM_: the prefix of the jemalloc build Polars links (tikv-jemallocator).
# Polars puts its own options before these, so these win.
JEMALLOC_OPTIONS = "dirty_decay_ms:60000,muzzy_decay_ms:0"


def keep_freed_memory() -> None:
    os.environ.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_OPTIONS)
