"""Every issue code of every stage in one table, for VALIDATION.md and ``belnews validate``.

It sits above the stages because it gathers from all of them.
"""

from __future__ import annotations

from belnews.check.conformance import SCHEMA_CODES
from belnews.check.provenance import PROVENANCE_CODES
from belnews.check.readers import SYNTAX_CODES
from belnews.check.validate import CORPUS_CODES, REPORT_CODES


def all_codes() -> dict[str, tuple[str, str]]:
    """Every issue code: code -> (layer, description). The table in VALIDATION.md."""
    from belnews.check.rules import CODES
    from belnews.release.build import BUILD_CODES

    out: dict[str, tuple[str, str]] = {}
    for layer, table in (
        ("syntax", SYNTAX_CODES),
        ("schema", SCHEMA_CODES),
        ("semantic", CODES),
        ("provenance", PROVENANCE_CODES),
        ("corpus", CORPUS_CODES),
        ("report", REPORT_CODES),
        ("build", BUILD_CODES),
    ):
        out.update({code: (layer, doc) for code, doc in table.items()})
    return out
