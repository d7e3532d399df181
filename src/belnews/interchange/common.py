"""What every converter shares: the error type, loss reports, lazy imports and atomic writes.

A converter never drops anything silently. Whatever a format cannot carry is counted in a
:class:`LossReport`, by field, so the CLI can print it and a test can assert on it.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from belnews.errors import Error


class InterchangeError(Error, ValueError):
    """A foreign file cannot be read or written: the message names the file and the element."""


class MissingExtra(Error, ImportError):
    """An optional format library is not installed (the message is the install command)."""


def require(module: str, extra: str) -> ModuleType:
    """Import an optional library, or fail with one line that says how to install it.

    Format libraries are heavy and optional, so they are imported here, inside the function
    that needs them, never at module import time.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{module} is not installed: pip install 'belnews[{extra}]'") from exc


@dataclass
class LossReport:
    """What one export or import could not carry, counted by field.

    ``dropped`` counts values that are gone; ``approximated`` counts values that survive in a
    changed form (a label mapped to a coarser set, a span snapped to token edges, a value the
    importer rebuilt instead of reading).
    """

    format: str
    record_id: str
    dropped: Counter[str] = field(default_factory=Counter)
    approximated: Counter[str] = field(default_factory=Counter)

    def drop(self, what: str, n: int = 1) -> None:
        if n:
            self.dropped[what] += n

    def approximate(self, what: str, n: int = 1) -> None:
        if n:
            self.approximated[what] += n

    @property
    def lossless(self) -> bool:
        return not self.dropped and not self.approximated

    def lines(self) -> list[str]:
        """Human-readable lines, one per field, for the CLI."""
        head = f"{self.format} {self.record_id}:"
        if self.lossless:
            return [f"{head} nothing lost"]
        out = [head]
        out += [f"  dropped      {n:5d}  {what}" for what, n in sorted(self.dropped.items())]
        out += [f"  approximated {n:5d}  {what}" for what, n in sorted(self.approximated.items())]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "record_id": self.record_id,
            "dropped": dict(sorted(self.dropped.items())),
            "approximated": dict(sorted(self.approximated.items())),
        }


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so a reader sees the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))
