"""Large arrays a compiled loop allocates itself, backed by huge pages.

numpy asks the kernel for transparent huge pages on every array of 4 MB
or more (madvise MADV_HUGEPAGE); numba's allocator does not, so each 4 KB
page of a loop's output faults on its own the first time it is written.
On the 2-core VMs this project is measured on a fault costs about 3 µs:
cutting 2,000 articles into sentences spent more time faulting in its
buffers than reading the text. `huge` gives a loop's array numpy's
treatment. Where the system does not grant huge pages (THP "never", not
Linux), the advice is ignored and nothing changes."""
from __future__ import annotations

import sys

import numpy as np
from numba import njit, types

_HUGE = 2 << 20  # x86-64's and arm64's transparent huge page
_MADV_HUGEPAGE = 14
# resolved by name when a loop is compiled or loaded from numba's cache
_madvise = types.ExternalFunction("madvise", types.intc(types.uintp, types.uintp, types.intc))
_LINUX = sys.platform.startswith("linux")


@njit(cache=True, nogil=True)
def huge(a: np.ndarray) -> np.ndarray:
    """`a`, freshly allocated and not yet written, with the whole huge pages
    inside it advised as such (before the first write: advice after a page
    has faulted does not merge it)."""
    if _LINUX and a.nbytes >= 2 * _HUGE:
        lo = (a.ctypes.data + _HUGE - 1) // _HUGE * _HUGE
        hi = (a.ctypes.data + a.nbytes) // _HUGE * _HUGE
        _madvise(lo, hi - lo, _MADV_HUGEPAGE)
    return a
