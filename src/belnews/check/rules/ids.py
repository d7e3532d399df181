"""Identifier rules: ids unique per layer, references (speaker, parent, repeats, asserted_by,
cluster) resolve, clusters are used and labelled consistently.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _children, _field, _ints, _valid
from belnews.check.rules.base import Record, _issue, check
from belnews.errors import Issue

#: Keys up to this use lookup tables; larger ones are made dense first.
_DENSE_KEYS = 1 << 24


def _member(keys: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``np.isin`` for small non-negative keys (a lookup table, not a sort)."""
    if not len(keys):
        return np.zeros(0, dtype=bool)
    if not len(pool):
        return np.zeros(len(keys), dtype=bool)
    table = np.zeros(int(max(keys.max(), pool.max())) + 1, dtype=bool)
    table[pool] = True
    return table[keys]


@check(("duplicate-id", "two annotations of one layer share an id"))
def check_unique_ids(record: Record) -> Iterator[Issue]:
    for layer in ("quotes", "figures", "entities", "clusters"):
        seen: dict[str, int] = {}
        for i, item in enumerate(record[layer]):
            ident = item["id"]
            if ident in seen:
                yield _issue(
                    record,
                    "duplicate-id",
                    f"$.{layer}[{i}].id",
                    f"id {ident!r} is already used by $.{layer}[{seen[ident]}]",
                    found=ident,
                )
            else:
                seen[ident] = i


@check(
    (
        "unknown-reference",
        "an id reference (speaker, cluster, parent, repeats, asserted_by) resolves to nothing",
    )
)
def check_references(record: Record) -> Iterator[Issue]:
    clusters = {c["id"] for c in record["clusters"]}
    quotes = {q["id"] for q in record["quotes"]}

    def missing(path: str, ref: str, pool: set[str], what: str) -> Issue:
        return _issue(
            record,
            "unknown-reference",
            path,
            f"{ref!r} is not the id of any {what} in this record",
            expected=f"one of {sorted(pool)}",
            found=ref,
        )

    for i, q in enumerate(record["quotes"]):
        if q["speaker"] is not None and q["speaker"] not in clusters:
            yield missing(f"$.quotes[{i}].speaker", q["speaker"], clusters, "cluster")
        ref = q["parent"]
        if ref is not None and (ref not in quotes or ref == q["id"]):
            yield missing(f"$.quotes[{i}].parent", ref, quotes - {q["id"]}, "other quote")
        for j, ref in enumerate(q["repeats"]):
            if ref not in quotes or ref == q["id"]:
                yield missing(f"$.quotes[{i}].repeats[{j}]", ref, quotes - {q["id"]}, "other quote")
    for i, f in enumerate(record["figures"]):
        ref = f["asserted_by"]
        if ref is not None:
            pool, what = (quotes, "quote") if ref.startswith("q") else (clusters, "cluster")
            if ref not in pool:
                yield missing(f"$.figures[{i}].asserted_by", ref, pool, what)
    for i, m in enumerate(record["entities"]):
        if m["cluster"] not in clusters:
            yield missing(f"$.entities[{i}].cluster", m["cluster"], clusters, "cluster")
    for i, c in enumerate(record["clusters"]):
        for j, ref in enumerate(c["members"]):
            if ref not in clusters or ref == c["id"]:
                others = clusters - {c["id"]}
                yield missing(f"$.clusters[{i}].members[{j}]", ref, others, "other cluster")


@check(
    ("label-mismatch", "a mention's label differs from its cluster's label"),
    ("cluster-without-name", "a named cluster has no mention of type `name`"),
    (
        "cluster-unnamed-invalid",
        "an unnamed cluster (name null) has a name mention, or is neither a chain of two or "
        "more mentions nor a split-antecedent group",
    ),
)
def check_clusters(record: Record) -> Iterator[Issue]:
    labels = {c["id"]: c["label"] for c in record["clusters"]}
    named: set[str] = set()
    count: dict[str, int] = {}
    for i, m in enumerate(record["entities"]):
        want = labels.get(m["cluster"])
        if want is not None and m["label"] != want:
            yield _issue(
                record,
                "label-mismatch",
                f"$.entities[{i}].label",
                f"mention {m['text']!r} is {m['label']} but cluster {m['cluster']} is {want}",
                expected=want,
                found=m["label"],
            )
        if m["mention_type"] == "name":
            named.add(m["cluster"])
        count[m["cluster"]] = count.get(m["cluster"], 0) + 1
    for i, c in enumerate(record["clusters"]):
        if c["name"] is not None and c["id"] not in named:
            yield _issue(
                record,
                "cluster-without-name",
                f"$.clusters[{i}]",
                f"cluster {c['id']} ({c['name']!r}) has no name mention in the text",
            )
        elif c["name"] is None and (
            c["id"] in named or count.get(c["id"], 0) < (1 if c["members"] else 2)
        ):
            yield _issue(
                record,
                "cluster-unnamed-invalid",
                f"$.clusters[{i}]",
                f"unnamed cluster {c['id']} needs no name mention and two or more mentions "
                "(one, for a group with members)",
                found=count.get(c["id"], 0),
            )


#: Every id and id reference, by layer.
_ID_FIELDS = {
    "quotes": ("id", "speaker", "parent"),
    "figures": ("id", "asserted_by"),
    "entities": ("id", "cluster"),
    "clusters": ("id",),
}


def screen_ids(b: _Batch) -> np.ndarray:
    """duplicate-id, unknown-reference, label-mismatch, cluster-without-name.

    Every id and reference string of the batch is dictionary-encoded at once, so equal
    strings get equal codes; (row, code) pairs then become small integer keys.
    """
    n = b.n
    bad = np.zeros(n, dtype=bool)
    structs = {
        "quotes": b.quotes,
        "figures": b.figures,
        "entities": b.entities,
        "clusters": b.clusters,
    }
    rows_of = {"quotes": b.q_row, "figures": b.f_row, "entities": b.e_row, "clusters": b.c_row}
    parts = [
        (layer, name, _field(structs[layer], name).cast(pa.string()))
        for layer, names in _ID_FIELDS.items()
        for name in names
    ]
    encoded = pc.dictionary_encode(pa.concat_arrays([values for _, _, values in parts]))
    codes = np.asarray(pc.fill_null(encoded.indices, 0), dtype=np.int64)
    wide = len(encoded.dictionary) + 1
    keys = np.concatenate([rows_of[layer] for layer, _, _ in parts]) * wide + codes
    dense = None
    if len(keys) and keys.max() >= _DENSE_KEYS:  # many distinct ids: number them densely
        dense, keys = np.unique(keys, return_inverse=True)
        keys = keys.reshape(-1)
    columns = {}
    at = 0
    for layer, name, values in parts:
        columns[layer, name] = (keys[at : at + len(values)], _valid(values))
        at += len(values)
    ids = {}
    for layer, rows in rows_of.items():
        k, _ = columns[layer, "id"]
        counts = np.bincount(k, minlength=1)
        bad[rows[counts[k] > 1]] = True
        ids[layer] = k
    quotes, clusters = ids["quotes"], ids["clusters"]
    speaker, has = columns["quotes", "speaker"]
    bad[b.q_row[has & ~_member(speaker, clusters)]] = True
    ref, has = columns["quotes", "parent"]
    bad[b.q_row[has & (~_member(ref, quotes) | (ref == quotes))]] = True
    for layer, name, own in (("quotes", "repeats", quotes), ("clusters", "members", clusters)):
        values, owner = _children(_field(structs[layer], name))
        rows = rows_of[layer][owner]
        codes = pc.index_in(values.cast(pa.string()), value_set=encoded.dictionary)
        code = np.asarray(pc.fill_null(codes, -1), dtype=np.int64)
        key = rows * wide + code
        if dense is not None:  # number like the ids (a value no id has is unknown anyway)
            pos = np.searchsorted(dense, key)
            hit = (pos < len(dense)) & (dense[np.minimum(pos, len(dense) - 1)] == key)
            key = np.where(hit, pos, -1)
        pool = own
        known = (code >= 0) & (key >= 0) & _member(np.maximum(key, 0), pool) & (key != own[owner])
        bad[rows[~known]] = True
    ref, has = columns["figures", "asserted_by"]
    to_quote = _bools(pc.starts_with(_field(b.figures, "asserted_by"), "q"), False)
    known = np.where(to_quote, _member(ref, quotes), _member(ref, clusters))
    bad[b.f_row[has & ~known]] = True
    ref, has = columns["entities", "cluster"]
    bad[b.e_row[~has | ~_member(ref, clusters)]] = True
    # the mention's label is its cluster's; every cluster has a name mention
    if len(clusters) and len(ref):
        where = np.full(int(max(clusters.max(), ref.max())) + 1, -1, dtype=np.int64)
        where[clusters] = np.arange(len(clusters))
        owner = where[ref]
        same = _bools(
            pc.equal(
                _field(b.entities, "label"),
                pc.take(_field(b.clusters, "label"), pa.array(np.maximum(owner, 0))),
            ),
            False,
        )
        bad[b.e_row[~same | (owner < 0)]] = True
    named = _bools(pc.equal(_field(b.entities, "mention_type"), "name"), False)
    has_name_mention = _member(clusters, ref[named])
    unnamed = ~_valid(_field(b.clusters, "name"))
    bad[b.c_row[~unnamed & ~has_name_mention]] = True
    if unnamed.any():
        mentions = np.bincount(ref, minlength=int(clusters.max()) + 1 if len(clusters) else 1)
        count = mentions[clusters] if len(clusters) else np.zeros(0, dtype=np.int64)
        group = _ints(pc.list_value_length(_field(b.clusters, "members"))) > 0
        bad[b.c_row[unnamed & (has_name_mention | (count < np.where(group, 1, 2)))]] = True
    return bad


@check(("quote-parent-cycle", "quote `parent` links form a cycle (a quote reported inside itself)"))
def check_parent_cycles(record: Record) -> Iterator[Issue]:
    parents = {q["id"]: q["parent"] for q in record["quotes"]}
    for i, q in enumerate(record["quotes"]):
        seen = {q["id"]}
        at = q["parent"]
        while at is not None and at in parents:
            if at in seen:
                if at == q["id"]:  # report the cycle once per quote on it
                    yield _issue(
                        record,
                        "quote-parent-cycle",
                        f"$.quotes[{i}].parent",
                        f"following `parent` from {q['id']} comes back to {q['id']}",
                        found=q["parent"],
                    )
                break
            seen.add(at)
            at = parents[at]


def screen_parent_cycles(b: _Batch) -> np.ndarray:
    """quote-parent-cycle: flags every row where following `parent` links from some quote
    comes back to a quote already on the path (nesting chains of any depth pass)."""
    bad = np.zeros(b.n, dtype=bool)
    parent = _field(b.quotes, "parent")
    has = _valid(parent)
    if not has.any():
        return bad
    ids = _field(b.quotes, "id").to_pylist()
    parents = parent.to_pylist()
    rows = b.q_row
    links: dict[int, dict[str, str]] = {}
    for k in np.flatnonzero(has):
        links.setdefault(int(rows[k]), {})[ids[k]] = parents[k]
    for row, up in links.items():
        for start in up:
            seen, at = {start}, up[start]
            while at in up:
                if at in seen:
                    bad[row] = True
                    break
                seen.add(at)
                at = up[at]
            if bad[row]:
                break
    return bad
    ids = _field(b.quotes, "id").to_pylist()
    parents = parent.to_pylist()
    rows = b.q_row
    linked = {(int(rows[k]), ids[k]) for k in np.flatnonzero(has)}
    for k in np.flatnonzero(has):
        row = int(rows[k])
        if parents[k] == ids[k] or (row, parents[k]) in linked:
            bad[row] = True
    return bad
