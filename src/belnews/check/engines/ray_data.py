"""The Ray engine: tasks run as Ray Data ``map_batches`` over a dataset of tasks.

Each task (a :class:`~belnews.check.engines.pieces.Piece` for validation) is one row; Ray Data
streams the rows to ``map_batches`` workers and, with ``preserve_order``, hands the results back
in the order of the rows, so the issues come out in file and line order. Tasks and results
travel pickled (cloudpickle for the function), which keeps them exact Python values: the
issues the driver assembles are the very objects a local run makes.

Ray is imported only here, and only when an engine is opened.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from belnews.errors import Error

#: CPUs of the Ray instance this engine starts when no cluster address is given.
LOCAL_CPUS = 2

#: Object store of that local instance: tasks and results are small (bytes per record).
LOCAL_OBJECT_STORE = 256 * 1024 * 1024

#: Rows of the task dataset per block at most (a block runs as one task, row by row).
MAX_BLOCKS = 4096

#: Environment that keeps Ray offline and quiet: no usage statistics sent, no dashboard.
QUIET_ENV = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_PROMPT_ENABLED": "0",
    "RAY_DISABLE_DOCKER_CPU_WARNING": "1",
    "RAY_ACCEL_ENV_VAR_OVERRIDE_ON_ZERO": "0",
    "RAY_DEDUP_LOGS": "1",
}


class EngineError(Error):
    """The Ray engine cannot start (Ray is missing, or the cluster cannot be reached)."""


def import_ray() -> Any:
    """``ray`` (with Ray Data), or a one-line error naming the extra to install."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    try:
        import ray
        import ray.data  # Ray Data is a separate import
    except ImportError as exc:
        raise EngineError("the Ray engine needs Ray Data: pip install 'belnews[ray]'") from exc
    return ray


def connect(address: str | None = None, *, num_cpus: int = LOCAL_CPUS) -> bool:
    """Make sure this process is connected to Ray; True if this call started the connection
    (and so should end it), False if one was already open.

    Without ``address`` a local instance is started with ``num_cpus`` CPUs, no dashboard and no
    usage statistics. With one (``ray://HEAD:10001``, ``auto``) the cluster is joined; its nodes
    need belnews installed in the same version.
    """
    ray = import_ray()
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {
        "logging_level": logging.ERROR,
        "log_to_driver": False,
        "configure_logging": True,
    }
    if address is None:
        options.update(
            num_cpus=num_cpus,
            include_dashboard=False,
            object_store_memory=LOCAL_OBJECT_STORE,
        )
    try:
        ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local instance"
        raise EngineError(f"cannot start Ray on {where}: {exc}") from exc
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    return True


def _apply(batch: dict[str, Any], fn: Callable[[Any], Any]) -> dict[str, Any]:
    """One batch of pickled tasks to the pickled results (runs in a Ray worker). A belnews
    error travels back as the result, so the driver raises it as itself (a clear message)
    rather than as Ray's wrapped task error."""
    out = []
    for task in batch["task"]:
        try:
            out.append(pickle.dumps(fn(pickle.loads(task))))
        except Error as exc:
            out.append(pickle.dumps(_Failed(exc)))
    return {"result": out}


class _Failed:
    """A belnews error raised by a task, carried back to the driver."""

    def __init__(self, error: Error) -> None:
        self.error = error


#: Tasks sent to Ray at a time (each becomes a block of a Ray Data dataset).
CHUNK = 64


def _results(pickled: list[bytes]) -> Iterator[Any]:
    for item in pickled:
        result = pickle.loads(item)
        if isinstance(result, _Failed):
            raise result.error
        yield result


class RayEngine:
    """Runs ``map`` as Ray Data ``map_batches`` tasks, ``workers`` at a time (None: as many as
    the instance has CPUs), on a local instance or the cluster at ``address``."""

    remote = True

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        self.workers = workers
        self.address = address
        cpus = max(LOCAL_CPUS, workers or 0)
        self._owner = connect(address, num_cpus=cpus)

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` for each task, in task order.

        Tasks are sent ``CHUNK`` at a time, so a long input (a build's windows carry their
        lines) never sits in the driver's memory whole; the next chunk runs while the
        current one's results are consumed, so the workers do not wait at chunk boundaries.
        """
        from concurrent.futures import ThreadPoolExecutor

        it = iter(tasks)
        with ThreadPoolExecutor(max_workers=1) as ahead:
            running = None
            while True:
                chunk = list(itertools.islice(it, CHUNK))
                following = ahead.submit(self._run_chunk, fn, chunk) if chunk else None
                if running is not None:
                    yield from _results(running.result())
                if following is None:
                    return
                running = following

    def _run_chunk(self, fn: Callable[[Any], Any], tasks: list[Any]) -> list[bytes]:
        """Run one chunk to the end; the pickled results in task order."""
        import ray.data

        rows = [{"task": pickle.dumps(task)} for task in tasks]
        blocks = min(len(rows), MAX_BLOCKS)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks)
        # on this dataset's own context (the datasets derived from it copy it), not the global
        dataset.context.execution_options.preserve_order = True
        dataset.context.enable_progress_bars = False
        results = dataset.map_batches(
            _apply,
            fn_kwargs={"fn": fn},
            batch_size=1,
            batch_format="numpy",
            zero_copy_batch=True,
            compute=ray.data.TaskPoolStrategy(size=self.workers and min(self.workers, blocks)),
            num_cpus=1,
        )
        return [row["result"] for row in results.iter_rows()]

    def close(self) -> None:
        """Shut Ray down if this engine started it (a shared instance is left running)."""
        if self._owner:
            import ray

            ray.shutdown()
            self._owner = False

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
