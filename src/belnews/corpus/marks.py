"""The characters belnews treats as quotation marks: one list for ingest, checks and docs."""

from __future__ import annotations

QUOTE_MARK_CHARS = frozenset('"“”„«»')
