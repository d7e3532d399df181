"""The result of a validation run and its renderings: text lines, JSON and GitHub workflow
commands. Kept out of the CLI so Python users render the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from belnews.errors import Issue


@dataclass
class Report:
    """The outcome of validating some inputs."""

    records: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def valid(self, *, strict: bool = False) -> bool:
        """No error (and with ``strict`` no warning) in at least one record: an input that
        holds no record at all is not valid, since nothing in it was checked."""
        return self.records > 0 and self.errors == 0 and (not strict or self.warnings == 0)

    def exit_status(self, *, strict: bool = False) -> int:
        """0 valid, 1 invalid data (or no record at all), 2 an input could not be read."""
        if any(i.code in ("file-unreadable", "unsupported-file") for i in self.issues):
            return 2
        return 0 if self.valid(strict=strict) else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.to_dict() for i in self.issues],
        }


def issue_line(issue: Issue) -> str:
    """``FILE:LINE: RECORD-ID: $.path: code: message``; unknown parts are left out."""
    where = issue.file or "<input>"
    if issue.line is not None:
        where += f":{issue.line}"
    parts = [where]
    if issue.record_id:
        parts.append(issue.record_id)
    parts.append(issue.path)
    label = issue.code if issue.severity == "error" else f"{issue.code} (warning)"
    parts.append(label)
    parts.append(issue.message)
    return ": ".join(parts)


def github_line(issue: Issue) -> str:
    """A GitHub Actions workflow command, so the issue shows as an annotation.

    Everything taken from the input (file names, ids, messages) is escaped as the runner
    unescapes it: in the message ``%``, CR and LF; in a property value also ``:`` and ``,``.
    So a file named ``a,line=7`` or holding a newline can neither forge a property nor start
    a second command.
    """
    level = "error" if issue.severity == "error" else "warning"
    props = [f"file={_escape_property(issue.file or '<input>')}"]
    if issue.line is not None:
        props.append(f"line={issue.line}")
    props.append(f"title={_escape_property(issue.code)}")
    msg = _escape_data(f"{issue.record_id or '-'} {issue.path}: {issue.message}")
    return f"::{level} {','.join(props)}::{msg}"


def _escape_data(text: str) -> str:
    """A workflow command's message: ``%`` first, so the escapes themselves survive."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: as the message, plus ``:`` and ``,``."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


#: What a run that found nothing to check says (exit 1: nothing was shown to be valid).
NO_RECORDS = "no record found in the given inputs: nothing was checked"


def report_summary(records: int, errors: int, warnings: int) -> str:
    return f"{records} record(s) checked, {errors} error(s), {warnings} warning(s)"


def report_output(
    report: Any, fmt: str, *, strict: bool = False
) -> list[tuple[str, bool, str | None]]:
    """A validation report as (text, to_stderr, colour) lines for the CLI.

    ``text``: issues on stderr (red errors, yellow warnings), the summary on stdout;
    ``github``: the same lines as workflow commands; ``json``: one document on stdout.
    """
    if fmt == "json":
        return [(to_json({**report.to_dict(), "valid": report.valid(strict=strict)}), False, None)]
    render = github_line if fmt == "github" else issue_line
    lines: list[tuple[str, bool, str | None]] = []
    for issue in report.issues:
        colour = ("red" if issue.severity == "error" else "yellow") if fmt == "text" else None
        lines.append((render(issue), True, colour))
    if report.records == 0 and not report.issues:
        empty = NO_RECORDS if fmt == "text" else f"::error::{_escape_data(NO_RECORDS)}"
        lines.append((empty, True, "red" if fmt == "text" else None))
    lines.append((report_summary(report.records, report.errors, report.warnings), False, None))
    return lines


def to_json(value: Any) -> str:
    """Pretty JSON; a lone surrogate an issue quotes is written as its ``\\udXXX`` escape
    (it cannot be encoded as UTF-8, and inside a JSON string the escape is the same value)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
