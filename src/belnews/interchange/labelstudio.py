"""Label Studio: tasks JSON with predictions, and the labeling config they need.

The config has one ``Labels`` control for every unit type (see :mod:`.units`), a
``Relations`` block for the links (plus ``next_fragment`` chaining the fragments of a
discontinuous quote, since a Label Studio region is one span), and per-region controls for
the attributes: ``Choices`` for closed sets, ``TextArea`` for free text. Region ids are our
keys (``q3``, ``q3.cue``; later fragments ``q3~2``), so ids survive a trip through the tool.
Import reads Label Studio's JSON export: the last annotation of the task that was not
cancelled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .common import InterchangeError, LossReport, write_text
from .units import ENUMS, LINKS, TEXTS, TYPES, Unit, flatten, layer_of, unflatten, unreachable

NAME = "labelstudio"
EXTRA = "labelstudio"
FRAGMENT = "next_fragment"
WHEN = {"quote": "Quote", "figure": "Figure"}


def _control(layer: str, attr: str) -> str:
    return f"{layer}_{attr}"


def label_config() -> str:
    """The labeling config (XML) for everything the tasks carry."""
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(t)}/>" for t in TYPES]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>', "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(r)}/>" for r in (*LINKS, FRAGMENT)]
    lines.append("  </Relations>")
    for layer in ("quote", "figure", "mention"):
        when = f" whenLabelValue={quoteattr(WHEN[layer])}" if layer in WHEN else ""
        for attr, values in ENUMS[layer].items():
            lines.append(
                f'  <Choices name={quoteattr(_control(layer, attr))} toName="text" '
                f'perRegion="true" visibleWhen="region-selected"{when}>'
            )
            lines += [f"    <Choice value={quoteattr(v)}/>" for v in values]
            lines.append("  </Choices>")
        for attr in TEXTS[layer]:
            lines.append(
                f'  <TextArea name={quoteattr(_control(layer, attr))} toName="text" '
                f'perRegion="true" visibleWhen="region-selected" editable="true"'
                f' maxSubmissions="1"{when}/>'
            )
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _region_id(key: str, i: int) -> str:
    return key if i == 0 else f"{key}~{i + 1}"


def to_task(record: dict[str, Any]) -> dict[str, Any]:
    """One task: the text as data, every annotation as one prediction's results."""
    text = record["text"]
    results: list[dict[str, Any]] = []
    for u in flatten(record):
        for i, (s, e) in enumerate(u.spans):
            value = {"start": s, "end": e, "text": text[s:e]}
            results.append(
                {"id": _region_id(u.key, i), "from_name": "label", "to_name": "text",
                 "type": "labels", "value": {**value, "labels": [u.type]}}
            )  # fmt: skip
            if i:
                results.append(_relation(_region_id(u.key, i - 1), _region_id(u.key, i), FRAGMENT))
        s, e = u.spans[0]
        where = {"start": s, "end": e, "text": text[s:e]}
        for attr, val in u.attrs.items():
            control = _control(u.layer, attr)
            if attr in ENUMS.get(u.layer, {}):
                item = {"type": "choices", "value": {**where, "choices": [val]}}
            else:
                item = {"type": "textarea", "value": {**where, "text": [val]}}
            results.append({"id": u.key, "from_name": control, "to_name": "text", **item})
        results += [_relation(u.key, key, role) for role, key in u.links.items()]
    return {
        "data": {"text": text, "belnews_id": record["id"]},
        "predictions": [{"model_version": "belnews", "result": results}],
    }


def _relation(src: str, dst: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": src, "to_id": dst, "direction": "right",
            "labels": [label]}  # fmt: skip


def export_many(records: list[dict[str, Any]], out: Path) -> list[LossReport]:
    """Write ``tasks.json`` (all records) and ``config.xml``."""
    reports = []
    for record in records:
        loss = LossReport(NAME, record["id"])
        for what, n in unreachable(record).items():
            loss.drop(what, n)
        loss.approximate(
            "quotes.marks (rebuilt from the text on import)",
            sum(1 for q in record.get("quotes", []) if q.get("marks")),
        )
        reports.append(loss)
    tasks = [to_task(r) for r in records]
    write_text(out / "tasks.json", json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
    write_text(out / "config.xml", label_config())
    return reports


def export(record: dict[str, Any], out: Path) -> LossReport:
    return export_many([record], out)[0]


def _pick_annotation(task: dict[str, Any], where: str) -> list[Any]:
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        raise InterchangeError(f"{where}: the task has no (uncancelled) annotation")
    result = done[-1].get("result")
    if not isinstance(result, list):
        raise InterchangeError(f"{where}: annotation result must be a list")
    return result


def from_results(results: list[Any], where: str) -> list[Unit]:
    """Units from the result list of one annotation."""
    regions: dict[str, Unit] = {}
    extras: list[tuple[int, dict[str, Any]]] = []
    for n, item in enumerate(results):
        at = f"{where}.result[{n}]"
        if not isinstance(item, dict):
            raise InterchangeError(f"{at}: expected an object")
        if item.get("type") == "labels":
            value = item.get("value") or {}
            labels = value.get("labels") or []
            if len(labels) != 1:
                raise InterchangeError(f"{at}: a region needs exactly one label, got {labels}")
            layer_of(labels[0])  # unknown labels are an error naming the label
            start, end = value.get("start"), value.get("end")
            if not (isinstance(start, int) and isinstance(end, int)):
                raise InterchangeError(f"{at}: start and end must be character offsets")
            regions[str(item.get("id"))] = Unit(str(item.get("id")), labels[0], [(start, end)])
        else:
            extras.append((n, item))
    merged: set[str] = set()
    for n, item in extras:
        at = f"{where}.result[{n}]"
        kind = item.get("type")
        if kind == "relation":
            labels = item.get("labels") or []
            src, dst = str(item.get("from_id")), str(item.get("to_id"))
            if len(labels) != 1 or src not in regions or dst not in regions:
                raise InterchangeError(f"{at}: a relation needs one label and two known regions")
            if labels[0] == FRAGMENT:
                continue
            if labels[0] not in LINKS:
                raise InterchangeError(f"{at}: unknown relation label {labels[0]!r}")
            regions[src].links[labels[0]] = dst
        elif kind in ("choices", "textarea"):
            unit = regions.get(str(item.get("id")))
            if unit is None:
                raise InterchangeError(f"{at}: attribute of an unknown region {item.get('id')!r}")
            control = str(item.get("from_name", ""))
            prefix = f"{unit.layer}_"
            if not control.startswith(prefix):
                raise InterchangeError(f"{at}: {control!r} does not apply to a {unit.type}")
            values = (item.get("value") or {}).get("choices" if kind == "choices" else "text")
            if not isinstance(values, list) or len(values) != 1:
                raise InterchangeError(f"{at}: expected exactly one value for {control}")
            unit.attrs[control.removeprefix(prefix)] = str(values[0])
        else:
            raise InterchangeError(f"{at}: unsupported result type {kind!r}")
    # Chain fragments: each next_fragment relation appends a region's span to its head.
    nxt = {}
    for _n, item in extras:
        if item.get("type") == "relation" and (item.get("labels") or [None])[0] == FRAGMENT:
            nxt[str(item["from_id"])] = str(item["to_id"])
    heads = set(nxt) - set(nxt.values())
    for head in heads:
        cur = head
        while cur in nxt:
            cur = nxt[cur]
            regions[head].spans.extend(regions[cur].spans)
            merged.add(cur)
    return [u for key, u in regions.items() if key not in merged]


def load(path: Path, text_of: Any) -> tuple[str, dict[str, Any], LossReport]:
    """Read a Label Studio JSON export holding one task."""
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InterchangeError(f"{path}: not a readable Label Studio JSON export: {exc}") from exc
    tasks = tasks if isinstance(tasks, list) else [tasks]
    if len(tasks) != 1 or not isinstance(tasks[0], dict):
        raise InterchangeError(
            f"{path}: expected one task, found {len(tasks)}; export one per file"
        )
    task = tasks[0]
    data = task.get("data") or {}
    rid = data.get("belnews_id")
    if not isinstance(rid, str):
        raise InterchangeError(f"{path}: task data has no belnews_id naming the article")
    text = text_of(rid)
    if data.get("text") != text:
        raise InterchangeError(f"{path}: task data.text differs from the corpus text of {rid}")
    units = from_results(_pick_annotation(task, f"{path}: task"), f"{path}: task")
    for u in units:
        if u.layer == "quote":
            u.attrs.setdefault("likely_translated", "false")
    return rid, unflatten(units, text), LossReport(NAME, rid)
