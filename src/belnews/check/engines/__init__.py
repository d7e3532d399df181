"""Engines: what runs the checking work, in input order.

An engine has one job: ``map(fn, tasks)``, yielding ``fn(task)`` for every task in the order
of the tasks, however many workers run them. Nothing in an engine knows what it runs; the
callers choose the tasks and the function:

- :class:`~.local.LocalEngine` runs them in this process or in a local process pool
  (:func:`belnews.check.scheduler.ordered_map`);
- :class:`~.ray_data.RayEngine` runs them as Ray Data ``map_batches`` tasks, on a local Ray
  instance or on a cluster. Ray is imported only when this engine is opened.

What the tasks are. Validation with worker processes (local with ``jobs`` other than 1, or
Ray) maps :class:`~.pieces.Piece` descriptions (a file, or a byte range of a JSONL file):
each worker reads its own piece with the same readers, so the driver sends a few hundred
bytes per piece, not the corpus (shipping each 32 MB batch through a pipe made two local
processes slower than one). Stdin, which only the driver can read, goes as pieces of units
it has read, a window at a time. :func:`~.pieces.checked_pieces` runs the validation over pieces
with any engine and puts line numbers, empty-file checks and order back together.

``belnews build`` maps windows of units the driver has already read, each carrying its own
lines (the build reads its input once, in id order, so no shared file system is needed):
the per-window function checks the records (the columnar screen, the exact path for the
rest) and returns them with their Arrow tables; the driver takes the results in order from
``engine.map`` and writes the shards and the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

#: Engine names the CLI accepts.
ENGINES = ("local", "ray")


class Engine(Protocol):
    """Runs a function over tasks, results in task order."""

    #: True when workers may run on other machines (tasks must then name inputs, not carry them).
    remote: bool

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` for each task, in the order of the tasks."""
        ...

    def close(self) -> None:
        """Release what the engine started (processes, a Ray instance it launched)."""
        ...


def open_engine(name: str, *, jobs: int | None = 1, address: str | None = None) -> Any:
    """The engine called ``name``, ready to use (close it, or use it as a context manager).

    ``jobs``: workers at a time (0 or None: every CPU the engine has). ``address``: a Ray
    cluster (``ray://HEAD:10001`` or ``auto``); without it the Ray engine starts a local instance.
    """
    if name == "local":
        if address is not None:
            raise ValueError("--address is only meaningful with --engine ray")
        from belnews.check.engines.local import LocalEngine

        return LocalEngine(jobs=jobs or 0)
    if name == "ray":
        from belnews.check.engines.ray_data import RayEngine

        return RayEngine(workers=jobs or None, address=address)
    raise ValueError(f"engine must be one of {ENGINES}, not {name!r}")
