"""Raw article text -> normalized text, sections, removed segments and an offset map.

Normalization is a chain of small pure steps. Every step carries, for each character it
outputs, the half-open range of *raw* code points it came from, so that any offset into the
normalized text can be mapped back to the byte-exact original (``Normalized.raw_span``).

Fidelity first: quote characters, apostrophes, typos and wording are never changed. What
changes is layout (line ends, odd spaces, blank lines, bullet markers) and boilerplate that is
not part of the article (related-article links, homepage promos, "Read Full Article" footers,
image credits), which is removed by named rules and listed with its raw offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from belnews.errors import NormalizationError

#: Bumped whenever a rule changes what any input normalizes to.
NORMALIZATION_VERSION = "1"

#: Boilerplate rules: name -> pattern that must match a whole line (bullet marker stripped).
#: Named groups become extracted metadata (``Normalized.extracted``).
BOILERPLATE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("related-article", re.compile(r"(?:Also )?Read: \S.*")),
    ("homepage-promo", re.compile(r"Visit (?P<publisher>.+?)['’]s homepage for more stories\.?")),
    ("source-footer", re.compile(r"Source: Read Full Article\.?")),
    ("image-credit", re.compile(r"\((?:Image|Photo) Credits?: (?P<image_credit>[^)]+)\)")),
)

_BULLET = re.compile(r"(?:[•◦▪‣●*] +)+")
_TERMINAL = frozenset(".!?…\"”’')]:")
_ZERO_WIDTH = frozenset("\u200b\ufeff")
_LINE_BREAKS = frozenset("\u2028\u2029\x85")
_TABLIKE = frozenset("\t\x0b\x0c")
#: Longest line (in characters) that may be typed as a subheading rather than a paragraph.
SUBHEADING_MAX_CHARS = 80


@dataclass(frozen=True)
class Section:
    """A typed stretch of the normalized text (``[start, end)``)."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Chars:
    """Text plus, for each character, the raw code-point range ``[raw_start[i], raw_end[i])``."""

    text: str
    raw_start: tuple[int, ...]
    raw_end: tuple[int, ...]

    @classmethod
    def from_raw(cls, raw: str) -> Chars:
        n = len(raw)
        return cls(raw, tuple(range(n)), tuple(range(1, n + 1)))

    @classmethod
    def join(cls, parts: Iterable[tuple[str, int, int]]) -> Chars:
        text: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for ch, s, e in parts:
            text.append(ch)
            starts.append(s)
            ends.append(e)
        return cls("".join(text), tuple(starts), tuple(ends))

    def triples(self) -> Iterator[tuple[str, int, int]]:
        return zip(self.text, self.raw_start, self.raw_end, strict=True)

    def slice(self, start: int, end: int) -> Chars:
        return Chars(self.text[start:end], self.raw_start[start:end], self.raw_end[start:end])


@dataclass(frozen=True)
class Removed:
    """A stretch of the raw text left out of the normalized text, and the rule that did it."""

    rule: str
    raw_start: int
    raw_end: int
    text: str


@dataclass(frozen=True)
class Normalized:
    """The result of :func:`normalize`."""

    text: str
    sections: tuple[Section, ...]
    removed: tuple[Removed, ...]
    raw_start: tuple[int, ...]
    raw_end: tuple[int, ...]
    extracted: dict[str, str] = field(default_factory=dict)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty half-open span of the normalized text to its raw span."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is not inside a text of {len(self.text)}")
        return self.raw_start[start], self.raw_end[end - 1]

    def offset_map(self) -> list[list[int]]:
        """The per-character map, compressed to ``[text_start, text_end, raw_start, raw_end]``.

        A block whose text and raw lengths are equal maps character by character; any other
        block (a CRLF that became one LF, a composed character, a paragraph separator) maps as
        a unit.
        """
        return compress_offsets(self.raw_start, self.raw_end)


def compress_offsets(raw_start: tuple[int, ...], raw_end: tuple[int, ...]) -> list[list[int]]:
    """Run-length encode a per-character raw map (see :meth:`Normalized.offset_map`).

    Characters that share one raw range (a separator standing on a single raw LF, a raw
    character NFC split in two) form one irregular block; the rest form 1:1 runs. Blocks are
    therefore disjoint and increasing on both sides.
    """

    def same_as_next(k: int) -> bool:
        return k + 1 < n and raw_start[k + 1] == raw_start[k] and raw_end[k + 1] == raw_end[k]

    blocks: list[list[int]] = []
    i, n = 0, len(raw_start)
    while i < n:
        s, e = raw_start[i], raw_end[i]
        j = i + 1
        while j < n and raw_start[j] == s and raw_end[j] == e:
            j += 1
        if j - i == 1 and e - s == 1:
            while (
                j < n
                and raw_end[j] - raw_start[j] == 1
                and raw_start[j] == raw_start[j - 1] + 1
                and not same_as_next(j)
            ):
                j += 1
        blocks.append([i, j, s, raw_end[j - 1]])
        i = j
    return blocks


def expand_offsets(blocks: list[list[int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Inverse of :func:`compress_offsets`."""
    starts: list[int] = []
    ends: list[int] = []
    for t0, t1, r0, r1 in blocks:
        if t1 - t0 == r1 - r0:
            starts.extend(range(r0, r1))
            ends.extend(range(r0 + 1, r1 + 1))
        else:
            starts.extend([r0] * (t1 - t0))
            ends.extend([r1] * (t1 - t0))
    return tuple(starts), tuple(ends)


# --- character-level steps -------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """Strict UTF-8; a byte-order mark is kept here and dropped by :func:`drop_zero_width`."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NormalizationError(
            f"raw text is not valid UTF-8 at byte {exc.start}: {exc.reason}"
        ) from exc


def unify_line_ends(chars: Chars) -> Chars:
    """CRLF and lone CR (and Unicode line/paragraph separators) become LF."""
    out: list[tuple[str, int, int]] = []
    text = chars.text
    for i, (ch, s, e) in enumerate(chars.triples()):
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                continue  # the LF that follows stands for both; it takes over the CR below
            out.append(("\n", s, e))
        elif ch == "\n" and i > 0 and text[i - 1] == "\r":
            out.append(("\n", chars.raw_start[i - 1], e))
        elif ch in _LINE_BREAKS:
            out.append(("\n", s, e))
        else:
            out.append((ch, s, e))
    return Chars.join(out)


def _nfc_clusters(text: str) -> Iterator[tuple[int, int]]:
    """Split ``text`` into stretches that NFC can normalize independently."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            if i < len(text):
                pair = text[start : i + 1]
                head = unicodedata.normalize("NFC", text[start:i])
                if unicodedata.normalize("NFC", pair) != head + unicodedata.normalize(
                    "NFC", text[i]
                ):
                    continue  # the next starter composes with this stretch (e.g. Hangul jamo)
            yield start, i
            start = i


def to_nfc(chars: Chars) -> Chars:
    """Unicode NFC; a composed character maps to the raw range of everything composed into it."""
    if unicodedata.is_normalized("NFC", chars.text):
        return chars
    out: list[tuple[str, int, int]] = []
    for a, b in _nfc_clusters(chars.text):
        piece = chars.text[a:b]
        normalized = unicodedata.normalize("NFC", piece)
        if normalized == piece:
            out.extend(chars.slice(a, b).triples())
        else:
            s, e = chars.raw_start[a], chars.raw_end[b - 1]
            out.extend((ch, s, e) for ch in normalized)
    result = Chars.join(out)
    if result.text != unicodedata.normalize("NFC", chars.text):  # pragma: no cover - guard
        raise NormalizationError("piecewise NFC disagreed with whole-text NFC")
    return result


def plain_spaces(chars: Chars) -> Chars:
    """NBSP, thin and other odd spaces (Unicode Zs) and tab-like controls become U+0020."""
    return Chars.join(
        (" " if (ch in _TABLIKE or (ch != " " and unicodedata.category(ch) == "Zs")) else ch, s, e)
        for ch, s, e in chars.triples()
    )


def drop_zero_width(chars: Chars) -> Chars:
    """Zero-width spaces and byte-order marks carry no text."""
    return Chars.join(t for t in chars.triples() if t[0] not in _ZERO_WIDTH)


def collapse_spaces(chars: Chars) -> Chars:
    """Strip spaces at both ends of a line and fold runs of spaces inside it to the first."""
    out: list[tuple[str, int, int]] = []
    text, n, i = chars.text, len(chars.text), 0
    triples = list(chars.triples())
    while i < n:
        if text[i] != " ":
            out.append(triples[i])
            i += 1
            continue
        j = i
        while j < n and text[j] == " ":
            j += 1
        at_line_start = i == 0 or text[i - 1] == "\n"
        at_line_end = j == n or text[j] == "\n"
        if not (at_line_start or at_line_end):
            out.append(triples[i])
        i = j
    return Chars.join(out)


CHARACTER_STEPS = (unify_line_ends, to_nfc, plain_spaces, drop_zero_width, collapse_spaces)


# --- line-level steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    chars: Chars
    newline: tuple[int, int] | None  # raw range of the line end that follows, if any
    bullet: bool = False
    marker_raw: tuple[int, int] | None = None  # raw range of the bullet marker


def split_lines(chars: Chars) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for i, ch in enumerate(chars.text):
        if ch == "\n":
            lines.append(_Line(chars.slice(start, i), (chars.raw_start[i], chars.raw_end[i])))
            start = i + 1
    lines.append(_Line(chars.slice(start, len(chars.text)), None))
    return lines


def strip_bullet(line: _Line) -> _Line:
    """A leading bullet marker is layout, not text: drop it and remember the line was a bullet."""
    m = _BULLET.match(line.chars.text)
    if not m or m.end() == len(line.chars.text):
        return line
    marker = (line.chars.raw_start[0], line.chars.raw_end[m.end() - 1])
    rest = line.chars.slice(m.end(), len(line.chars.text))
    return _Line(rest, line.newline, bullet=True, marker_raw=marker)


def match_boilerplate(text: str) -> tuple[str, dict[str, str]] | None:
    """The name of the boilerplate rule matching a whole line, and what it extracts."""
    for name, pattern in BOILERPLATE_RULES:
        m = pattern.fullmatch(text)
        if m:
            return name, {k: v for k, v in m.groupdict().items() if v is not None}
    return None


def section_type(line: _Line, *, first: bool) -> str:
    """Type a kept line. Unpunctuated lines are display text: the first is the dek."""
    if line.bullet:
        return "summary_item"
    text = line.chars.text
    if text[-1] not in _TERMINAL:
        if first:
            return "dek"
        if len(text) <= SUBHEADING_MAX_CHARS:
            return "subheading"
    return "paragraph"


def normalize_text(raw: str) -> Normalized:
    """Normalize already-decoded raw text. See the module docstring for what changes."""
    chars = Chars.from_raw(raw)
    for step in CHARACTER_STEPS:
        chars = step(chars)

    raw_lines = split_lines(chars)
    removed: list[Removed] = []
    extracted: dict[str, str] = {}
    kept: list[tuple[_Line, int]] = []  # (line, index among raw lines)
    for index, line in enumerate(raw_lines):
        if not line.chars.text:
            continue
        bare = strip_bullet(line)
        hit = match_boilerplate(bare.chars.text)
        if hit:
            rule, values = hit
            s, e = line.chars.raw_start[0], line.chars.raw_end[-1]
            removed.append(Removed(rule, s, e, raw[s:e]))
            for key, value in values.items():
                extracted.setdefault(key, value)
            continue
        if bare.marker_raw is not None:
            s, e = bare.marker_raw
            removed.append(Removed("bullet-marker", s, e, raw[s:e]))
        kept.append((bare, index))

    out: list[tuple[str, int, int]] = []
    sections: list[Section] = []
    for n, (line, index) in enumerate(kept):
        if n:
            prev_index = kept[n - 1][1]
            # Lines that followed each other in the raw text stay one LF apart (a bullet list);
            # anything further apart becomes a paragraph break.
            out.extend(
                _separator(raw_lines, prev_index, index, 1 if index == prev_index + 1 else 2)
            )
        start = len(out)
        out.extend(line.chars.triples())
        sections.append(Section(section_type(line, first=n == 0), start, len(out)))
    result = Chars.join(out)
    return Normalized(
        text=result.text,
        sections=tuple(sections),
        removed=tuple(sorted(removed, key=lambda r: r.raw_start)),
        raw_start=result.raw_start,
        raw_end=result.raw_end,
        extracted=extracted,
    )


def _separator(lines: list[_Line], prev: int, nxt: int, width: int) -> list[tuple[str, int, int]]:
    """``width`` LFs between two sections, mapped onto the raw line ends between them."""
    ends = [line.newline for line in lines[prev:nxt] if line.newline is not None]
    return [("\n", *ends[min(k, len(ends) - 1)]) for k in range(width)]


def normalize(raw: bytes) -> Normalized:
    """Normalize the bytes of a raw article file."""
    return normalize_text(decode(raw))
