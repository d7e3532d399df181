"""The two generated score tables: inter-annotator agreement and the pre-annotation baseline.

Both are the scorer (:mod:`belnews.review.score`) run on records built by the real ingest:

- **agreement**: two annotation sets of the same articles (``corpus/annotation-sets/<who>/``,
  TOML files in the authoring format), one scored against the other, *before* adjudication.
  F1 is symmetric, so which side plays gold only swaps precision and recall.
- **baseline**: the pre-annotator run on each article's raw file alone, scored against the
  gold records.

A third generated block is the changelog's list of every annotation that moved since the
previous release (:mod:`belnews.release.changes`).

Each table is Markdown that DATASHEET.md, README.md and ANNOTATION.md embed between
``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` markers; ``belnews tables --write``
rewrites those blocks and a test fails when a committed block is stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from belnews.errors import RecordError

from .score import LAYERS, Score, score

#: The annotation sets the committed agreement table compares (first plays gold).
AGREEMENT_SETS = ("annotator-a", "annotator-b")
#: Which documents embed which table.
DOCUMENTS = {
    "agreement": ("DATASHEET.md", "ANNOTATION.md"),
    "baseline": ("DATASHEET.md", "README.md"),
    "changes": ("CHANGELOG.md",),
}
#: The release the changelog's generated list compares the current version with.
PREVIOUS = "0.1.0"


def set_records(corpus: Path, set_dir: Path) -> list[dict[str, Any]]:
    """Records built from the corpus raw files and metadata with one annotation set."""
    from belnews.corpus.ingest import record_from_corpus

    paths = sorted(set_dir.glob("*.toml"))
    if not paths:
        raise RecordError(f"{set_dir}: no annotation files (<id>.toml) in this set")
    for path in paths:
        if not (corpus / "raw" / path.name).with_suffix(".txt").exists():
            raise RecordError(f"{path}: the corpus has no raw article {path.stem!r}")
    return [record_from_corpus(corpus, path.stem, set_dir) for path in paths]


def agreement(corpus: Path, first: Path, second: Path) -> Score:
    """Annotation set ``second`` scored against set ``first`` (article by article)."""
    return score(set_records(corpus, second), set_records(corpus, first))


def suggested_records(corpus: Path) -> list[dict[str, Any]]:
    """The rule pre-annotator's records for every article, each from its raw file and the
    publication date alone (no annotation file is read)."""
    from belnews.corpus.ingest import make_record
    from belnews.corpus.preannotate import publication_date, suggest

    out = []
    for raw_path in sorted((corpus / "raw").glob("*.txt")):
        rid = raw_path.stem
        raw = raw_path.read_bytes()
        table = suggest(raw, anchor_date=publication_date(corpus, rid))
        out.append(make_record(rid, raw, raw_path.name, {"text_rights": "-"}, table))
    return out


def baseline(corpus: Path) -> Score:
    """The rule pre-annotator (:func:`suggested_records`) scored against the gold records."""
    from belnews.corpus.ingest import record_from_corpus

    gold = [record_from_corpus(corpus, p.stem) for p in sorted((corpus / "raw").glob("*.txt"))]
    return score(suggested_records(corpus), gold)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _kappa(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def to_markdown(result: Score, *, pred: str, gold: str) -> str:
    """Span F1 per layer, then agreement on matched pairs, as two Markdown tables."""
    data = result.to_dict()["layers"]
    lines = [
        f"Scored on {len(result.per_record)} article(s): {pred} against {gold} "
        "(`belnews evaluate`; F1 in %).",
        "",
        "| layer | exact F1 | overlap F1 | P (overlap) | R (overlap) | items (pred / gold) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in LAYERS:
        spans = data[name]["spans"]
        ex, ov = spans["exact"], spans["overlap"]
        lines.append(
            f"| {name} | {_pct(ex['f1'])} | {_pct(ov['f1'])} | {_pct(ov['precision'])} | "
            f"{_pct(ov['recall'])} | {ov['pred']} / {ov['gold']} |"
        )
    lines += [
        "",
        "| on matched pairs | value |",
        "| --- | --- |",
    ]
    q, f, e = (data[n] for n in LAYERS)
    rows: list[tuple[str, str]] = []
    for layer, title, attrs, kappas in (
        (
            q,
            "quotes",
            ("source", "source (overlap)", "cue", "speaker", "addressee", "time", "medium"),
            ("kind", "source_kind"),
        ),
        (
            f,
            "figures",
            ("value", "iso", "comparator", "measured_entity", "measured_property", "as_of"),
            ("kind",),
        ),
        (e, "entities", ("mention_type",), ("label",)),
    ):
        for attr in kappas:
            k = layer["agreement"].get(attr)
            if k:
                label = f"{title}: {attr} (Cohen's kappa, {k['pairs']} pairs)"
                rows.append((label, _kappa(k["kappa"])))
        for attr in attrs:
            a = layer["attributes"].get(attr)
            if a:
                value = f"{_pct(a['accuracy'])}% ({a['correct']}/{a['total']})"
                rows.append((f"{title}: {attr} agreement", value))
    for metric, title in (("muc", "MUC"), ("b_cubed", "B-cubed")):
        prf = e.get("coreference", {}).get(metric)
        if prf:
            rows.append((f"entities: coreference {title} F1", _pct(prf["f1"])))
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines) + "\n"


def agreement_markdown(corpus: Path, sets: Path | None = None) -> str:
    """The committed agreement table (annotator-b scored against annotator-a)."""
    sets = sets or corpus / "annotation-sets"
    a, b = AGREEMENT_SETS
    return to_markdown(
        agreement(corpus, sets / a, sets / b), pred=f"`{b}`", gold=f"`{a}`"
    )


def baseline_markdown(corpus: Path) -> str:
    """The committed baseline table (rule pre-annotator against the gold)."""
    return to_markdown(baseline(corpus), pred="the rule pre-annotator", gold="the gold")


def embed(document: str, name: str, markdown: str) -> str:
    """Replace the ``<!-- name:begin -->`` … ``<!-- name:end -->`` block of a document."""
    from belnews.release.stats import with_block

    return with_block(document, name, markdown)


def generated(root: Path) -> dict[str, str]:
    """Each embedded table, freshly computed from the checkout at ``root``."""
    from belnews import __version__
    from belnews.release.changes import diff_releases, release_records, render_markdown

    corpus = root / "corpus"
    moved = diff_releases(release_records(PREVIOUS, root), release_records(__version__, root))
    return {
        "agreement": agreement_markdown(corpus),
        "baseline": baseline_markdown(corpus),
        "changes": render_markdown(moved, old=PREVIOUS, new=__version__),
    }


def stale_documents(root: Path, tables: dict[str, str] | None = None) -> dict[str, str]:
    """Documents whose embedded tables differ from the computed ones: path -> new text."""
    tables = tables or generated(root)
    out: dict[str, str] = {}
    for name, docs in DOCUMENTS.items():
        for doc in docs:
            path = root / doc
            text = out.get(doc) or path.read_text(encoding="utf-8")
            new = embed(text, name, tables[name])
            if new != path.read_text(encoding="utf-8"):
                out[doc] = new
    return out
