"""Exceptions for things that stop work, and the ``Issue`` value for things that are wrong.

Invalid *data* is never raised: validation yields :class:`Issue` objects so that a contributor
sees every problem at once. Exceptions are kept for situations where work cannot continue
(an unreadable file, a missing schema, an anchor that does not resolve).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


class Error(Exception):
    """Base class of every exception belnews raises on purpose."""


class NormalizationError(Error, ValueError):
    """The raw bytes of an article cannot be normalized (e.g. they are not UTF-8)."""


class AnchorError(Error, ValueError):
    """A human-written annotation anchor does not resolve to exactly one place in the text."""


class RecordError(Error, ValueError):
    """A record file cannot be read or written."""


class BuildError(Error):
    """The corpus cannot be built (for example because a record is invalid)."""


@dataclass(frozen=True)
class Issue:
    """One problem found in one record.

    ``path`` is a JSONPath into the record (``$.quotes[3].end``); ``file`` and ``line`` say
    where the record came from; ``code`` is stable and kebab-case so tools can filter on it.
    """

    code: str
    message: str
    severity: Severity = "error"
    record_id: str | None = None
    path: str = "$"
    file: str | None = None
    line: int | None = None
    expected: Any = None
    found: Any = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def located(
        self, *, file: str | None = None, line: int | None = None, record_id: str | None = None
    ) -> Issue:
        """The same issue with its origin filled in where it was unknown."""
        return Issue(
            code=self.code,
            message=self.message,
            severity=self.severity,
            record_id=self.record_id if self.record_id is not None else record_id,
            path=self.path,
            file=self.file if self.file is not None else file,
            line=self.line if self.line is not None else line,
            expected=self.expected,
            found=self.found,
        )
