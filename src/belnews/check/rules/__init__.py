"""The semantic rules: what the JSON Schema cannot say about a record.

Each module holds one family of rules in both of its forms, side by side:

- the **exact** form (``check_*``): a generator over one record dict that names every issue
  with its code, JSON path and message;
- the **screening** form (``screen_*``): NumPy/Arrow kernels over a whole batch of records
  (:class:`belnews.check.columns._Batch`) that flag every row which *may* break the rule.

The screen (:mod:`belnews.check.screen`) lets through only rows no screening form flags; every
other row takes the exact forms. A differential test holds each pair to this contract: no
record the exact form faults may pass its screen.

The checks assume the record already passed the JSON Schema (types and required keys are
right); :func:`belnews.check.validate.iter_record_issues` runs them only on such records.
"""

from __future__ import annotations

from collections.abc import Iterator

from belnews.check.rules import (
    dates,
    figures,
    ids,
    mentions,
    overlaps,
    quotes,
    sections,
    spans,
    text,
)
from belnews.check.rules.base import CODES, Record
from belnews.errors import Issue

#: The exact forms, in the order their issues are reported.
CHECKS = (
    spans.check_span_offsets,
    ids.check_unique_ids,
    ids.check_references,
    ids.check_clusters,
    overlaps.check_overlaps,
    sections.check_sections,
    text.check_text_provenance,
    figures.check_figure_and_marks,
    quotes.check_quote_warnings,
    figures.check_figure_values,
    mentions.check_unannotated_mentions,
    sections.check_line_breaks,
    ids.check_parent_cycles,
    figures.check_figure_in_range,
    dates.check_dates,
)

#: The screening forms; the costliest run last.
SCREENS = (
    sections.screen_sections,
    sections.screen_line_breaks,
    ids.screen_parent_cycles,
    figures.screen_figure_in_range,
    dates.screen_dates,
    spans.screen_spans,
    overlaps.screen_overlaps,
    ids.screen_ids,
    figures.screen_figures_and_marks,
    quotes.screen_quote_roles,
    text.screen_text,
    mentions.screen_unannotated,
)

__all__ = ["CHECKS", "CODES", "SCREENS", "semantic_issues"]


def semantic_issues(record: Record) -> Iterator[Issue]:
    """Every exact check, in :data:`CHECKS` order."""
    for fn in CHECKS:
        yield from fn(record)
