"""The default tokenizer: shared by the statistics (token counts) and the training helpers."""

from __future__ import annotations

import re

__all__ = ["TOKEN_PATTERN", "simple_tokenize"]

TOKEN_PATTERN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


def simple_tokenize(text: str) -> list[tuple[int, int]]:
    """Words (with inner hyphens/apostrophes) and single punctuation marks, as char offsets."""
    return [(m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
