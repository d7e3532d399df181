"""Records and summaries rendered as text for a person reading them in a terminal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def summary_table(summary: dict[str, Any]) -> str:
    """A plain-text table of per-article counts with a total row."""
    cols = ["characters", "sections", "quotes", "figures", "entities", "clusters"]
    rows = [[a["id"], *(str(a[c]) for c in cols)] for a in summary["per_article"]]
    rows.append(["total", *(str(summary["totals"].get(c, 0)) for c in cols)])
    header = ["article", *cols]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    return "\n".join([fmt(header), *(fmt(r) for r in rows)])


def _span_text(span: dict[str, Any] | None) -> str:
    return "-" if span is None else f"[{span['start']}:{span['end']}] {span['text']!r}"


def show_record(
    record: dict[str, Any], layers: Iterable[str] = ("quotes", "figures", "entities")
) -> str:
    """The article with its spans marked and its annotations listed (see :func:`_render`);
    a record with a missing key or a wrong type is a RecordError, not a KeyError."""
    from belnews.corpus.records import fields_of

    with fields_of(record, "show"):
        return _render(record, layers)


def _render(record: dict[str, Any], layers: Iterable[str]) -> str:
    """The article with its spans bracketed inline, then every annotation listed for review.

    Entity mentions are written ``[text]{m3 PERSON c1}``, figures ``⟦text⟧{f2 count=6000}``
    and quote contents ``«text»{q1}``, so a reviewer can read each span in its context.
    """
    layers = set(layers)
    text = record["text"]
    spans: list[tuple[int, int, str, str]] = []

    def add(start: int, end: int, left: str, right: str) -> None:
        spans.append((start, end, left, right))

    if "quotes" in layers:
        for q in record["quotes"]:
            for frag in q["content"]:
                add(frag["start"], frag["end"], "«", f"»{{{q['id']}}}")
    if "figures" in layers:
        for f in record["figures"]:
            add(f["start"], f["end"], "⟦", f"⟧{{{f['id']} {f['kind']}={f['value']}}}")
    if "entities" in layers:
        for m in record["entities"]:
            tag = m["label"] if m["mention_type"] == "name" else m["mention_type"]
            add(m["start"], m["end"], "[", f"]{{{m['id']} {tag} {m['cluster']}}}")
    # Outer spans open first and close last, so nested brackets stay nested (a date that
    # starts a mention: [⟦Sunday⟧'s presidential election]).
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for start, end, left, right in sorted(spans, key=lambda s: (s[0], -s[1])):
        opens.setdefault(start, []).append(left)
        closes.setdefault(end, []).insert(0, right)
    out: list[str] = []
    for i, ch in enumerate(text):
        out.extend(closes.get(i, []))
        out.extend(opens.get(i, []))
        out.append(ch)
    out.extend(closes.get(len(text), []))
    lines = [f"# {record['id']}", "", "".join(out), ""]
    clusters = {c["id"]: c for c in record["clusters"]}
    if "quotes" in layers:
        lines.append("## quotes")
        for q in record["quotes"]:
            speaker = clusters.get(q["speaker"], {}).get("name", "-") if q["speaker"] else "-"
            lines.append(
                f"{q['id']} {q['kind']}: source={_span_text(q['source'])} ({q['source_kind']}) "
                f"speaker={q['speaker'] or '-'} [{speaker}] cue={_span_text(q['cue'])} "
                f"addressee={_span_text(q['addressee'])} channel={_span_text(q['channel'])} "
                f"time={_span_text(q['time'])} place={_span_text(q['place'])} "
                f"medium={q['medium']} parent={q['parent'] or '-'} "
                f"repeats={','.join(q['repeats']) or '-'} "
                f"translated={q['likely_translated']} marks="
                + "".join(m["text"] for m in q["marks"])
            )
            for frag in q["content"]:
                lines.append(f"    content {_span_text(frag)}")
    if "figures" in layers:
        lines.append("## figures")
        for f in record["figures"]:
            lines.append(
                f"{f['id']} {f['kind']} {f['text']!r} value={f['value']} "
                f"range={f['low']}..{f['high']} cmp={f['comparator']} unit={f['unit']} "
                f"iso={f['iso']} anchor={f['anchor']} "
                f"entity={_span_text(f['measured_entity'])} "
                f"property={_span_text(f['measured_property'])} "
                f"qualifier={_span_text(f['qualifier'])} "
                f"by={f['asserted_by']} as_of={f['as_of']} ({f['as_of_basis']})"
            )
    if "entities" in layers:
        lines.append("## clusters")
        by_cluster: dict[str, list[str]] = {}
        for m in record["entities"]:
            by_cluster.setdefault(m["cluster"], []).append(f"{m['text']!r}({m['mention_type']})")
        for c in record["clusters"]:
            qid = c["wikidata"] or f"nil:{c['nil_reason']}"
            members = f" members={','.join(c['members'])}" if c["members"] else ""
            lines.append(
                f"{c['id']} {c['label']} {c['name']!r} {qid}{members}: "
                + ", ".join(by_cluster.get(c["id"], []))
            )
    return "\n".join(lines) + "\n"
