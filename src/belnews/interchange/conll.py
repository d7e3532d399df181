"""CoNLL-2003 style IOB2: one token per line, ``TOKEN -X- -X- TAG``, for the name mentions.

Tokens come from any tokenizer that gives character offsets (``simple_tokenize`` by
default, or a fast tokenizer's ``offset_mapping``); sections are separated by a blank line
like sentences. Tags use our OntoNotes labels, so names survive exactly; ``labels="conll"``
maps them to PER/LOC/ORG/MISC for CoNLL-2003 tooling, which is counted as approximated and
cannot be imported back. Only names are entities here: everything else is dropped, counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .common import InterchangeError, LossReport, write_text
from .units import ENTITY_LABELS

NAME = "conll"
DOCSTART = "-DOCSTART- -X- -X- O"
Tokenizer = Callable[[str], Sequence[tuple[int, int]]]


def name_loss(record: dict[str, Any], loss: LossReport, misaligned: list[str]) -> None:
    """Count what a names-only token tagging drops, shared with the Hugging Face export."""
    names = [m for m in record.get("entities", []) if m["mention_type"] == "name"]
    others = len(record.get("entities", [])) - len(names)
    loss.drop("entities (nominal and pronoun mentions)", others)
    nested = sum(
        1
        for m in names
        for o in names
        if o is not m and o["start"] <= m["start"] and m["end"] <= o["end"]
    )
    loss.drop("entities (names nested in another name)", nested)
    loss.approximate("entities (names whose edges fall inside a token)", len(misaligned))
    loss.drop("entities.cluster", len(names))
    loss.drop("entities.origin", len(names))
    loss.drop("entities.note", sum(1 for m in names if m.get("note") is not None))
    loss.drop("clusters", len(record.get("clusters", [])))
    loss.drop("quotes", len(record.get("quotes", [])))
    loss.drop("figures", len(record.get("figures", [])))


def tagged(
    record: dict[str, Any], tokenizer: Tokenizer | None = None, labels: str = "ontonotes"
) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """(token offsets, IOB2 tags, ids of misaligned mentions) for a record."""
    from belnews.use.training import CONLL, bio_tags

    offsets = list(tokenizer(record["text"])) if tokenizer is not None else None
    label_map = CONLL if labels == "conll" else None
    result = bio_tags(record, offsets, label_map=label_map)
    return list(result.offsets), list(result.tags), list(result.misaligned)


def to_conll(record: dict[str, Any], offsets: list[tuple[int, int]], tags: list[str]) -> str:
    text = record["text"]
    bounds = [s["end"] for s in record.get("sections", [])]
    lines = [DOCSTART, ""]
    section = 0
    for (s, e), tag in zip(offsets, tags, strict=True):
        token = text[s:e]
        if e <= s or not token.strip():
            continue
        if any(ch.isspace() for ch in token):
            raise InterchangeError(f"{record['id']}: token {token!r} at {s} holds whitespace")
        while section < len(bounds) and s >= bounds[section]:
            section += 1
            if lines[-1] != "":
                lines.append("")
        lines.append(f"{token} -X- -X- {tag}")
    return "\n".join(lines).rstrip("\n") + "\n"


def export(
    record: dict[str, Any], out: Path, *, tokenizer: Tokenizer | None = None,
    labels: str = "ontonotes",
) -> LossReport:  # fmt: skip
    """Write ``<id>.conll``."""
    loss = LossReport(NAME, record["id"])
    offsets, tags, misaligned = tagged(record, tokenizer, labels)
    name_loss(record, loss, misaligned)
    if labels == "conll":
        loss.approximate(
            "entities.label (OntoNotes -> CoNLL-2003)",
            sum(1 for m in record.get("entities", []) if m["mention_type"] == "name"),
        )
    write_text(out / f"{record['id']}.conll", to_conll(record, offsets, tags))
    return loss


def read_tokens(data: str, path: Path) -> list[tuple[int, str, str]]:
    """(line number, token, tag) for every token line."""
    rows = []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip() or line.startswith("-DOCSTART-"):
            continue
        cols = line.split()
        if len(cols) < 2:
            raise InterchangeError(f"{path}:{n}: expected TOKEN ... TAG, found {line!r}")
        rows.append((n, cols[0], cols[-1]))
    return rows


def chunks(rows: list[tuple[int, str, str]], path: Path) -> list[tuple[int, int, str]]:
    """Strict IOB2 chunks as (first row, last row, label): an I- must continue its B-."""
    out: list[list[Any]] = []
    for i, (n, _tok, tag) in enumerate(rows):
        if tag == "O":
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or not label:
            raise InterchangeError(f"{path}:{n}: tag {tag!r} is not O, B-LABEL or I-LABEL")
        if label not in ENTITY_LABELS:
            raise InterchangeError(
                f"{path}:{n}: {label!r} is not an OntoNotes label ({', '.join(ENTITY_LABELS)})"
            )
        if prefix == "I":
            if not out or out[-1][1] != i - 1 or out[-1][2] != label:
                raise InterchangeError(f"{path}:{n}: {tag} does not continue a {label} entity")
            out[-1][1] = i
        else:
            out.append([i, i, label])
    return [(a, b, c) for a, b, c in out]


def align(text: str, rows: list[tuple[int, str, str]], path: Path) -> list[tuple[int, int]]:
    """Offsets of the tokens, found in order in the article text."""
    offsets, cursor = [], 0
    for n, token, _tag in rows:
        at = text.find(token, cursor)
        if at == -1:
            raise InterchangeError(
                f"{path}:{n}: token {token!r} not found in the text after {cursor}"
            )
        offsets.append((at, at + len(token)))
        cursor = at + len(token)
    return offsets


def load(path: Path, text_of: Any) -> tuple[str, dict[str, Any], LossReport]:
    """IOB2 -> name mentions, one cluster per (label, surface form). The id is the file stem."""
    path = Path(path)
    rid = path.stem
    text = text_of(rid)
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeError(f"{path}: cannot read: {exc}") from exc
    rows = read_tokens(data, path)
    offsets = align(text, rows, path)
    clusters: dict[tuple[str, str], dict[str, Any]] = {}
    entities = []
    for first, last, label in chunks(rows, path):
        start, end = offsets[first][0], offsets[last][1]
        surface = text[start:end]
        c = clusters.setdefault(
            (label, surface),
            {"id": f"c{len(clusters) + 1}", "label": label, "name": surface, "wikidata": None,
             "nil_reason": "unsure", "note": None},
        )  # fmt: skip
        entities.append(
            {"id": f"m{len(entities) + 1}", "start": start, "end": end, "text": surface,
             "label": label, "mention_type": "name", "cluster": c["id"],
             "origin": {}, "note": None}
        )  # fmt: skip
    loss = LossReport(NAME, rid)
    loss.approximate("clusters (one per label and surface form)", len(clusters))
    layers = {
        "quotes": [],
        "figures": [],
        "entities": entities,
        "clusters": list(clusters.values()),
    }
    return rid, layers, loss
