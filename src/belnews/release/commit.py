"""The release is written whole or not at all, with one commit point.

A build writes the new release into a fresh folder ``<data>/.staging-<random>/`` (same
layout as the release, plus the front files and a ``PLAN.json`` saying where each file
goes). Nothing the readers look at has changed yet; a build killed now leaves only that
folder, which the next build removes.

The commit point is one rename: ``.staging-<random>`` -> ``.pending``. From that instant
the new release is whole in ``.pending`` and :func:`committed_dir` sends readers
(``belnews.load``) there, while the files are copied into their places (a file whose
content is unchanged is not rewritten), old shards removed, and ``MANIFEST.json`` replaced
last. Then ``.pending/MANIFEST.json`` is deleted (``data/`` is whole and new at that
instant) and the rest of ``.pending`` with it. A build killed after the commit point is
rolled forward by the next build (:func:`recover`), before it does anything else.

Builds of one release folder hold an exclusive lock on it (``flock``, released by the
kernel when a process dies), so two builds at once run one after the other. Where
``fcntl`` is missing (Windows) there is no lock.

For tests, ``BELNEWS_KILL_AT_STEP=N`` makes the process SIGKILL itself at step N of the
commit (:func:`step`), so a test can stop a build at every instant that matters.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

MANIFEST_FILE = "MANIFEST.json"
STAGING_PREFIX = ".staging-"
PENDING = ".pending"
PLAN_FILE = "PLAN.json"
FRONT_DIR = "front"

_steps = 0


def step() -> None:
    """Count a step of the commit; die here if the test hook asks for this one."""
    global _steps
    _steps += 1
    wanted = os.environ.get("BELNEWS_KILL_AT_STEP")
    if wanted and int(wanted) == _steps:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def committed_dir(out_dir: Path) -> Path:
    """Where the committed release is: ``.pending`` while a commit is being published,
    else the release folder itself."""
    pending = out_dir / PENDING
    if (pending / MANIFEST_FILE).is_file():
        return pending
    return out_dir


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the release folder's build lock (blocking until another build lets go)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders
        yield
        return
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def new_staging(out_dir: Path) -> Path:
    """A fresh, empty staging folder inside the release folder."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))


def recover(out_dir: Path) -> None:
    """Finish what a killed build left: publish a committed ``.pending`` release, then
    remove staging folders, an uncommitted ``.pending`` remnant and half-copied files.
    Call it holding :func:`locked`."""
    pending = out_dir / PENDING
    if (pending / MANIFEST_FILE).is_file():
        publish(out_dir)
    for leftover in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if pending.exists():
        shutil.rmtree(pending, ignore_errors=True)
    for folder in {out_dir, *(p.parent for p in out_dir.glob("*/.*.tmp"))}:
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def commit(out_dir: Path, staging: Path, front: dict[Path, bytes]) -> None:
    """Make the staged release the release: flush it, rename it to ``.pending`` (the commit
    point), then publish it. ``front`` maps files outside the release folder (README.md,
    croissant.json, ...) to their new bytes; they are published with the release."""
    plan: list[list[str]] = []
    for i, (target, data) in enumerate(sorted(front.items())):
        staged = staging / FRONT_DIR / f"{i}-{target.name}"
        staged.parent.mkdir(exist_ok=True)
        staged.write_bytes(data)
        plan.append([staged.relative_to(staging).as_posix(), os.path.relpath(target, out_dir)])
    (staging / PLAN_FILE).write_text(json.dumps({"front": plan}, indent=1) + "\n")
    step()
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            os.chmod(path, 0o644)  # mkdtemp/mkstemp make things private; a release is not
            _fsync(path)
    for folder in sorted({p for p in staging.rglob("*") if p.is_dir()} | {staging}):
        os.chmod(folder, 0o755)
        _fsync(folder)
    step()
    os.rename(staging, out_dir / PENDING)  # the commit point
    _fsync(out_dir)
    step()
    publish(out_dir)


def publish(out_dir: Path) -> None:
    """Copy the committed ``.pending`` release into place (skipping unchanged files),
    remove shards the new manifest does not list, replace the manifest, and drop
    ``.pending``. Safe to run again from any point it was stopped at."""
    pending = out_dir / PENDING
    manifest = json.loads((pending / MANIFEST_FILE).read_text(encoding="utf-8"))
    plan = json.loads((pending / PLAN_FILE).read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    for rel in sorted(listed):
        _place(pending / rel, out_dir / rel)
    for source, target in plan["front"]:
        _place(pending / source, out_dir / target)
    for stale in _release_files(out_dir):
        if stale.relative_to(out_dir).as_posix() not in listed:
            stale.unlink()
            step()
    _place(pending / MANIFEST_FILE, out_dir / MANIFEST_FILE)  # last: it vouches for the rest
    (pending / MANIFEST_FILE).unlink()  # data/ is now whole and new: stop sending readers here
    _fsync(pending)
    step()
    shutil.rmtree(pending)
    step()


def _release_files(out_dir: Path) -> list[Path]:
    """The Parquet files a release may have written: config folders and (older layout)
    files directly in the release folder or its ``spans/`` folder."""
    from belnews.release.shards import CONFIG_DIRS

    folders = [out_dir, *(out_dir / d for d in CONFIG_DIRS.values())]
    return sorted(p for folder in folders for p in folder.glob("*.parquet") if p.is_file())


def _place(source: Path, target: Path) -> None:
    """Put ``source``'s bytes at ``target`` atomically, unless they are already there."""
    if target.is_file() and _same_bytes(source, target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")  # one build at a time: a fixed name
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)  # no copy where the file system allows it
    except OSError:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        _fsync(tmp)
    step()
    os.replace(tmp, target)
    _fsync(target.parent)
    step()


def _same_bytes(a: Path, b: Path) -> bool:
    import filecmp

    return a.stat().st_size == b.stat().st_size and filecmp.cmp(a, b, shallow=False)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk. A file that cannot be flushed stops the build; a
    folder may not be openable or flushable on some systems, and is then skipped."""
    folder = path.is_dir()
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if folder:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not folder:
            raise
    finally:
        os.close(fd)
