"""The characters belnews treats as quotation marks: one list for ingest, checks and docs.

ANNOTATION.md (section 1.4) prints this list and a test holds the two equal. Straight and
typographic double marks, low-9 and reversed-9 marks, guillemets, and the single marks of
British style (‘…’, ‚…‛, ‹…›). The straight apostrophe ``'`` is not among them: in English news
it is far more often an apostrophe than a mark, and a record cannot tell the two apart.
(``’`` is both the British closing mark and the typographic apostrophe; it counts as a mark
only where an annotator put it in a quote's ``marks``, which ingest does only directly
around the content of a direct or partial quote.)
"""

from __future__ import annotations

#: Every quotation-mark character, in code point order.
QUOTE_MARK_CHARS = frozenset('"«»‘’‚‛“”„‟‹›')
