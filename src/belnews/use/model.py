"""Typed, immutable views of a record for Python users.

``Article.from_dict(record)`` is the only place where a record dict becomes objects, so
``for article in belnews.load(format="records")`` gives ``article.quotes[0].speaker`` with
attribute access and type hints. The field names mirror the JSON Schema exactly (a test
checks it); ``Article.to_dict()`` gives the record back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from belnews.corpus.normalize import Section


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    text: str
    role: str


@dataclass(frozen=True)
class Origin:
    method: str
    annotator: str
    status: str


@dataclass(frozen=True)
class Quote:
    id: str
    kind: str
    content: tuple[Span, ...]
    marks: tuple[Mark, ...]
    cue: Span | None
    source: Span | None
    source_kind: str
    speaker: str | None
    addressee: Span | None
    channel: Span | None
    time: Span | None
    place: Span | None
    medium: str
    parent: str | None
    repeats: tuple[str, ...]
    likely_translated: bool
    origin: Origin
    note: str | None

    @property
    def content_text(self) -> str:
        """The content fragments joined by a space (for models that want one string)."""
        return " ".join(f.text for f in self.content)


@dataclass(frozen=True)
class Figure:
    id: str
    start: int
    end: int
    text: str
    kind: str
    value: str | None
    low: str | None
    high: str | None
    comparator: str
    unit: str | None
    iso: str | None
    anchor: str | None
    measured_entity: Span | None
    measured_property: Span | None
    qualifier: Span | None
    asserted_by: str | None
    as_of: str | None
    as_of_basis: str | None
    origin: Origin
    note: str | None


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int
    text: str
    label: str
    mention_type: str
    cluster: str
    origin: Origin
    note: str | None


@dataclass(frozen=True)
class Cluster:
    id: str
    label: str
    name: str | None
    wikidata: str | None
    nil_reason: str | None
    members: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Article:
    schema_version: str
    id: str
    metadata: dict[str, Any]
    text: str
    sections: tuple[Section, ...]
    provenance: dict[str, Any]
    quotes: tuple[Quote, ...]
    figures: tuple[Figure, ...]
    entities: tuple[Mention, ...]
    clusters: tuple[Cluster, ...]

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Article:
        return cls(
            schema_version=record["schema_version"],
            id=record["id"],
            metadata=record["metadata"],
            text=record["text"],
            sections=tuple(Section(**s) for s in record["sections"]),
            provenance=record["provenance"],
            quotes=tuple(_quote(q) for q in record["quotes"]),
            figures=tuple(_figure(f) for f in record["figures"]),
            entities=tuple(
                Mention(**{**m, "origin": Origin(**m["origin"])}) for m in record["entities"]
            ),
            clusters=tuple(
                Cluster(**{**c, "members": tuple(c["members"])}) for c in record["clusters"]
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The record dict again (tuples become lists)."""
        return _plain(asdict(self))

    def cluster(self, cluster_id: str | None) -> Cluster | None:
        """The cluster with this id (e.g. a quote's speaker), or None."""
        return next((c for c in self.clusters if c.id == cluster_id), None)


def _span(value: dict[str, Any] | None) -> Span | None:
    return None if value is None else Span(**value)


def _quote(q: dict[str, Any]) -> Quote:
    return Quote(
        **{
            **q,
            "content": tuple(Span(**f) for f in q["content"]),
            "marks": tuple(Mark(**m) for m in q["marks"]),
            **{
                role: _span(q[role])
                for role in ("cue", "source", "addressee", "channel", "time", "place")
            },
            "repeats": tuple(q["repeats"]),
            "origin": Origin(**q["origin"]),
        }
    )


def _figure(f: dict[str, Any]) -> Figure:
    roles = ("measured_entity", "measured_property", "qualifier")
    return Figure(**{**f, **{r: _span(f[r]) for r in roles}, "origin": Origin(**f["origin"])})


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
