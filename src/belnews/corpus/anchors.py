"""Resolve human-written span anchors into offsets.

Annotators do not type offsets. They write the words of a span, plus which occurrence they
mean when the words occur more than once: ``"Lukashenko"`` (must be unique in the text) or
``["Lukashenko", 2]`` (the second occurrence, counting from 1, overlapping occurrences
included). This keeps annotation files readable and makes every anchor self-checking: if the
text changes, resolution fails loudly instead of drifting.
"""

from __future__ import annotations

from typing import Any

from belnews.errors import AnchorError

Anchor = Any  # str | [str, int] as read from TOML


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every whole-word occurrence of ``needle`` in ``text``.

    "Whole word" means an anchor that begins (ends) with a letter or digit is not preceded
    (followed) by one, so ``"Belarus"`` does not match inside ``"Belarusian"`` but does match
    in ``"Belarus'"`` and ``"Belarus 24"``. Occurrences may overlap.
    """
    found: list[int] = []
    i = text.find(needle)
    while i != -1:
        j = i + len(needle)
        open_left = not (needle[0].isalnum() and i > 0 and text[i - 1].isalnum())
        open_right = not (needle[-1].isalnum() and j < len(text) and text[j].isalnum())
        if open_left and open_right:
            found.append(i)
        i = text.find(needle, i + 1)
    return found


def parse_anchor(anchor: Anchor) -> tuple[str, int | None]:
    """``"words"`` -> (words, None); ``["words", n]`` -> (words, n)."""
    if isinstance(anchor, str) and anchor:
        return anchor, None
    if (
        isinstance(anchor, list)
        and len(anchor) == 2
        and isinstance(anchor[0], str)
        and anchor[0]
        and isinstance(anchor[1], int)
        and not isinstance(anchor[1], bool)
    ):
        return anchor[0], anchor[1]
    raise AnchorError(f"an anchor is a non-empty string or [string, occurrence], not {anchor!r}")


def resolve(text: str, anchor: Anchor) -> tuple[int, int]:
    """The half-open span an anchor names in ``text``."""
    words, nth = parse_anchor(anchor)
    starts = occurrences(text, words)
    if not starts:
        raise AnchorError(f"{words!r} does not occur in the text")
    if nth is None:
        if len(starts) > 1:
            raise AnchorError(
                f"{words!r} occurs {len(starts)} times (at {starts}); write [{words!r}, n]"
            )
        nth = 1
    if not 1 <= nth <= len(starts):
        raise AnchorError(f"{words!r} occurs {len(starts)} times; occurrence {nth} does not exist")
    start = starts[nth - 1]
    return start, start + len(words)


def span(text: str, anchor: Anchor) -> dict[str, Any]:
    """A schema span object for an anchor."""
    start, end = resolve(text, anchor)
    return {"start": start, "end": end, "text": text[start:end]}
