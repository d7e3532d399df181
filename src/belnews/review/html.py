"""The review page: one self-contained HTML file showing an article with every layer marked.

Rendering overlapping spans: the text is cut at every span boundary, and the spans are built
into a tree of nested ``<span>`` elements, outer (longer) spans first. A span that crosses the
end of the element it sits in (a mention running past the end of a quote, say) is closed there
and reopened after it, so it becomes several *pieces*. Every piece carries ``data-start`` and
``data-end`` (its own code-point range), so ``textContent`` of every marked element equals
``text[data-start:data-end]``, which the browser test checks.

The article text is data: every piece of it goes through ``html.escape``, the annotation data
for the side panel is JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, and the panel is filled with ``textContent`` only. A Content-Security-Policy
allows no network at all and runs only the page's own script (pinned by its SHA-256).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .diff import Change, changes

LAYER_ORDER = {"quotes": 0, "figures": 1, "entities": 2, "rejected": 3}
_COMPARATOR = {"eq": "", "approx": "≈", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_STATUSES = ("gold", "adjudicated", "silver", "contributed_unreviewed")


@dataclass
class Mark:
    """One span to mark: ``uid`` names the span, ``ann`` the annotation it belongs to."""

    uid: str
    ann: str
    layer: str
    start: int
    end: int
    classes: tuple[str, ...]
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Node:
    """A piece of a mark in the element tree (``mark`` None for the root)."""

    mark: Mark | None
    start: int
    end: int = -1
    children: list[Node | tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------- the span tree


def build_tree(text_length: int, marks: list[Mark]) -> Node:
    """Nest the marks into a tree, splitting a mark where it crosses an enclosing one."""
    order = {id(m): n for n, m in enumerate(marks)}

    def outer_first(m: Mark) -> tuple[int, int, int]:
        return (-m.end, LAYER_ORDER.get(m.layer, 9), order[id(m)])

    valid = [m for m in marks if 0 <= m.start < m.end <= text_length]
    starting: dict[int, list[Mark]] = {}
    for m in valid:
        starting.setdefault(m.start, []).append(m)
    bounds = sorted({0, text_length} | {m.start for m in valid} | {m.end for m in valid})
    root = Node(None, 0, text_length)
    stack = [root]
    for here, after in zip(bounds, [*bounds[1:], None], strict=True):
        ending = [n for n, node in enumerate(stack[1:], start=1) if node.mark.end == here]
        reopen: list[Mark] = []
        if ending:
            for node in stack[ending[0] :]:
                node.end = here
                if node.mark.end > here:
                    reopen.append(node.mark)
            del stack[ending[0] :]
        for m in sorted(reopen + starting.get(here, []), key=outer_first):
            node = Node(m, here)
            stack[-1].children.append(node)
            stack.append(node)
        if after is not None and after > here:
            stack[-1].children.append((here, after))
    return root


def _mention_height(node: Node, memo: dict[int, int]) -> int:
    """How many mention levels sit inside this node (so outer underlines go lower)."""
    below = 0
    for child in node.children:
        if isinstance(child, Node):
            h = _mention_height(child, memo)
            below = max(below, h + (1 if child.mark.layer == "entities" else 0))
    memo[id(node)] = below
    return below


def render_tree(text: str, root: Node) -> str:
    """The tree as HTML; every text piece escaped."""
    heights: dict[int, int] = {}
    _mention_height(root, heights)
    out: list[str] = []

    def emit(node: Node) -> None:
        m = node.mark
        if m is not None:
            classes = ["mk", *m.classes]
            if node.end == m.end:
                classes.append("last")
            if node.start == m.start:
                classes.append("first")
            attrs = {
                "class": " ".join(classes),
                "data-uid": m.uid,
                "data-ann": m.ann,
                "data-start": str(node.start),
                "data-end": str(node.end),
                **m.attrs,
            }
            if m.layer == "entities":
                pad = 1 + 4 * heights[id(node)]
                attrs["style"] = f"{attrs.get('style', '')}padding-bottom:{pad}px"
            out.append(
                "<span "
                + " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
                + ">"
            )
        for child in node.children:
            if isinstance(child, Node):
                emit(child)
            else:
                out.append(html.escape(text[child[0] : child[1]], quote=False))
        if m is not None:
            out.append("</span>")

    emit(root)
    return "".join(out)


# --------------------------------------------------------------------------- marks and data


def _status(annotation: dict[str, Any]) -> str:
    status = (annotation.get("origin") or {}).get("status", "gold")
    return status if status in _STATUSES else "gold"


def figure_reading(figure: dict[str, Any]) -> str:
    """The normalized value as a reader wants to see it: ``≥6000``, ``1–2 d``, ``P3M``."""

    def plain(value: str) -> str:
        try:
            return format(Decimal(value), "f")
        except InvalidOperation:
            return value

    comparator = _COMPARATOR.get(figure.get("comparator") or "eq", "")
    if figure.get("value") is not None:
        reading = comparator + plain(figure["value"])
    elif figure.get("low") is not None or figure.get("high") is not None:
        low, high = plain(figure.get("low") or "?"), plain(figure.get("high") or "?")
        reading = f"{comparator}{low}–{high}"
    else:
        reading = ""
    unit = figure.get("unit")
    if unit and reading:
        reading += unit if unit == "%" else f" {unit}"
    iso = figure.get("iso")
    if iso and iso not in reading:
        reading = f"{reading} {iso}".strip()
    return reading or (figure.get("kind") or "?")


def _cluster_names(record: dict[str, Any]) -> dict[str, str]:
    return {
        c["id"]: c.get("name") or f"{c['id']} (unnamed)" for c in record.get("clusters", [])
    }


def _show(name: str, value: Any, clusters: dict[str, str]) -> str:
    """One attribute value as text for the side panel."""
    if value is None:
        return "—"
    if isinstance(value, dict) and "start" in value:
        role = f" {value['role']}" if "role" in value else ""
        return f"«{value.get('text', '')}» [{value['start']}, {value['end']}){role}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(k, v, clusters)}" for k, v in value.items())
    if isinstance(value, list):
        return " + ".join(_show(name, v, clusters) for v in value) if value else "(none)"
    if name in ("speaker", "cluster", "asserted_by") and value in clusters:
        return f"{value} ({clusters[value]})"
    return str(value)


def _field_order(annotation: dict[str, Any]) -> list[str]:
    """Span first, bookkeeping (origin, note) last, everything else alphabetically between."""
    first = [k for k in ("text", "start", "end", "content", "kind") if k in annotation]
    last = [k for k in ("origin", "note") if k in annotation]
    middle = sorted(k for k in annotation if k not in {*first, *last, "id"})
    return first + middle + last


def _marks_and_data(
    record: dict[str, Any], prefix: str = "", extra_class: tuple[str, ...] = ()
) -> tuple[list[Mark], dict[str, Any]]:
    """Marks for every span of a record, and the panel data of every annotation."""
    marks: list[Mark] = []
    anns: dict[str, Any] = {}
    clusters = _cluster_names(record)
    cluster_index = {c["id"]: n for n, c in enumerate(record.get("clusters", []))}
    layer_of = {"quotes": "quotes", "figures": "figures", "entities": "entities"}
    for layer in ("quotes", "figures", "entities"):
        for a in record.get(layer, []):
            key = prefix + a["id"]
            status = _status(a)
            mark_layer = "rejected" if prefix else layer_of[layer]
            base = (f"st-{status}", *extra_class)
            title = a["id"]
            if layer == "quotes":
                title = f"quote {a['id']} ({a.get('kind')})"
                for n, frag in enumerate(a.get("content", [])):
                    marks.append(Mark(f"{key}.c{n}", key, mark_layer, frag["start"], frag["end"],
                                      ("q", "q-content", f"k-{a.get('kind')}", *base)))
                for role, short in (("cue", "cue"), ("source", "src"), ("addressee", "to"),
                                    ("channel", "via"), ("time", "when"), ("place", "where")):
                    span = a.get(role)
                    if span:
                        marks.append(Mark(f"{key}.{short}", key, mark_layer, span["start"],
                                          span["end"], ("q", f"q-{role}", *base)))
            elif layer == "figures":
                title = f"figure {a['id']} ({a.get('kind')}): {figure_reading(a)}"
                marks.append(Mark(key, key, mark_layer, a["start"], a["end"], ("fig", *base),
                                  {"data-norm": figure_reading(a)}))
            else:
                cluster = a.get("cluster")
                title = f"mention {a['id']} ({a.get('label')}, {a.get('mention_type')})"
                hue = (cluster_index.get(cluster, 0) * 137) % 360
                marks.append(Mark(key, key, mark_layer, a["start"], a["end"],
                                  ("ent", f"mt-{a.get('mention_type')}", *base),
                                  {"style": f"--c:hsl({hue},70%,38%);",
                                   "data-cluster": prefix + str(cluster)}))
            fields = [[name, _show(name, a[name], clusters)] for name in _field_order(a)]
            anns[key] = {"title": title, "layer": layer, "status": status, "fields": fields}
    for a in record.get("quotes", []):
        speaker = a.get("speaker")
        anns[prefix + a["id"]]["links"] = [prefix + str(speaker)] if speaker else []
    for a in record.get("figures", []):
        by = a.get("asserted_by")
        anns[prefix + a["id"]]["links"] = [prefix + by] if by else []
    for a in record.get("entities", []):
        anns[prefix + a["id"]]["links"] = [prefix + str(a.get("cluster"))]
    for c in record.get("clusters", []):
        anns[prefix + c["id"]] = {
            "title": f"cluster {c['id']}: {clusters[c['id']]}",
            "layer": "clusters",
            "status": "gold",
            "fields": [[k, _show(k, v, clusters)] for k, v in c.items() if k != "id"],
            "links": [],
        }
    return marks, anns


# --------------------------------------------------------------------------- the page


def _asset(name: str) -> str:
    """The page's own CSS or script, shipped next to this module and inlined into the page."""
    from importlib.resources import files

    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element early or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _change_summary(items: list[Change], names_gold: dict[str, str]) -> tuple[str, dict]:
    """The 'what a person changed' section, and per-annotation change notes for the panel."""
    counts = {s: sum(1 for c in items if c.status == s) for s in
              ("accepted", "changed", "added", "rejected")}
    notes: dict[str, Any] = {}
    rows = []
    for c in items:
        if c.status == "accepted":
            continue
        key = c.gold_id if c.gold_id else f"silver:{c.silver_id}"
        if c.status == "changed":
            detail = "; ".join(
                f"{name}: {_show(name, old, {})} → {_show(name, new, names_gold)}"
                for name, old, new in c.fields
            )
            notes[key] = [[name, _show(name, old, {}), _show(name, new, names_gold)]
                          for name, old, new in c.fields]
        elif c.status == "added":
            detail = "added by a person (no suggestion matched)"
        else:
            detail = "suggestion removed by a person"
        label = f"{c.layer} {c.gold_id or c.silver_id}"
        rows.append(
            f'<li class="chg chg-{c.status}"><button type="button" data-go="{html.escape(key)}">'
            f"{html.escape(label)}</button> <b>{c.status}</b>: {html.escape(detail)}</li>"
        )
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    body = (
        f'<section id="changes"><h2>What a person changed</h2><p id="change-counts">'
        f"{html.escape(summary)} (silver suggestions against this record)</p>"
        f'<ul>{"".join(rows) or "<li>nothing: every suggestion was accepted as it was</li>"}</ul>'
        "</section>"
    )
    return body, notes


def render_page(record: dict[str, Any], silver: dict[str, Any] | None = None) -> str:
    """The review page for ``record``; with ``silver`` (the machine's suggestions for the same
    text) it also marks the rejected suggestions and lists what a person changed."""
    text = record["text"]
    marks, anns = _marks_and_data(record)
    changes_html = ""
    if silver is not None:
        items = changes(silver, record)
        changes_html, notes = _change_summary(items, _cluster_names(record))
        rejected = {c.silver_id for c in items if c.status == "rejected"}
        s_marks, s_anns = _marks_and_data(silver, prefix="silver:", extra_class=("rej",))
        marks += [m for m in s_marks if m.ann.removeprefix("silver:") in rejected]
        anns.update({k: v for k, v in s_anns.items() if k.removeprefix("silver:") in rejected
                     or v["layer"] == "clusters"})
        for key, rows in notes.items():
            anns[key]["changed"] = rows
        for c in items:
            if c.status == "rejected":
                anns[f"silver:{c.silver_id}"]["rejected"] = True
    tree = build_tree(len(text), marks)
    body_text = render_tree(text, tree)
    meta = record.get("metadata") or {}

    def meta_value(name: str) -> str:
        value = (meta.get(name) or {}).get("value")
        return "unknown" if value is None else str(value)

    headline = meta_value("headline")
    if headline == "unknown":
        headline = f"Article {record.get('id', '')} (no headline)"
    counts = ", ".join(f"{len(record.get(layer, []))} {layer}" for layer in
                       ("quotes", "figures", "entities", "clusters"))
    cluster_items = "".join(
        f'<li><button type="button" data-go="{html.escape(c["id"])}" '
        f'style="--c:hsl({(n * 137) % 360},70%,38%)"><span class="sw"></span>'
        f'{html.escape(c.get("name") or c["id"] + " (unnamed)")}</button> '
        f'<small>{html.escape(c.get("label", ""))} {html.escape(c.get("wikidata") or "no QID")}'
        f"</small></li>"
        for n, c in enumerate(record.get("clusters", []))
    )
    toggles = "".join(
        f'<label><input type="checkbox" id="toggle-{layer}" data-layer="{layer}" checked> '
        f"{label}</label>"
        for layer, label in (("quotes", "quotes"), ("figures", "figures"),
                             ("entities", "mentions"), ("rejected", "rejected suggestions"))
        if layer != "rejected" or silver is not None
    )
    script = _asset("page.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    title = f"belnews review: {record.get('id', '')}"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_asset('page.css')}</style></head><body>"
        f"<header><h1>{html.escape(headline)}</h1>"
        f'<p class="meta"><code>{html.escape(str(record.get("id", "")))}</code> · '
        f'{html.escape(meta_value("publisher"))} · {html.escape(meta_value("date_published"))}'
        f" · {html.escape(counts)}</p>"
        f'<nav id="toggles">{toggles}</nav>{_LEGEND}</header>'
        f'<main><article id="text" class="text" lang="en">{body_text}</article>'
        f'<aside><section id="panel"><h2 id="panel-title">Click a marked span</h2>'
        '<table id="panel-fields"></table><div id="panel-changed"></div>'
        '<div id="panel-stack"></div></section>'
        f"{changes_html}"
        f'<section id="clusters"><h2>Entity clusters</h2><ul>{cluster_items}</ul></section>'
        "</aside></main>"
        f'<script type="application/json" id="ann-data">{_json_for_script(anns)}</script>'
        f"<script>{script}</script></body></html>\n"
    )


_LEGEND = (
    '<p class="legend"><span class="mk q q-content k-direct">direct quote</span> '
    '<span class="mk q q-content k-indirect">indirect</span> '
    '<span class="mk q q-cue">cue</span> <span class="mk q q-source">source</span> '
    '<span class="mk fig last" data-norm="value">figure</span> '
    '<span class="mk ent" style="--c:#555;padding-bottom:1px">mention</span> '
    '<span class="mk q q-content k-direct st-silver">silver</span> '
    '<span class="mk q q-content k-direct rej">rejected</span></p>'
)
