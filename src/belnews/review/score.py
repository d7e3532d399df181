"""The scorer: one set of records against another, per annotation layer.

Used two ways: a contribution (or a machine's suggestions) scored against gold, and two
annotators' records scored against each other (agreement). Everything is micro-averaged: counts
are summed over records before any ratio is taken. A ratio whose denominator is zero is
``None`` ("n/a"), never a made-up 0 or 1.

See EVALUATION.md for what every number means.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import Error
from .match import (
    Pair,
    exact_count,
    intersection,
    linear_sum_assignment,
    match,
    ranges_of,
    span_ranges,
)

LAYERS = ("quotes", "figures", "entities")


class ScoreError(Error, ValueError):
    """The two record sets cannot be compared (different texts, duplicate ids, bad records)."""


@dataclass
class Tally:
    """Numerators and denominators of precision and recall, summed over records."""

    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.p_num + other.p_num,
            self.p_den + other.p_den,
            self.r_num + other.r_num,
            self.r_den + other.r_den,
        )

    def to_dict(self) -> dict[str, Any]:
        precision = _ratio(self.p_num, self.p_den)
        recall = _ratio(self.r_num, self.r_den)
        if precision is None or recall is None:
            f1 = None
        elif precision + recall == 0:
            f1 = 0.0
        else:
            f1 = 2 * precision * recall / (precision + recall)
        return {"precision": precision, "recall": recall, "f1": f1}


def _spans_tally(matched: int, n_pred: int, n_gold: int) -> Tally:
    return Tally(matched, n_pred, matched, n_gold)


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


@dataclass
class LayerTally:
    """Everything counted for one layer: span matching, attributes, agreement, coreference."""

    spans: dict[str, Tally] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)  # name -> [tp, pred, gold]
    matched: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]
    agreement: dict[str, Counter] = field(default_factory=dict)  # name -> (pred, gold) counts
    coreference: dict[str, Tally] = field(default_factory=dict)

    def __add__(self, other: LayerTally) -> LayerTally:
        out = LayerTally(matched=self.matched + other.matched)
        for name in {**self.spans, **other.spans}:
            out.spans[name] = self.spans.get(name, Tally()) + other.spans.get(name, Tally())
        for mine, theirs, into in (
            (self.counts, other.counts, out.counts),
            (self.attributes, other.attributes, out.attributes),
        ):
            for name in {**mine, **theirs}:
                a, b = mine.get(name, [0, 0, 0]), theirs.get(name, [0, 0, 0])
                into[name] = [x + y for x, y in zip(a, b, strict=False)]
        for name in {**self.agreement, **other.agreement}:
            out.agreement[name] = self.agreement.get(name, Counter()) + other.agreement.get(
                name, Counter()
            )
        for name in {**self.coreference, **other.coreference}:
            out.coreference[name] = self.coreference.get(name, Tally()) + other.coreference.get(
                name, Tally()
            )
        return out

    def add_spans(self, name: str, matched: int, n_pred: int, n_gold: int) -> None:
        self.spans[name] = _spans_tally(matched, n_pred, n_gold)
        self.counts[name] = [matched, n_pred, n_gold]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"spans": {}}
        for name, tally in self.spans.items():
            tp, n_pred, n_gold = self.counts[name]
            out["spans"][name] = {**tally.to_dict(), "tp": tp, "pred": n_pred, "gold": n_gold}
        out["matched"] = self.matched
        out["attributes"] = {
            name: {"accuracy": _ratio(c, t), "correct": c, "total": t}
            for name, (c, t) in self.attributes.items()
        }
        out["agreement"] = {
            name: {"kappa": cohen_kappa(pairs), "pairs": sum(pairs.values())}
            for name, pairs in self.agreement.items()
        }
        if self.coreference:
            out["coreference"] = {
                name: tally.to_dict() for name, tally in self.coreference.items()
            }
        return out


def cohen_kappa(pairs: Counter) -> float | None:
    """Cohen's kappa of (pred, gold) category pairs; ``None`` without pairs.

    When both sides use one and the same category throughout, chance agreement is 1 and the
    formula is 0/0; agreement is then perfect and kappa is reported as 1.0.
    """
    n = sum(pairs.values())
    if n == 0:
        return None
    observed = sum(count for (a, b), count in pairs.items() if a == b) / n
    pred_marg: Counter = Counter()
    gold_marg: Counter = Counter()
    for (a, b), count in pairs.items():
        pred_marg[a] += count
        gold_marg[b] += count
    expected = sum(pred_marg[c] * gold_marg[c] for c in pred_marg) / (n * n)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


# --------------------------------------------------------------------------- coreference


def muc(pred_of: Sequence[str], gold_of: Sequence[str]) -> Tally:
    """MUC link counts for items whose clusters are ``pred_of[i]`` and ``gold_of[i]``.

    Recall: for every gold cluster K, |K| minus the number of predicted clusters K is split
    into, over the sum of |K| - 1 (the links needed to build K). Precision swaps the sides.
    """
    return Tally(*_muc_side(gold_of, pred_of), *_muc_side(pred_of, gold_of))


def _muc_side(other: Sequence[str], key: Sequence[str]) -> tuple[int, int]:
    groups: dict[str, set[str]] = defaultdict(set)
    sizes: Counter = Counter(key)
    for k, o in zip(key, other, strict=True):
        groups[k].add(o)
    num = sum(sizes[k] - len(groups[k]) for k in sizes)
    den = sum(sizes[k] - 1 for k in sizes)
    return num, den


def b_cubed(pred_of: Sequence[str], gold_of: Sequence[str]) -> Tally:
    """B³: per item, the share of its predicted cluster that is in its gold cluster (precision)
    and the share of its gold cluster that is in its predicted cluster (recall), summed."""
    both = Counter(zip(pred_of, gold_of, strict=True))
    pred_size = Counter(pred_of)
    gold_size = Counter(gold_of)
    p = sum(both[(a, b)] / pred_size[a] for a, b in zip(pred_of, gold_of, strict=True))
    r = sum(both[(a, b)] / gold_size[b] for a, b in zip(pred_of, gold_of, strict=True))
    return Tally(p, len(pred_of), r, len(gold_of))


# --------------------------------------------------------------------------- per record


def _align_clusters(
    links: Counter, pred_clusters: list[dict], gold_clusters: list[dict]
) -> dict[str, str]:
    """Pred cluster -> gold cluster, one-to-one.

    First by mentions: the assignment maximising the matched mention pairs the two clusters
    share. Clusters left over (no matched mention) are paired when label and name agree.
    """
    out: dict[str, str] = {}
    if links:
        import numpy as np

        pred_ids = sorted({p for p, _ in links})
        gold_ids = sorted({g for _, g in links})
        matrix = np.zeros((len(pred_ids), len(gold_ids)))
        for (p, g), n in links.items():
            matrix[pred_ids.index(p), gold_ids.index(g)] = n
        rows, cols = linear_sum_assignment(matrix)
        out = {
            pred_ids[i]: gold_ids[j]
            for i, j in zip(rows, cols, strict=True)
            if matrix[i, j] > 0
        }
    taken = set(out.values())
    by_name: dict[tuple, str] = {}
    for c in gold_clusters:
        key = (c.get("label"), str(c.get("name") or "").casefold())
        if c.get("id") not in taken and c.get("name"):
            by_name.setdefault(key, c["id"])
    for c in pred_clusters:
        key = (c.get("label"), str(c.get("name") or "").casefold())
        if c.get("id") not in out and key in by_name:
            out[c["id"]] = by_name.pop(key)
    return out


def _same_decimal(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def _check(tally: LayerTally, name: str, ok: bool) -> None:
    correct_total = tally.attributes.setdefault(name, [0, 0])
    correct_total[0] += int(ok)
    correct_total[1] += 1


def _agree(tally: LayerTally, name: str, pred_value: Any, gold_value: Any) -> None:
    tally.agreement.setdefault(name, Counter())[(pred_value, gold_value)] += 1


def _entities(pred: list[dict], gold: list[dict]) -> tuple[LayerTally, list[Pair]]:
    tally = LayerTally()
    rp = [ranges_of(m) for m in pred]
    rg = [ranges_of(m) for m in gold]
    same_label: Callable[[int, int], bool] = lambda i, j: pred[i]["label"] == gold[j]["label"]  # noqa: E731
    tally.add_spans("exact", exact_count(rp, rg), len(pred), len(gold))
    pairs = match(rp, rg)
    tally.add_spans("overlap", len(pairs), len(pred), len(gold))
    labelled_p = [(r, m["label"]) for r, m in zip(rp, pred, strict=True)]
    labelled_g = [(r, m["label"]) for r, m in zip(rg, gold, strict=True)]
    tally.add_spans("exact+label", exact_count(labelled_p, labelled_g), len(pred), len(gold))
    tally.add_spans(
        "overlap+label", len(match(rp, rg, compatible=same_label)), len(pred), len(gold)
    )
    names_p = [i for i, m in enumerate(pred) if m.get("mention_type") == "name"]
    names_g = [j for j, m in enumerate(gold) if m.get("mention_type") == "name"]
    tally.add_spans(
        "names exact+label",
        exact_count([labelled_p[i] for i in names_p], [labelled_g[j] for j in names_g]),
        len(names_p),
        len(names_g),
    )
    tally.matched = len(pairs)
    for i, j in pairs:
        _check(tally, "label", pred[i]["label"] == gold[j]["label"])
        _check(tally, "mention_type", pred[i].get("mention_type") == gold[j].get("mention_type"))
        _agree(tally, "label", pred[i]["label"], gold[j]["label"])
    pred_of = [pred[i]["cluster"] for i, _ in pairs]
    gold_of = [gold[j]["cluster"] for _, j in pairs]
    tally.coreference = {"muc": muc(pred_of, gold_of), "b_cubed": b_cubed(pred_of, gold_of)}
    return tally, pairs


def _quotes(
    pred: list[dict], gold: list[dict], clusters: dict[str, str]
) -> tuple[LayerTally, list[Pair]]:
    tally = LayerTally()
    rp = [ranges_of(q) for q in pred]
    rg = [ranges_of(q) for q in gold]
    tally.add_spans("exact", exact_count(rp, rg), len(pred), len(gold))
    pairs = match(rp, rg)
    tally.add_spans("overlap", len(pairs), len(pred), len(gold))
    tally.matched = len(pairs)
    for i, j in pairs:
        p, g = pred[i], gold[j]
        for name in ("kind", "source_kind", "medium"):
            _check(tally, name, p.get(name) == g.get(name))
        for name in ("cue", "source", "addressee", "channel", "time", "place"):
            _check(tally, name, span_ranges(p.get(name)) == span_ranges(g.get(name)))
        ps, gs = span_ranges(p.get("source")), span_ranges(g.get("source"))
        _check(tally, "source (overlap)", ps == gs or intersection(ps, gs) > 0)
        speaker = p.get("speaker")
        mapped = None if speaker is None else clusters.get(speaker, "")
        _check(tally, "speaker", mapped == g.get("speaker"))
        _agree(tally, "kind", p.get("kind"), g.get("kind"))
        _agree(tally, "source_kind", p.get("source_kind"), g.get("source_kind"))
    return tally, pairs


def _figures(
    pred: list[dict], gold: list[dict], quotes: dict[str, str], clusters: dict[str, str]
) -> tuple[LayerTally, list[Pair]]:
    tally = LayerTally()
    rp = [ranges_of(f) for f in pred]
    rg = [ranges_of(f) for f in gold]
    tally.add_spans("exact", exact_count(rp, rg), len(pred), len(gold))
    pairs = match(rp, rg)
    tally.add_spans("overlap", len(pairs), len(pred), len(gold))
    tally.matched = len(pairs)
    for i, j in pairs:
        p, g = pred[i], gold[j]
        _check(
            tally,
            "value",
            all(_same_decimal(p.get(k), g.get(k)) for k in ("value", "low", "high")),
        )
        for name in ("comparator", "kind", "unit", "iso", "anchor", "as_of", "as_of_basis"):
            _check(tally, name, p.get(name) == g.get(name))
        for role in ("measured_entity", "measured_property", "qualifier"):
            _check(tally, role, span_ranges(p.get(role)) == span_ranges(g.get(role)))
        asserted = p.get("asserted_by")
        if asserted is None:
            mapped = None
        else:
            mapped = (quotes if asserted.startswith("q") else clusters).get(asserted, "")
        _check(tally, "asserted_by", mapped == g.get("asserted_by"))
        _agree(tally, "kind", p.get("kind"), g.get("kind"))
        _agree(tally, "comparator", p.get("comparator"), g.get("comparator"))
    return tally, pairs


@dataclass(frozen=True)
class Alignment:
    """How one pred record lines up with its gold record: matched pairs per layer and the
    pred -> gold maps of quote ids and cluster ids (the review page shows changes with it)."""

    pairs: dict[str, list[Pair]]
    quotes: dict[str, str]
    clusters: dict[str, str]


def score_record(
    pred: dict[str, Any], gold: dict[str, Any]
) -> tuple[dict[str, LayerTally], Alignment]:
    """Score one pred record against the gold record with the same id and text."""
    rid = gold.get("id")
    if pred.get("text") != gold.get("text"):
        raise ScoreError(
            f"record {rid!r}: pred and gold have different text, so their offsets cannot be "
            "compared (build both from the same raw file)"
        )
    try:
        entities, mention_pairs = _entities(pred.get("entities", []), gold.get("entities", []))
        links = Counter(
            (pred["entities"][i]["cluster"], gold["entities"][j]["cluster"])
            for i, j in mention_pairs
        )
        clusters = _align_clusters(links, pred.get("clusters", []), gold.get("clusters", []))
        quotes, quote_pairs = _quotes(pred.get("quotes", []), gold.get("quotes", []), clusters)
        quote_map = {
            pred["quotes"][i]["id"]: gold["quotes"][j]["id"] for i, j in quote_pairs
        }
        figures, figure_pairs = _figures(
            pred.get("figures", []), gold.get("figures", []), quote_map, clusters
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ScoreError):
            raise
        raise ScoreError(
            f"record {rid!r}: an annotation lacks a field or has a wrong type ({exc!r}); "
            "run `belnews validate` on both inputs"
        ) from exc
    alignment = Alignment(
        pairs={"quotes": quote_pairs, "figures": figure_pairs, "entities": mention_pairs},
        quotes=quote_map,
        clusters=clusters,
    )
    return {"quotes": quotes, "figures": figures, "entities": entities}, alignment


# --------------------------------------------------------------------------- record sets


@dataclass(frozen=True)
class Score:
    """The scorer's result: totals over every record, the per-record tallies, and the ids
    that only one side has (scored as if the other side had an empty record)."""

    totals: dict[str, LayerTally]
    per_record: dict[str, dict[str, LayerTally]]
    only_in_pred: tuple[str, ...]
    only_in_gold: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": sorted(self.per_record),
            "only_in_pred": list(self.only_in_pred),
            "only_in_gold": list(self.only_in_gold),
            "layers": {name: self.totals[name].to_dict() for name in LAYERS},
            "per_record": {
                rid: {name: layers[name].to_dict() for name in LAYERS}
                for rid, layers in sorted(self.per_record.items())
            },
        }


def _by_id(records: Iterable[dict[str, Any]], side: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise ScoreError(f"{side} record #{n + 1}: expected a record object with a string id")
        if record["id"] in out:
            raise ScoreError(f"{side}: record id {record['id']!r} occurs twice")
        out[record["id"]] = record
    return out


def _empty_like(record: dict[str, Any]) -> dict[str, Any]:
    return {"id": record["id"], "text": record.get("text"), **{k: [] for k in LAYERS}}


def score(pred_records: Iterable[dict[str, Any]], gold_records: Iterable[dict[str, Any]]) -> Score:
    """Score ``pred_records`` against ``gold_records``, pairing records by id.

    A record only one side has counts against that side (its annotations are all unmatched),
    so a predictor cannot raise its score by skipping an article.
    """
    pred = _by_id(pred_records, "pred")
    gold = _by_id(gold_records, "gold")
    per_record: dict[str, dict[str, LayerTally]] = {}
    for rid in sorted(pred.keys() | gold.keys()):
        p = pred.get(rid) or _empty_like(gold[rid])
        g = gold.get(rid) or _empty_like(pred[rid])
        per_record[rid], _ = score_record(p, g)
    totals = {name: LayerTally() for name in LAYERS}
    for layers in per_record.values():
        for name in LAYERS:
            totals[name] = totals[name] + layers[name]
    return Score(
        totals=totals,
        per_record=per_record,
        only_in_pred=tuple(sorted(pred.keys() - gold.keys())),
        only_in_gold=tuple(sorted(gold.keys() - pred.keys())),
    )


# --------------------------------------------------------------------------- rendering


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_json(result: Score) -> str:
    """The whole result as indented JSON (``null`` where a ratio is undefined)."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_text(result: Score, *, per_record: bool = True) -> str:
    """A table a reviewer reads: span P/R/F1 per layer, then attributes, agreement, coref."""
    data = result.to_dict()
    lines = [f"scored {len(data['records'])} record(s): {', '.join(data['records']) or '-'}"]
    for side in ("only_in_pred", "only_in_gold"):
        if data[side]:
            lines.append(f"warning: {side.replace('_', ' ')}: {', '.join(data[side])}")
    lines += ["", _table(data["layers"])]
    for name in LAYERS:
        layer = data["layers"][name]
        lines += ["", f"{name}: on {layer['matched']} overlap-matched pair(s)"]
        for attr, acc in layer["attributes"].items():
            lines.append(
                f"  {attr:<18} accuracy {_num(acc['accuracy'])}  ({acc['correct']}/{acc['total']})"
            )
        for attr, kap in layer["agreement"].items():
            lines.append(f"  {attr:<18} kappa    {_num(kap['kappa'])}  ({kap['pairs']} pairs)")
        for metric, prf in layer.get("coreference", {}).items():
            label = {"muc": "MUC", "b_cubed": "B-cubed"}[metric]
            lines.append(
                f"  coref {label:<12} P {_num(prf['precision'])}  R {_num(prf['recall'])}  "
                f"F1 {_num(prf['f1'])}"
            )
    if per_record and len(data["per_record"]) > 1:
        lines += ["", "per record (overlap F1): quotes / figures / entities"]
        for rid, layers in data["per_record"].items():
            f1s = " / ".join(_num(layers[n]["spans"]["overlap"]["f1"]) for n in LAYERS)
            lines.append(f"  {rid}  {f1s}")
    return "\n".join(lines) + "\n"


def _table(layers: dict[str, Any]) -> str:
    header = (
        f"{'layer':<9} {'match':<18} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'tp':>5} {'pred':>5} {'gold':>5}"
    )
    rows = [header]
    for name in LAYERS:
        for match_name, prf in layers[name]["spans"].items():
            rows.append(
                f"{name:<9} {match_name:<18} {_num(prf['precision']):>6} {_num(prf['recall']):>6} "
                f"{_num(prf['f1']):>6} {prf['tp']:>5} {prf['pred']:>5} {prf['gold']:>5}"
            )
    return "\n".join(rows)
