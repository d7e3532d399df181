"""brat standoff: ``<id>.txt`` + ``<id>.ann`` per article, and one ``annotation.conf``.

Every unit (see :mod:`.units`) is a text-bound annotation (``T``), discontinuous quote
content included (``start end;start end``). Closed-set attributes are brat attributes
(``A``; ``likely_translated`` is a binary one), links are relations (``R``), and the free-text
fields brat has no slot for (ids, notes, figure values and units, cluster ids and names,
annotators) are one JSON object in the annotation's ``AnnotatorNotes`` (``#``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import InterchangeError, LossReport, write_text
from .units import ENTITY_LABELS, ENUMS, LINKS, TYPES, Unit, flatten, unflatten, unreachable

NAME = "brat"
BINARY = {"likely_translated"}


def attr_name(layer: str, attr: str) -> str:
    """brat attribute names are global; only ``kind`` is shared by two layers."""
    return f"{layer}_kind" if attr == "kind" else attr


def _attr_of(name: str) -> tuple[str | None, str]:
    if name in ("quote_kind", "figure_kind"):
        return name.split("_")[0], "kind"
    return None, name


def annotation_conf() -> str:
    """The brat configuration declaring every type, relation and attribute we write."""
    mention = "|".join(ENTITY_LABELS)
    lines = ["[entities]", *TYPES, "", "[relations]"]
    for role, (left, right) in LINKS.items():
        right = right.replace("Mention", mention)
        lines.append(f"{role}\tArg1:{left}, Arg2:{right}")
    lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", ""]
    lines.append("[attributes]")
    for layer, attrs in ENUMS.items():
        arg = {"quote": "Quote", "figure": "Figure", "mention": mention}[layer]
        for attr, values in attrs.items():
            if attr in BINARY:
                lines.append(f"{attr}\tArg:{arg}")
            else:
                lines.append(f"{attr_name(layer, attr)}\tArg:{arg}, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"


def to_ann(record: dict[str, Any], loss: LossReport) -> str:
    text = record["text"]
    units = flatten(record)
    tid = {u.key: f"T{n}" for n, u in enumerate(units, start=1)}
    t_lines, a_lines, r_lines, notes = [], [], [], []
    for u in units:
        for s, e in u.spans:
            if "\n" in text[s:e]:
                raise InterchangeError(f"{record['id']}: {u.key} spans a line break")
        where = ";".join(f"{s} {e}" for s, e in u.spans)
        words = " ".join(text[s:e] for s, e in u.spans)
        t_lines.append(f"{tid[u.key]}\t{u.type} {where}\t{words}")
        enums = ENUMS.get(u.layer, {})
        free = {}
        for attr, value in u.attrs.items():
            if attr in BINARY:
                if value == "true":
                    a_lines.append(f"{attr} {tid[u.key]}")
            elif attr in enums:
                a_lines.append(f"{attr_name(u.layer, attr)} {tid[u.key]} {value}")
            else:
                free[attr] = value
        if u.layer in ("quote", "figure"):
            free.setdefault("id", u.key)
        if free:
            notes.append((tid[u.key], json.dumps(free, ensure_ascii=False)))
        for role, key in u.links.items():
            r_lines.append(f"{role} Arg1:{tid[u.key]} Arg2:{tid[key]}")
    lines = t_lines
    lines += [f"R{n}\t{r}" for n, r in enumerate(r_lines, start=1)]
    lines += [f"A{n}\t{a}" for n, a in enumerate(a_lines, start=1)]
    lines += [f"#{n}\tAnnotatorNotes {t}\t{note}" for n, (t, note) in enumerate(notes, start=1)]
    return "\n".join(lines) + "\n"


def export(record: dict[str, Any], out: Path) -> LossReport:
    """Write ``<id>.txt``, ``<id>.ann`` and ``annotation.conf`` into ``out``."""
    loss = LossReport(NAME, record["id"])
    for what, n in unreachable(record).items():
        loss.drop(what, n)
    loss.approximate(
        "quotes.marks (rebuilt from the text on import)",
        sum(1 for q in record.get("quotes", []) if q.get("marks")),
    )
    write_text(out / f"{record['id']}.txt", record["text"])
    write_text(out / f"{record['id']}.ann", to_ann(record, loss))
    write_text(out / "annotation.conf", annotation_conf())
    return loss


def parse_ann(data: str, path: Path) -> list[Unit]:
    """Units from the text of an ``.ann`` file (our own reader; tests use an independent one)."""
    units: dict[str, Unit] = {}
    later: list[tuple[int, str, list[str]]] = []
    for n, line in enumerate(data.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        where = f"{path}:{n}: {fields[0]}"
        if line.startswith("T"):
            if len(fields) < 3:
                raise InterchangeError(f"{where}: a T line is ID<TAB>TYPE OFFSETS<TAB>TEXT")
            head = fields[1].split(" ", 1)
            if len(head) != 2:
                raise InterchangeError(f"{where}: no offsets after the type")
            try:
                spans = [(int(a), int(b)) for a, b in (part.split() for part in head[1].split(";"))]
            except ValueError as exc:
                raise InterchangeError(f"{where}: offsets must be 'start end[;start end]'") from exc
            if head[0] not in TYPES:
                raise InterchangeError(f"{where}: unknown type {head[0]!r}")
            units[fields[0]] = Unit(fields[0], head[0], spans)
        elif line[0] in "RA#":
            later.append((n, line, fields))
        elif line[0] in "E*NM":
            raise InterchangeError(f"{where}: events, equivalences and normalizations are not read")
        else:
            raise InterchangeError(f"{where}: not a brat standoff line")
    for n, line, fields in later:
        where = f"{path}:{n}: {fields[0]}"
        parts = fields[1].split(" ") if len(fields) > 1 else []
        try:
            if line.startswith("R"):
                role, a1, a2 = parts
                src, dst = a1.removeprefix("Arg1:"), a2.removeprefix("Arg2:")
                if role not in LINKS or src not in units or dst not in units:
                    raise InterchangeError(
                        f"{where}: unknown relation or argument in {fields[1]!r}"
                    )
                units[src].links[role] = dst
            elif line.startswith("A"):
                name, target, *value = parts
                layer, attr = _attr_of(name)
                unit = units[target]
                if layer is not None and unit.layer != layer:
                    raise InterchangeError(f"{where}: {name} on a {unit.type}")
                unit.attrs[attr] = "true" if attr in BINARY else value[0]
            else:
                kind, target = parts
                note = json.loads(fields[2]) if len(fields) > 2 else {}
                if kind != "AnnotatorNotes" or not isinstance(note, dict):
                    raise InterchangeError(f"{where}: expected AnnotatorNotes with a JSON object")
                units[target].attrs.update({k: str(v) for k, v in note.items()})
        except (ValueError, KeyError, IndexError) as exc:
            raise InterchangeError(f"{where}: malformed line {line!r}") from exc
    for u in units.values():
        if u.layer == "quote":
            u.attrs.setdefault("likely_translated", "false")
    return list(units.values())


def load(path: Path, text_of: Any) -> tuple[str, dict[str, Any], LossReport]:
    """Read ``<id>.ann`` (its ``.txt``, when present, must be the article's text)."""
    path = Path(path)
    if path.suffix != ".ann":
        raise InterchangeError(f"{path}: expected a brat .ann file")
    rid = path.stem
    text = text_of(rid)
    txt = path.with_suffix(".txt")
    if txt.exists() and txt.read_text(encoding="utf-8") != text:
        raise InterchangeError(f"{txt}: the text differs from the corpus text of {rid}")
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeError(f"{path}: cannot read: {exc}") from exc
    units = parse_ann(data, path)
    for u in units:
        for s, e in u.spans:
            if not 0 <= s < e <= len(text):
                raise InterchangeError(f"{path}: {u.key}: [{s}, {e}) is outside the text")
    return rid, unflatten(units, text), LossReport(NAME, rid)
