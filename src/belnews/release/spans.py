"""The ``spans`` table: one row per annotated span, derived column by column from the articles."""

from __future__ import annotations

from typing import Any

SPAN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("article_id", "string", "the record id"),
    ("layer", "string", "quotes, figures or entities"),
    ("annotation_id", "string", "id of the quote, figure or mention"),
    (
        "role",
        "string",
        "content, mark, cue, source, addressee, channel, time, place (quotes); figure, "
        "measured_entity, measured_property, qualifier (figures); mention",
    ),
    ("fragment", "int32", "index of the content fragment or mark; 0 otherwise"),
    ("label", "string", "quote kind, figure kind or entity label"),
    ("start", "int32", "code-point offset into the article text"),
    ("end", "int32", "one past the last code point"),
    ("text", "string", "text[start:end]"),
    ("cluster", "string", "entity cluster (mentions) or speaker cluster (quotes)"),
    ("wikidata", "string", "QID of that cluster, if any"),
    ("mention_type", "string", "name, nominal or pronoun (mentions)"),
    ("source_kind", "string", "kind of quote source (quotes)"),
    ("value", "string", "decimal value (figures)"),
    ("unit", "string", "unit (figures)"),
    ("comparator", "string", "eq, approx, gt, gte, lt, lte (figures)"),
)


def span_schema() -> Any:
    """The explicit Arrow schema of the flat span table (features in its metadata)."""
    import json

    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32()}
    meta = {
        "huggingface": json.dumps({"info": {"features": span_features_dict()}}),
        # lets `belnews validate` tell a spans table from a table of records
        "belnews": json.dumps({"table": "spans"}),
    }
    return pa.schema([pa.field(n, types[t]) for n, t, _ in SPAN_COLUMNS], metadata=meta)


def span_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per span of a record, ordered by position."""
    columns = span_columns(record)
    names = [c for c, _, _ in SPAN_COLUMNS]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def span_columns(record: dict[str, Any]) -> dict[str, list[Any]]:
    """The span table rows of a record, column by column (cheaper than a dict per row)."""
    qids = {c["id"]: c["wikidata"] for c in record["clusters"]}
    rows: list[tuple[Any, ...]] = []
    for q in record["quotes"]:
        # cluster, wikidata, mention_type, source_kind, value, unit, comparator
        tail = (q["speaker"], qids.get(q["speaker"]), None, q["source_kind"], None, None, None)
        parts = [("content", k, sp) for k, sp in enumerate(q["content"])]
        parts += [("mark", k, sp) for k, sp in enumerate(q["marks"])]
        parts += [
            (role, 0, q[role])
            for role in ("cue", "source", "addressee", "channel", "time", "place")
            if q[role] is not None
        ]
        for role, k, sp in parts:
            rows.append(
                (sp["start"], sp["end"], "quotes", q["id"], role, k, q["kind"], sp["text"], *tail)
            )
    for f in record["figures"]:
        tail = (None, None, None, None, f["value"], f["unit"], f["comparator"])
        roles = ("measured_entity", "measured_property", "qualifier")
        for role, sp in (("figure", f), *((r, f[r]) for r in roles)):
            if sp is not None:
                rows.append(
                    (
                        sp["start"],
                        sp["end"],
                        "figures",
                        f["id"],
                        role,
                        0,
                        f["kind"],
                        sp["text"],
                        *tail,
                    )
                )
    for m in record["entities"]:
        rows.append(
            (
                m["start"],
                m["end"],
                "entities",
                m["id"],
                "mention",
                0,
                m["label"],
                m["text"],
                m["cluster"],
                qids.get(m["cluster"]),
                m["mention_type"],
                None,
                None,
                None,
                None,
            )
        )
    rows.sort(key=lambda r: r[:6])
    order = (
        "start",
        "end",
        "layer",
        "annotation_id",
        "role",
        "fragment",
        "label",
        "text",
        "cluster",
        "wikidata",
        "mention_type",
        "source_kind",
        "value",
        "unit",
        "comparator",
    )
    columns = (
        dict(zip(order, (list(c) for c in zip(*rows, strict=True)), strict=True))
        if rows
        else {name: [] for name in order}
    )
    return {
        "article_id": [record["id"]] * len(rows),
        **{name: columns[name] for name, _, _ in SPAN_COLUMNS[1:]},
    }


def span_card_features() -> list[dict[str, Any]]:
    return [{"name": n, "dtype": t} for n, t, _ in SPAN_COLUMNS]


def span_features_dict() -> dict[str, Any]:
    return {n: {"dtype": t, "_type": "Value"} for n, t, _ in SPAN_COLUMNS}


def span_table(articles: Any, *, with_counts: bool = False) -> Any:
    """The flat span table of an articles table, computed column by column.

    Gives the same rows, in the same order, as :func:`span_columns` record by record (a test
    compares them): per article, sorted by start, end, layer, annotation id, role, fragment.
    With ``with_counts``, also return the number of span rows of each article.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from belnews.check.columns import _children as children
    from belnews.schema.arrow import struct_rows

    def position(parents: np.ndarray) -> np.ndarray:
        return np.arange(len(parents)) - np.searchsorted(parents, parents, side="left")

    articles = struct_rows(articles)
    field = pc.struct_field
    ids = field(articles, "id")
    quotes, q_row = children(field(articles, "quotes"))
    figures, f_row = children(field(articles, "figures"))
    mentions, m_row = children(field(articles, "entities"))
    clusters, c_row = children(field(articles, "clusters"))
    # wikidata of a cluster, looked up by (article, cluster id)
    names = pa.concat_arrays(
        [field(clusters, "id"), field(quotes, "speaker"), field(mentions, "cluster")]
    ).dictionary_encode()
    codes = np.asarray(pc.fill_null(names.indices, 0), dtype=np.int64)
    wide = len(names.dictionary) + 1
    nc, nq = len(clusters), len(quotes)
    cluster_key = c_row * wide + codes[:nc]
    order = np.argsort(cluster_key, kind="stable")

    def qid(rows: np.ndarray, code: np.ndarray, refs: Any) -> Any:
        """The QID of the cluster each reference names in its own article (null if none)."""
        if not nc:
            return pa.nulls(len(rows), pa.string())
        key = rows * wide + code
        found = order[np.clip(np.searchsorted(cluster_key, key, sorter=order), 0, nc - 1)]
        hit = (cluster_key[found] == key) & np.asarray(refs.is_valid())
        taken = pc.take(field(clusters, "wikidata"), pa.array(found))
        return pc.if_else(pa.array(hit), taken, pa.scalar(None, pa.string()))

    speaker = field(quotes, "speaker")
    speaker_qid = qid(q_row, codes[nc : nc + nq], speaker)
    mention_qid = qid(m_row, codes[nc + nq :], field(mentions, "cluster"))
    parts = []

    def part(row, start, end, layer, ann, role, frag, label, text, **extra):
        n = len(row)
        columns = {
            "row": pa.array(row, pa.int64()),
            "start": start,
            "end": end,
            "layer": pa.repeat(pa.scalar(layer, pa.string()), n),
            "annotation_id": ann,
            "role": pa.repeat(pa.scalar(role, pa.string()), n) if isinstance(role, str) else role,
            "fragment": pa.array(frag, pa.int32()),
            "label": label,
            "text": text,
        }
        for name, _kind, _doc in SPAN_COLUMNS[9:]:  # cluster ... comparator
            columns[name] = extra.get(name, pa.nulls(n, pa.string()))
        parts.append(pa.table(columns))

    def quote_part(spans: Any, quote: np.ndarray, role: str, frag: np.ndarray) -> None:
        index = pa.array(quote)
        part(
            q_row[quote],
            field(spans, "start"),
            field(spans, "end"),
            "quotes",
            pc.take(field(quotes, "id"), index),
            role,
            frag,
            pc.take(field(quotes, "kind"), index),
            field(spans, "text"),
            cluster=pc.take(speaker, index),
            wikidata=pc.take(speaker_qid, index),
            source_kind=pc.take(field(quotes, "source_kind"), index),
        )

    for name, role in (("content", "content"), ("marks", "mark")):
        spans, owner = children(field(quotes, name))
        quote_part(spans, owner, role, position(owner))
    for role in ("cue", "source", "addressee", "channel", "time", "place"):
        spans = field(quotes, role)
        present = np.flatnonzero(np.asarray(spans.is_valid()))
        quote_part(spans.take(pa.array(present)), present, role, np.zeros(len(present)))
    figure_extra = {
        "value": field(figures, "value"),
        "unit": field(figures, "unit"),
        "comparator": field(figures, "comparator"),
    }
    part(
        f_row,
        field(figures, "start"),
        field(figures, "end"),
        "figures",
        field(figures, "id"),
        "figure",
        np.zeros(len(f_row)),
        field(figures, "kind"),
        field(figures, "text"),
        **figure_extra,
    )
    for role in ("measured_entity", "measured_property", "qualifier"):
        measured = field(figures, role)
        present = np.flatnonzero(np.asarray(measured.is_valid()))
        index = pa.array(present)
        measured = measured.take(index)
        part(
            f_row[present],
            field(measured, "start"),
            field(measured, "end"),
            "figures",
            pc.take(field(figures, "id"), index),
            role,
            np.zeros(len(present)),
            pc.take(field(figures, "kind"), index),
            field(measured, "text"),
            **{name: pc.take(values, index) for name, values in figure_extra.items()},
        )
    part(
        m_row,
        field(mentions, "start"),
        field(mentions, "end"),
        "entities",
        field(mentions, "id"),
        "mention",
        np.zeros(len(m_row)),
        field(mentions, "label"),
        field(mentions, "text"),
        cluster=field(mentions, "cluster"),
        wikidata=mention_qid,
        mention_type=field(mentions, "mention_type"),
    )
    table = pa.concat_tables(parts)
    keys = ["row", "start", "end", "layer", "annotation_id", "role", "fragment"]
    table = table.sort_by([(k, "ascending") for k in keys])
    rows = table.column("row")
    table = table.drop_columns(["row"]).add_column(0, "article_id", pc.take(ids, rows))
    table = table.select([n for n, _, _ in SPAN_COLUMNS]).cast(span_schema())
    if not with_counts:
        return table
    counts = np.bincount(np.asarray(rows, dtype=np.int64), minlength=len(articles))
    return table, counts
