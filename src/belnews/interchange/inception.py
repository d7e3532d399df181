"""INCEpTION / WebAnno: UIMA CAS XMI plus its type system, read and written with dkpro-cassis.

Four custom layers (``webanno.custom.Belnews*``), each a span layer INCEpTION can import:

- ``BelnewsQuote``: one annotation per content fragment; the first carries the attributes
  (string features, ``repeats`` among them) and the links (``cue``, ``source``,
  ``addressee``, ``channel``, ``time``, ``place``, ``speaker``, ``parent``), each later
  fragment is reached by ``next_fragment``;
- ``BelnewsFigure``: the figure attributes, the ``measured_entity``, ``measured_property``,
  ``qualifier`` and ``asserted_by`` links;
- ``BelnewsMention``: ``label`` plus the mention and ``cluster_*`` attributes;
- ``BelnewsSpan``: the spans quotes and figures link to (``role`` = Cue, Source, …).

The article id is DKPro's ``DocumentMetaData.documentId``. XMI offsets are UTF-16 units on
disk; cassis converts them to code points, which is what our offsets are.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from .common import InterchangeError, LossReport, require, write_text
from .units import (
    ENUMS,
    FIGURE_ROLES,
    LINKS,
    ROLE_TYPES,
    TEXTS,
    Unit,
    flatten,
    unflatten,
    unreachable,
)

NAME = "inception"
EXTRA = "inception"
NS = "webanno.custom."
ANNOTATION = "uima.tcas.Annotation"
STRING = "uima.cas.String"
META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
LAYERS = {"quote": "BelnewsQuote", "figure": "BelnewsFigure", "mention": "BelnewsMention",
          "role": "BelnewsSpan", "measured": "BelnewsSpan"}  # fmt: skip
FRAGMENT = "next_fragment"
#: Characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(attrs: dict[str, str], loss: LossReport) -> dict[str, str]:
    out = {}
    for k, v in attrs.items():
        clean, n = NOT_XML.subn("\ufffd", v)
        loss.approximate(f"{k} (characters XML cannot hold, replaced by U+FFFD)", n)
        out[k] = clean
    return out


def _attrs(layer: str) -> tuple[str, ...]:
    return (*ENUMS.get(layer, {}), *TEXTS.get(layer, ()))


def type_system() -> Any:
    """The type system for our four layers (plus DocumentMetaData)."""
    cassis = require("cassis", EXTRA)
    ts = cassis.TypeSystem()
    meta = ts.create_type(META, supertypeName="uima.tcas.DocumentAnnotation")
    for feature in ("documentId", "documentTitle", "documentUri"):
        ts.create_feature(meta, feature, STRING)
    for layer in ("quote", "figure", "mention"):
        t = ts.create_type(NS + LAYERS[layer], supertypeName=ANNOTATION)
        for attr in ("key", *_attrs(layer)):
            ts.create_feature(t, attr, STRING)
    ts.create_feature(NS + LAYERS["mention"], "label", STRING)
    span = ts.create_type(NS + LAYERS["role"], supertypeName=ANNOTATION)
    ts.create_feature(span, "key", STRING)
    ts.create_feature(span, "role", STRING)
    for role, (left, _right) in LINKS.items():
        ts.create_feature(NS + LAYERS[left.lower()], role, ANNOTATION)
    ts.create_feature(NS + LAYERS["quote"], FRAGMENT, NS + LAYERS["quote"])
    return ts


def to_cas(record: dict[str, Any], loss: LossReport | None = None) -> Any:
    """A CAS holding the record's text and annotations."""
    cassis = require("cassis", EXTRA)
    ts = type_system()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = record["text"]
    cas.add(ts.get_type(META)(begin=0, end=len(record["text"]), documentId=record["id"]))
    loss = loss or LossReport(NAME, record["id"])
    units = flatten(record)
    made: dict[str, Any] = {}
    for u in units:
        cls = ts.get_type(NS + LAYERS[u.layer])
        extra: dict[str, Any] = {"key": u.key}
        if u.layer in ("role", "measured"):
            extra["role"] = u.type
        elif u.layer == "mention":
            extra["label"] = u.type
        heads = [cls(begin=s, end=e, **extra, **_xml_safe(u.attrs, loss)) for s, e in u.spans[:1]]
        tail = [cls(begin=s, end=e, key=f"{u.key}~{i}") for i, (s, e) in enumerate(u.spans[1:], 2)]
        chain = heads + tail
        for a, b in itertools.pairwise(chain):
            setattr(a, FRAGMENT, b)
        for fs in chain:
            cas.add(fs)
        made[u.key] = chain[0]
    for u in units:
        for role, key in u.links.items():
            setattr(made[u.key], role, made[key])
    return cas


def export(record: dict[str, Any], out: Path) -> LossReport:
    """Write ``<id>.xmi`` and ``TypeSystem.xml``."""
    loss = LossReport(NAME, record["id"])
    for what, n in unreachable(record).items():
        loss.drop(what, n)
    loss.approximate(
        "quotes.marks (rebuilt from the text on import)",
        sum(1 for q in record.get("quotes", []) if q.get("marks")),
    )
    cas = to_cas(record, loss)
    write_text(out / f"{record['id']}.xmi", cas.to_xmi(pretty_print=True))
    write_text(out / "TypeSystem.xml", cas.typesystem.to_xml())
    return loss


def from_cas(cas: Any, where: str) -> tuple[str, list[Unit]]:
    """The record id and units in a CAS."""
    ts = cas.typesystem
    metas = cas.select(META) if ts.contains_type(META) else []
    if len(metas) != 1 or not metas[0].documentId:
        raise InterchangeError(f"{where}: expected one DocumentMetaData with a documentId")
    rid = metas[0].documentId
    units: list[Unit] = []
    unit_of: dict[int, Unit] = {}
    fragments: set[int] = set()
    for layer in ("quote", "figure", "mention", "role"):
        name = NS + LAYERS[layer]
        if not ts.contains_type(name):
            continue
        for fs in cas.select(name):
            if layer == "quote" and getattr(fs, FRAGMENT, None) is not None:
                fragments.add(id(getattr(fs, FRAGMENT)))
    for layer in ("quote", "figure", "mention", "role"):
        name = NS + LAYERS[layer]
        if not ts.contains_type(name):
            continue
        for fs in cas.select(name):
            if id(fs) in fragments:
                continue
            at = f"{where}: {LAYERS[layer]} xmi:id={fs.xmiID} [{fs.begin}, {fs.end})"
            if layer == "mention":
                kind = fs.label
            elif layer == "role":
                kind = fs.role
                if kind not in (*ROLE_TYPES.values(), *FIGURE_ROLES.values()):
                    raise InterchangeError(
                        f"{at}: role {kind!r} is not one of "
                        f"{', '.join((*ROLE_TYPES.values(), *FIGURE_ROLES.values()))}"
                    )
            else:
                kind = "Quote" if layer == "quote" else "Figure"
            if not kind:
                raise InterchangeError(f"{at}: the label feature is empty")
            spans = [(fs.begin, fs.end)]
            nxt = getattr(fs, FRAGMENT, None) if layer == "quote" else None
            while nxt is not None:
                spans.append((nxt.begin, nxt.end))
                nxt = getattr(nxt, FRAGMENT, None)
            attrs = {
                a: str(getattr(fs, a)) for a in _attrs(layer) if getattr(fs, a, None) is not None
            }
            unit = Unit(fs.key or f"x{fs.xmiID}", kind, spans, attrs)
            unit_of[id(fs)] = unit
            units.append(unit)
    by_id = {}
    for layer in ("quote", "figure", "mention", "role"):
        name = NS + LAYERS[layer]
        if ts.contains_type(name):
            by_id.update({id(fs): fs for fs in cas.select(name)})
    for key, fs in by_id.items():
        unit = unit_of.get(key)
        if unit is None:
            continue
        for role, (left, _right) in LINKS.items():
            if left == unit.type:
                target = getattr(fs, role, None)
                if target is not None:
                    if id(target) not in unit_of:
                        raise InterchangeError(
                            f"{where}: {unit.key}.{role} points to an annotation of no layer"
                        )
                    unit.links[role] = unit_of[id(target)].key
    return rid, units


def load(path: Path, text_of: Any) -> tuple[str, dict[str, Any], LossReport]:
    """Read ``<id>.xmi`` with the ``TypeSystem.xml`` beside it."""
    cassis = require("cassis", EXTRA)
    path = Path(path)
    ts_path = path.with_name("TypeSystem.xml")
    if not ts_path.exists():
        raise InterchangeError(f"{path}: no TypeSystem.xml beside the XMI file")
    try:
        with ts_path.open("rb") as handle:
            ts = cassis.load_typesystem(handle)
        with path.open("rb") as handle:
            cas = cassis.load_cas_from_xmi(handle, typesystem=ts)
    except Exception as exc:  # cassis raises many kinds (XML, type, value errors)
        raise InterchangeError(f"{path}: not a readable UIMA XMI file: {exc}") from exc
    rid, units = from_cas(cas, str(path))
    text = text_of(rid)
    if cas.sofa_string != text:
        raise InterchangeError(f"{path}: the document text differs from the corpus text of {rid}")
    for u in units:
        if u.layer == "quote":
            u.attrs.setdefault("likely_translated", "false")
    return rid, unflatten(units, text), LossReport(NAME, rid)
