"""Converters between belnews records and the formats of annotation tools and NLP libraries.

One module per format (``belnews.interchange.<format>``); this registry names them, says
which can import, and which optional extra each needs. Every export returns a
:class:`~.common.LossReport`; every import writes ``corpus/annotations/<id>.toml`` with
status ``contributed_unreviewed`` only after the real ingest and the validator accept it.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .common import LossReport

#: Names re-exported from :mod:`.common`, imported when first asked for: ``belnews --help``
#: loads this registry, and should not pay for what only a conversion needs.
_COMMON = ("InterchangeError", "LossReport", "MissingExtra")


def __getattr__(name: str) -> Any:
    if name in _COMMON:
        from . import common

        return getattr(common, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Format(NamedTuple):
    name: str
    module: str
    title: str
    extra: str | None  # the pip extra holding its library, None when it needs none
    imports: bool


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("labelstudio", "labelstudio", "Label Studio tasks JSON", "labelstudio", True),
        Format("inception", "inception", "INCEpTION / WebAnno UIMA CAS XMI", "inception", True),
        Format("brat", "brat", "brat standoff", None, True),
        Format("spacy", "spacy_docbin", "spaCy DocBin", "spacy", False),
        Format("conll", "conll", "CoNLL-2003 / IOB2", None, True),
        Format("hf", "hf", "Hugging Face token classification", "hf", False),
        Format("w3c", "w3c", "W3C Web Annotation JSON-LD", None, True),
    )
}


def get(name: str) -> Format:
    from .common import InterchangeError

    if name not in FORMATS:
        raise InterchangeError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    return FORMATS[name]


def module(name: str) -> Any:
    return import_module(f".{get(name).module}", __name__)


def read_record(path: Path) -> dict[str, Any]:
    """A record file as a plain dict (no validation)."""
    import json

    from .common import InterchangeError

    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InterchangeError(f"{path}: cannot read the record: {exc}") from exc
    if not isinstance(value, dict) or "id" not in value or "text" not in value:
        raise InterchangeError(f"{path}: not a belnews record (no id or text)")
    return value


def export_records(
    fmt: str, records: list[dict[str, Any]], out: Path, **options: Any
) -> list[LossReport]:
    """Export records in a format into ``out``; one loss report per record."""
    mod = module(fmt)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if hasattr(mod, "export_many"):
        return list(mod.export_many(records, out, **options))
    return [mod.export(record, out, **options) for record in records]


class Imported(NamedTuple):
    record_id: str
    path: Path
    record: dict[str, Any]
    loss: LossReport
    warnings: list[str]


def import_file(
    fmt: str, path: Path, corpus: Path | None = None, *, force: bool = False, **options: Any
) -> Imported:
    """Import a foreign file as ``<corpus>/annotations/<id>.toml`` (see the module doc)."""
    from .annotations import corpus_text, write_import
    from .common import InterchangeError

    info = get(fmt)
    if not info.imports:
        raise InterchangeError(f"{fmt}: this format is export-only")
    if corpus is None:
        from belnews._paths import corpus_dir

        corpus = corpus_dir()
    path = Path(path)
    if not path.exists():
        raise InterchangeError(f"{path}: no such file")
    rid, layers, loss = module(fmt).load(
        path, lambda rid: corpus_text(Path(corpus), rid), **options
    )
    written = write_import(
        Path(corpus), rid, layers, source=f"{info.title} ({path.name})",
        annotator=f"import:{fmt}", force=force,
    )  # fmt: skip
    return Imported(rid, written.path, written.record, loss, written.warnings)


__all__ = [
    "FORMATS",
    "Format",
    "Imported",
    "InterchangeError",
    "LossReport",
    "MissingExtra",
    "export_records",
    "get",
    "import_file",
    "module",
    "read_record",
]
