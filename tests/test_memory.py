"""The enrichment's processes keep the memory they free long enough to reuse
it (core.memory), and the compiled loops' large arrays sit on huge pages
(transforms.kernels.pages): both measured as page faults, which cost the
enrichment a sixth of its CPU on the VMs it runs on."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from numba import njit

from core.memory import JEMALLOC_OPTIONS
from core.settings import PROJECT_ROOT


def _polars_options(env: dict[str, str], first: str) -> str:
    """_RJEM_MALLOC_CONF as Polars hands it to jemalloc, in a fresh process
    that imports `first` and then Polars."""
    code = f"import {first}, polars, os; print(os.environ['_RJEM_MALLOC_CONF'])"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


@pytest.mark.parametrize("first", ["transforms.enrich", "mediamon.cli", "benchmarks.enrich_throughput"])
def test_enriching_processes_keep_freed_memory(first):
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    options = _polars_options(env, first)
    # Polars puts its own half-second decay first; jemalloc takes the last value of each option
    assert options.endswith(JEMALLOC_OPTIONS), options
    assert "dirty_decay_ms:500" in options


def test_a_users_allocator_setting_is_left_alone():
    env = {**os.environ, "_RJEM_MALLOC_CONF": "dirty_decay_ms:0"}
    assert _polars_options(env, "transforms.enrich").endswith(",dirty_decay_ms:0")


def _advice(array: np.ndarray) -> set[str]:
    """The VmFlags of the mapping that holds `array`'s middle byte (the
    advice covers whole huge pages, so the array's ends may lie outside it)."""
    address, flags, inside = array.ctypes.data + array.nbytes // 2, None, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                lo, hi = (int(x, 16) for x in head.split("-"))
                inside = lo <= address < hi
            elif inside and head == "VmFlags:":
                flags = set(line.split()[1:])
    assert flags is not None, "no mapping holds the array"
    return flags


@pytest.mark.skipif(not os.path.isdir("/sys/kernel/mm/transparent_hugepage"),
                    reason="a Linux kernel with transparent huge pages records the advice in /proc")
def test_compiled_loops_ask_for_huge_pages():
    from transforms.kernels.pages import huge

    @njit
    def plain(n):
        return np.empty(n, dtype=np.uint8)

    @njit
    def advised(n):
        return huge(np.empty(n, dtype=np.uint8))

    size = 64 << 20  # above glibc's mmap threshold: a mapping of its own
    assert "hg" not in _advice(plain(size))
    big = advised(size)
    assert "hg" in _advice(big)
    big[:] = 7  # still an ordinary array
    assert int(big.sum()) == 7 * size
    assert "hg" not in _advice(advised(1 << 20))  # too small to hold a whole huge page: no advice
