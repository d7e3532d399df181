"""The validator's public entry points, as ``belnews.validate.<name>``.

The gate itself lives in :mod:`belnews.check`; this module is the stable address users and
other repositories' CI import from, so the package's inner layout can change without them.
"""

from __future__ import annotations

from belnews.check.report import Report
from belnews.check.validate import is_valid, iter_issues, validate_path, validate_record
from belnews.codes import all_codes

__all__ = ["Report", "all_codes", "is_valid", "iter_issues", "validate_path", "validate_record"]
