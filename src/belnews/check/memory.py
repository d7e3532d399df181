"""How the C allocator treats the large temporary arrays of a bulk run.

The columnar screen and the build make many NumPy arrays of one to a few tens of megabytes per
batch. glibc's ``malloc`` serves each of those with a fresh ``mmap`` and gives it back with
``munmap`` when it is freed, so every batch faults every page in again: on the real-density
benchmark that was a quarter of a build's CPU time, spent in the kernel. While a bulk run is
on, :func:`reuse_freed_memory` asks glibc to serve such blocks from its heap and keep what is
freed for the next batch; afterwards it puts the documented defaults back and returns what
the heap holds to the system.

Only glibc is told anything (``mallopt`` is glibc's); elsewhere, if the C library cannot be
loaded, and if the user tuned malloc through the environment (``MALLOC_*_`` or
``GLIBC_TUNABLES``), the context manager does nothing. The setting is process-wide, so runs
may nest or overlap in threads: the first to start sets it, the last to end restores it.
One lasting effect: glibc no longer raises its mmap threshold by itself after an explicit
setting, so after a run it stays at the 128 KiB default.
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

#: Where a glibc refuses an mmap threshold that large (some cap it at half their 64 MiB heap
#: size), the largest it takes.
MMAP_THRESHOLD_CAP = 32 << 20

#: glibc's defaults (``man mallopt``), put back after a run.
DEFAULTS = {M_MMAP_THRESHOLD: 128 << 10, M_TRIM_THRESHOLD: 128 << 10, M_TOP_PAD: 128 << 10}

#: Environment variables through which a user tunes glibc's malloc; if any is set, the
#: user's setting stands and nothing is changed.
USER_TUNING = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")

_lock = threading.Lock()
_active = 0


@lru_cache(maxsize=1)
def _glibc() -> Any | None:
    """The C library, if it is glibc and the user left its malloc untuned (its ``mallopt``
    and ``malloc_trim``); else None."""
    import ctypes
    import os

    if any(name in os.environ for name in USER_TUNING):
        return None
    if "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", ""):
        return None
    try:  # asks the C library itself, at once (platform.libc_ver reads the executable)
        version = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        return None
    if not version.startswith("glibc"):
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
                taken = libc.mallopt(parameter, value)
                if not taken and parameter == M_MMAP_THRESHOLD:
                    libc.mallopt(parameter, MMAP_THRESHOLD_CAP)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                for parameter, value in DEFAULTS.items():
                    libc.mallopt(parameter, value)
                libc.malloc_trim(0)
