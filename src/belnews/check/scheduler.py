"""Running work in order: windows of items, a process pool that keeps input order, and a
one-ahead reader thread.

Nothing here knows what it schedules (units of records, batches, anything): the callers pass
the functions. Another engine (Ray, see :mod:`belnews.check.engines`) replaces
:func:`ordered_map` without touching what is scheduled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

#: Units handed to a worker at a time when checking in parallel.
WINDOW = 250


def windows(
    items: Iterable[T], size: int = WINDOW, alone: Callable[[T], bool] = lambda _item: False
) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order; an item for which ``alone`` is true (a batch
    that is already large) goes in a list of its own."""
    window: list[T] = []
    for item in items:
        if alone(item):
            if window:
                yield window
                window = []
            yield [item]
            continue
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def ordered_map(fn: Any, tasks: Iterable[Any], jobs: int) -> Iterator[Any]:
    """``map(fn, tasks)`` in worker processes, in order, with few tasks in flight.

    Unlike ``Pool.imap`` it does not read the whole input ahead, so memory stays bounded on
    a corpus of any size. Workers are started with "spawn": the parent may already run
    pyarrow's threads, and forking a threaded process is unsafe.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = []
        tasks = iter(tasks)
        for task in tasks:
            pending.append(pool.submit(fn, task))
            if len(pending) > 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def read_ahead(
    items: Iterable[T], fn: Callable[[T], Any], when: Callable[[T], bool], depth: int = 1
) -> Iterator[tuple[T, Any]]:
    """``(item, fn(item))`` pairs in order, ``fn`` running in ``depth`` threads up to
    ``depth`` items ahead for the items where ``when`` is true (``None`` for the others).

    Worth it when ``fn`` releases the GIL (Arrow parsing does), so preparing the next items
    overlaps the caller's work on this one.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=depth) as pool:
        ahead: deque[tuple[T, Any]] = deque()
        for item in items:
            ahead.append((item, pool.submit(fn, item) if when(item) else None))
            while len(ahead) > depth or (ahead and ahead[0][1] is None):
                done, future = ahead.popleft()
                yield done, future.result() if future is not None else None
        while ahead:
            done, future = ahead.popleft()
            yield done, future.result() if future is not None else None
