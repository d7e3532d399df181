"""The local engine: this process (one job) or a pool of local processes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from belnews.check.scheduler import ordered_map


@dataclass
class LocalEngine:
    """``jobs`` == 1 runs in this process; more (or 0: one per CPU) in spawned processes."""

    jobs: int = 1
    remote: ClassVar[bool] = False

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` in task order (see :func:`~belnews.check.scheduler.ordered_map`)."""
        if self.jobs == 1:
            return map(fn, tasks)
        return ordered_map(fn, tasks, self.jobs)

    def close(self) -> None:
        """Nothing to release: the pool lives only while a ``map`` is being read."""

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
