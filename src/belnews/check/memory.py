"""How the C allocator treats the large temporary arrays of a bulk run.

The columnar screen and the build make many NumPy arrays of one to a few tens of megabytes per
batch. glibc's ``malloc`` serves each of those with a fresh ``mmap`` and gives it back with
``munmap`` when it is freed, so every batch faults every page in again: on the real-density
benchmark that was a quarter of a build's CPU time, spent in the kernel. While a bulk run is
on, :func:`reuse_freed_memory` asks glibc to serve such blocks from its heap and keep what is
freed for the next batch; afterwards it puts the documented defaults back and returns what
the heap holds to the system.

Only glibc is told anything (``mallopt`` is glibc's); elsewhere, and if the C library cannot
be loaded, the context manager does nothing. The setting is process-wide, so runs may nest
or overlap in threads: the first to start sets it, the last to end restores it. One lasting
effect: glibc no longer raises its mmap threshold by itself after an explicit setting, so
after a run it stays at the 128 KiB default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

#: mallopt parameters (glibc's malloc.h).
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3

#: During a run: blocks under 256 MiB come from the heap; up to 1 GiB freed at its top is
#: kept; the heap grows 64 MiB at a time.
DURING = {M_MMAP_THRESHOLD: 256 << 20, M_TRIM_THRESHOLD: 1 << 30, M_TOP_PAD: 64 << 20}

#: glibc's documented defaults, put back after a run.
DEFAULTS = {M_MMAP_THRESHOLD: 128 << 10, M_TRIM_THRESHOLD: 128 << 10, M_TOP_PAD: 0}

_lock = threading.Lock()
_active = 0


@lru_cache(maxsize=1)
def _glibc() -> Any | None:
    """The C library, if it is glibc (its ``mallopt`` and ``malloc_trim``); else None."""
    import ctypes
    import platform

    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both must exist
    except (OSError, AttributeError):
        return None
    return libc


@contextmanager
def reuse_freed_memory(libc: Any = None) -> Iterator[None]:
    """Keep large freed blocks for reuse while the body runs (see the module docstring).
    ``libc`` is for tests; by default the process's own C library."""
    global _active
    libc = libc if libc is not None else _glibc()
    if libc is None:
        yield
        return
    with _lock:
        _active += 1
        if _active == 1:
            for parameter, value in DURING.items():
                libc.mallopt(parameter, value)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                for parameter, value in DEFAULTS.items():
                    libc.mallopt(parameter, value)
                libc.malloc_trim(0)
