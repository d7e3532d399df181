"""spaCy: a ``DocBin`` (``.spacy``) with names in ``doc.ents`` and every layer in span groups.

The Doc's tokens are the default tokenizer's words, further split at every annotation edge,
so every span of every layer is a token span and nothing is snapped. Span groups:

- ``quotes`` (one span per content fragment, ``span.id_`` = quote id), ``quote_roles``
  (cue, source, addressee, channel, time, place; ``span.id_`` = ``q3.cue``), ``figures``,
  ``measured`` (the MeasEval spans),
  ``mentions`` (every mention, ``span.id_`` = mention id, ``kb_id_`` = Wikidata QID);
- each group's ``attrs["belnews"]`` is a list parallel to its spans holding the unit's
  attributes and links (see :mod:`.units`), so attributes are carried, not dropped.

``doc.ents`` holds the name mentions; a name nested in another name cannot be an entity
and is counted as dropped there (it stays in the ``mentions`` group).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from .common import InterchangeError, LossReport, require
from .units import flatten, unreachable

NAME = "spacy"
EXTRA = "spacy"
GROUPS = {"quote": "quotes", "role": "quote_roles", "figure": "figures",
          "measured": "measured", "mention": "mentions"}  # fmt: skip


def words_and_spaces(text: str, cuts: set[int]) -> tuple[list[str], list[bool]]:
    """Tokens of ``text`` split at whitespace, word/punctuation edges and at every cut."""
    from belnews.use.training import simple_tokenize

    edges = set(cuts) | {0, len(text)}
    for s, e in simple_tokenize(text):
        edges.update((s, e))
    pieces = []
    points = sorted(edges)
    for a, b in itertools.pairwise(points):
        chunk = text[a:b]
        # split the chunk into whitespace and non-whitespace runs
        i = 0
        while i < len(chunk):
            j = i
            space = chunk[i].isspace()
            while j < len(chunk) and chunk[j].isspace() == space:
                j += 1
            pieces.append(chunk[i:j])
            i = j
    words: list[str] = []
    spaces: list[bool] = []
    for piece in pieces:
        if piece == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
        else:
            words.append(piece)
            spaces.append(False)
    return words, spaces


def to_doc(record: dict[str, Any], nlp: Any) -> tuple[Any, LossReport]:
    """A Doc for a record, and what it could not carry."""
    spacy = require("spacy", EXTRA)
    from spacy.tokens import Doc

    text = record["text"]
    units = flatten(record)
    cuts = {x for u in units for s, e in u.spans for x in (s, e)}
    words, spaces = words_and_spaces(text, cuts)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise InterchangeError(f"{record['id']}: the spaCy tokens do not rebuild the text")
    loss = LossReport(NAME, record["id"])
    for what, n in unreachable(record).items():
        loss.drop(what, n)
    qid = {c["id"]: c.get("wikidata") or "" for c in record.get("clusters", [])}
    groups: dict[str, list[Any]] = {g: [] for g in GROUPS.values()}
    attrs: dict[str, list[Any]] = {g: [] for g in GROUPS.values()}
    for u in units:
        group = GROUPS[u.layer]
        for i, (s, e) in enumerate(u.spans):
            kb = qid.get(u.attrs.get("cluster", ""), "") if u.layer == "mention" else ""
            span = doc.char_span(s, e, label=u.type, kb_id=kb, span_id=u.key)
            if span is None:  # cannot happen: every edge is a token edge
                raise InterchangeError(f"{record['id']}: {u.key} is not a token span")
            groups[group].append(span)
            attrs[group].append(
                {"key": u.key, "fragment": i + 1, "attrs": u.attrs, "links": u.links}
            )
    for group, spans in groups.items():
        doc.spans[group] = spans
        doc.spans[group].attrs["belnews"] = attrs[group]
    names = [s for s, a in zip(groups["mentions"], attrs["mentions"], strict=True)
             if a["attrs"].get("mention_type") == "name"]  # fmt: skip
    ents = spacy.util.filter_spans(names)
    loss.drop("doc.ents: nominal and pronoun mentions (kept in the mentions group)",
              len(groups["mentions"]) - len(names))  # fmt: skip
    loss.drop("doc.ents: names nested in another name (kept in the mentions group)",
              len(names) - len(ents))  # fmt: skip
    doc.ents = sorted(ents, key=lambda s: s.start)
    loss.drop(
        "quotes.marks (derivable from the text around each fragment)",
        sum(1 for q in record.get("quotes", []) if q.get("marks")),
    )
    return doc, loss


def export_many(records: list[dict[str, Any]], out: Path) -> list[LossReport]:
    """Write every record into one ``belnews.spacy`` DocBin."""
    spacy = require("spacy", EXTRA)
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True)
    reports = []
    for record in records:
        doc, loss = to_doc(record, nlp)
        doc.user_data["belnews_id"] = record["id"]
        docbin.add(doc)
        reports.append(loss)
    docbin.to_disk(Path(out) / "belnews.spacy")
    return reports


def export(record: dict[str, Any], out: Path) -> LossReport:
    return export_many([record], out)[0]
