"""Add an article to the corpus: the byte-exact raw file and a first metadata sidecar.

``belnews add`` is the first step of a contribution (see CONTRIBUTING.md). It stores the
article exactly as received, so every offset can be traced back to it; writes a sidecar whose
values are those the article states, or guesses marked ``inferred = true`` with the evidence
a reviewer needs to check them; and reports what normalization removed, which is the part a
contributor most often needs to look at. It refuses an article already in the corpus (same
raw bytes) and never replaces an existing file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from belnews.corpus import tomlwrite
from belnews.corpus.normalize import Normalized, normalize
from belnews.errors import Error

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NUMBERED = re.compile(r"^(\d+)_")
HASH_PREFIX = 16

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
#: Full dates as datelines and bylines write them: "August 14, 2020", "14 Aug 2020", "2020-08-14".
DATE_PATTERNS = (
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)
#: How many leading lines may hold a dateline or byline.
DATELINE_LINES = 4
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "is",
        "was",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "it",
        "his",
        "her",
        "their",
        "have",
        "has",
        "said",
    ]
)

DEFAULT_TEXT_RIGHTS = (
    "The article text is © {owner}. It is included unchanged, for non-commercial research on "
    "quotation, number and entity annotation, under the publisher's rights; belnews claims no "
    "rights in it and does not license it. The annotations and metadata are licensed separately "
    "(see LICENSE-ANNOTATIONS). CONTRIBUTOR: confirm or correct this statement before review."
)


class AddError(Error, ValueError):
    """An article cannot be added (duplicate, bad id, a file already there, bad bytes)."""


@dataclass(frozen=True)
class Added:
    """What :func:`add_article` wrote and found."""

    record_id: str
    raw_path: Path
    meta_path: Path
    sha256: str
    metadata: dict[str, dict[str, Any]]
    normalized: Normalized
    removed: list[tuple[str, str]] = field(default_factory=list)
    layout_chars: int = 0  # characters dropped by layout steps, outside the removed stretches

    def report(self) -> str:
        """Human-readable summary: where things went and what normalization removed."""
        lines = [
            f"added {self.record_id}",
            f"  raw:  {self.raw_path} (sha256 {self.sha256})",
            f"  meta: {self.meta_path}",
        ]
        for name, entry in self.metadata.items():
            if entry.get("value") is not None:
                how = "inferred" if entry.get("inferred") else "stated"
                lines.append(f"  {name} = {entry['value']!r} ({how}: check the evidence)")
        if self.removed:
            lines.append(f"normalization removed {len(self.removed)} stretch(es):")
            lines.extend(f"  [{rule}] {text!r}" for rule, text in self.removed)
        else:
            lines.append("normalization removed nothing")
        if self.layout_chars:
            lines.append(
                f"layout: {self.layout_chars} character(s) fewer (line ends, spaces, blank lines)"
            )
        return "\n".join(lines)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def existing_hashes(corpus: Path) -> dict[str, str]:
    """sha256 of every raw file -> its id. Hashing the bytes (not trusting the names) is what
    makes the duplicate check hold for ids chosen with ``--id``."""
    out: dict[str, str] = {}
    for path in sorted((corpus / "raw").glob("*.txt")):
        out.setdefault(sha256_hex(path.read_bytes()), path.stem)
    return out


def next_number(corpus: Path) -> int:
    """One more than the highest leading number of any raw file name (0 for an empty corpus)."""
    numbers = [
        int(m.group(1)) for p in (corpus / "raw").glob("*.txt") if (m := _NUMBERED.match(p.stem))
    ]
    return max(numbers, default=-1) + 1


def make_id(corpus: Path, raw: bytes) -> str:
    """``<next number, 3 digits>_<first 16 hex digits of the raw sha256>``."""
    return f"{next_number(corpus):03d}_{sha256_hex(raw)[:HASH_PREFIX]}"


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` atomically, failing if it exists (readers never see half a file).

    The bytes go to a temporary file in the same folder, which is then hard-linked to the final
    name: ``link`` fails when the name is taken, so a file written meanwhile is never replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError as exc:
            raise AddError(f"{path}: already exists; belnews add never overwrites") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)


# --- metadata guesses ------------------------------------------------------------------------


def _entry(value: Any, inferred: bool, evidence: str) -> dict[str, Any]:
    return {"value": value, "inferred": inferred, "evidence": evidence}


def guess_headline(norm: Normalized) -> dict[str, Any]:
    """The first line, when it is display text (no closing punctuation) rather than a paragraph.

    Whether that line is the headline or a dek cannot be told from the text alone, so the
    guess is always ``inferred``.
    """
    first = norm.sections[0] if norm.sections else None
    if first is None or first.type not in ("dek", "subheading"):
        return _entry(
            None, False, "The file starts with a body paragraph; no headline was captured."
        )
    line = norm.text[first.start : first.end]
    return _entry(
        line,
        True,
        "The first line of the file, display text without closing punctuation. It may be a dek "
        "(standfirst) rather than the headline: check it against the source.",
    )


def guess_publisher(norm: Normalized) -> dict[str, Any]:
    """From a removed 'Visit X's homepage' promo line, the way publishers sign syndicated text."""
    publisher = norm.extracted.get("publisher")
    promo = next((r.text.strip() for r in norm.removed if r.rule == "homepage-promo"), None)
    if publisher:
        return _entry(
            publisher,
            True,
            f"Inferred from the removed promo line {promo!r}, which publishers append to their "
            "own articles.",
        )
    return _entry(None, False, "No publisher is named in the file.")


def iso_date(match: re.Match[str]) -> str | None:
    """An ISO date from a :data:`DATE_PATTERNS` match, or None if it is not a real date."""
    import datetime

    month = match.group("month")
    number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        day = datetime.date(int(match.group("year")), number, int(match.group("day")))
    except ValueError:
        return None
    return day.isoformat()


def guess_date(raw_text: str) -> dict[str, Any]:
    """A full date in one of the first lines (a dateline or byline), as the publication date.

    Only a date with day, month and year is taken: a weekday or "yesterday" needs a reader
    who knows the news, so it is left to the contributor.
    """
    lines = [line.strip() for line in raw_text.splitlines() if line.strip()][:DATELINE_LINES]
    for line in lines:
        for pattern in DATE_PATTERNS:
            match = pattern.search(line)
            if match and (day := iso_date(match)):
                return {
                    **_entry(
                        day,
                        True,
                        f"Dateline: {match.group(0)!r} in the line {line[:120]!r} near the top "
                        "of the file; taken as the publication date.",
                    ),
                    "bound": "on",
                }
    return {
        **_entry(None, False, "No dated dateline or byline in the first lines; not guessed."),
        "bound": "on",
    }


def guess_language(text: str) -> dict[str, Any]:
    """English if common English function words make up a good share of the words."""
    words = re.findall(r"[a-z]+", text.lower())
    share = sum(w in _FUNCTION_WORDS for w in words) / max(len(words), 1)
    if len(words) >= 20 and share >= 0.15:
        return _entry(
            "en",
            True,
            f"{share:.0%} of the words are common English function words (the, of, and, …).",
        )
    return _entry(None, False, "The language was not recognised; set it by hand.")


def guess_metadata(raw: bytes, norm: Normalized) -> dict[str, dict[str, Any]]:
    """Every sidecar field: stated values, guesses with evidence, or unknown with a reason."""
    credit = norm.extracted.get("image_credit")
    return {
        "publisher": guess_publisher(norm),
        "headline": guess_headline(norm),
        "date_published": guess_date(raw.decode("utf-8")),
        "url": _entry(None, False, "Not present in the source file; never guessed."),
        "language": guess_language(norm.text),
        "image_credit": _entry(
            credit,
            False,
            "Stated in the removed image-credit line."
            if credit
            else "The file has no image-credit line.",
        ),
    }


def render_sidecar(record_id: str, meta: dict[str, dict[str, Any]]) -> str:
    """The sidecar TOML, in the layout of the committed ones."""
    owner = meta["publisher"]["value"] or "its original publisher"
    out = [
        f"# Metadata sidecar for raw/{record_id}.txt, written by `belnews add`.\n"
        "# A missing `value` means unknown (null). Every inferred value carries its evidence:\n"
        "# check each one against the article before review.\n\n",
        f"text_rights = {tomlwrite.value(DEFAULT_TEXT_RIGHTS.format(owner=owner))}\n\n",
    ]
    for name, entry in meta.items():
        body = {k: v for k, v in entry.items() if not (k == "inferred" and not v)}
        out.append(tomlwrite.table(name, body))
    return "".join(out).rstrip("\n") + "\n"


# --- the command -----------------------------------------------------------------------------


def add_article(raw: bytes, corpus: Path, *, record_id: str | None = None) -> Added:
    """Store ``raw`` as a new article of ``corpus`` and write its metadata sidecar.

    Raises :class:`AddError` for a duplicate (naming the id that holds the same bytes), an
    invalid or taken id, or bytes that are not UTF-8 text; nothing is written in those cases.
    """
    if not raw.strip():
        raise AddError("the article is empty")
    try:
        norm = normalize(raw)
    except Error as exc:
        raise AddError(f"cannot add the article: {exc}") from exc
    if not norm.text:
        raise AddError("the article has no text left after normalization")
    digest = sha256_hex(raw)
    holder = existing_hashes(corpus).get(digest)
    if holder is not None:
        raise AddError(f"this article is already in the corpus as {holder} (same sha256 {digest})")
    rid = record_id or make_id(corpus, raw)
    if not ID_PATTERN.match(rid):
        raise AddError(f"invalid id {rid!r}: use lower-case letters, digits, '_' and '-'")
    raw_path = corpus / "raw" / f"{rid}.txt"
    meta_path = corpus / "meta" / f"{rid}.toml"
    for path in (raw_path, meta_path, corpus / "annotations" / f"{rid}.toml"):
        if path.exists():
            raise AddError(f"{path}: already exists; belnews add never overwrites")
    meta = guess_metadata(raw, norm)
    write_new(raw_path, raw)
    try:
        write_new(meta_path, render_sidecar(rid, meta).encode("utf-8"))
    except BaseException:
        raw_path.unlink(missing_ok=True)  # no half-added article
        raise
    removed = [(r.rule, r.text) for r in norm.removed]
    layout = len(raw.decode("utf-8")) - len(norm.text) - sum(len(t) for _, t in removed)
    return Added(rid, raw_path, meta_path, digest, meta, norm, removed, max(layout, 0))
