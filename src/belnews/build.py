"""Validated records -> Parquet release files, manifest and dataset card header.

``build()`` refuses to write anything if a record is invalid. Its output is deterministic
(records sorted by id, no timestamps, fixed writer options), so the same corpus gives the same
bytes and a test can prove the committed ``data/`` is not stale. Every file is first written
to a temporary file beside its target and renamed only once all of them were written, the
manifest last: a failed build leaves the previous release untouched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from ._paths import corpus_dir, repo_root
from .errors import BuildError, Issue
from .records import iter_records

ARTICLES_FILE = "train-00000-of-00001.parquet"
SPANS_DIR = "spans"
MANIFEST_FILE = "MANIFEST.json"
#: Rows per Parquet row group: parallel readers need more than one group on big corpora.
ROW_GROUP_SIZE = 10_000
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9

CARD_LICENSE = {
    "license": "other",
    "license_name": "belnews-data",
    "license_link": "LICENSE-DATA.md",
}


@dataclass
class BuildResult:
    """What a build wrote (paths relative to the output folder) and its manifest."""

    out_dir: Path
    manifest: dict[str, Any]
    written: list[str] = field(default_factory=list)


def parquet_bytes(table: Any) -> bytes:
    """Serialize a table with fixed options so equal tables give equal bytes."""
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(
        table,
        sink,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        row_group_size=ROW_GROUP_SIZE,
        use_dictionary=True,
        write_statistics=True,
        store_schema=True,
    )
    return sink.getvalue()


def counts(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per layer and label, as recorded in the manifest and the datasheet."""
    quotes = Counter(q["kind"] for r in records for q in r["quotes"])
    figures = Counter(f["kind"] for r in records for f in r["figures"])
    labels = Counter(
        m["label"] for r in records for m in r["entities"] if m["mention_type"] == "name"
    )
    mention_types = Counter(m["mention_type"] for r in records for m in r["entities"])
    clusters = [c for r in records for c in r["clusters"]]
    return {
        "articles": len(records),
        "characters": sum(len(r["text"]) for r in records),
        "quotes": {"total": sum(quotes.values()), "by_kind": dict(sorted(quotes.items()))},
        "figures": {"total": sum(figures.values()), "by_kind": dict(sorted(figures.items()))},
        "entities": {
            "total": sum(mention_types.values()),
            "by_mention_type": dict(sorted(mention_types.items())),
            "names_by_label": dict(sorted(labels.items())),
        },
        "clusters": {
            "total": len(clusters),
            "wikidata_linked": sum(c["wikidata"] is not None for c in clusters),
        },
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_manifest(files: list[dict[str, Any]], records: list[dict[str, Any]]) -> dict[str, Any]:
    import pyarrow

    from .schema import schema_version

    return {
        "name": "belnews",
        "corpus_version": __version__,
        "schema_version": schema_version(),
        "offset_unit": "codepoint",
        "unicode_normalization": "NFC",
        "writer": f"pyarrow {pyarrow.__version__}",
        "files": files,
        "counts": counts(records),
    }


def card_header(manifest: dict[str, Any]) -> str:
    """The README's dataset-card YAML header, generated from the manifest and the schema."""
    import yaml

    from .arrow import card_features, span_card_features

    files = {f["config"]: f for f in manifest["files"]}
    info = []
    for config, features in (("default", card_features()), ("spans", span_card_features())):
        f = files[config]
        info.append(
            {
                "config_name": config,
                "features": features,
                "splits": [
                    {"name": "train", "num_bytes": f["arrow_bytes"], "num_examples": f["rows"]}
                ],
                "download_size": f["bytes"],
                "dataset_size": f["arrow_bytes"],
            }
        )
    card = {
        **CARD_LICENSE,
        "language": ["en"],
        "pretty_name": "belnews: annotated news on the 2020 Belarus protests",
        "tags": ["news", "quotation-attribution", "named-entities", "numbers", "belarus"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "configs": [
            {
                "config_name": "default",
                "default": True,
                "data_files": [{"split": "train", "path": "data/train-*.parquet"}],
            },
            {
                "config_name": "spans",
                "data_files": [{"split": "train", "path": f"data/{SPANS_DIR}/train-*.parquet"}],
            },
        ],
        "dataset_info": info,
    }
    body = yaml.safe_dump(card, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{body}---\n"


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def with_card_header(readme: str, header: str) -> str:
    """Replace (or add) the YAML front matter of a README."""
    if _FRONT_MATTER.match(readme):
        return _FRONT_MATTER.sub(lambda _m: header, readme, count=1)
    return header + readme


def collect_records(records_dir: Path) -> list[dict[str, Any]]:
    """Every record, validated; raises BuildError listing all issues if any is invalid."""
    from .validate import validate_path

    report = validate_path([records_dir])
    errors = [i for i in report.issues if i.severity == "error"]
    if errors:
        raise InvalidCorpusError(errors)
    if report.records == 0:
        raise BuildError(f"no records found in {records_dir}")
    return sorted((r for _p, r in iter_records(records_dir)), key=lambda r: r["id"])


class InvalidCorpusError(BuildError):
    """The corpus has invalid records, so nothing was built."""

    def __init__(self, issues: list[Issue]) -> None:
        from .render import issue_line

        self.issues = issues
        lines = "\n".join(issue_line(i) for i in issues[:50])
        more = f"\n… and {len(issues) - 50} more" if len(issues) > 50 else ""
        super().__init__(f"refusing to build: {len(issues)} error(s)\n{lines}{more}")


def render_outputs(records: list[dict[str, Any]]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """All release files as bytes, keyed by path relative to the data folder, plus manifest."""
    import pyarrow as pa

    from .arrow import records_to_table, span_rows, span_schema

    articles = records_to_table(records)
    spans = pa.Table.from_pylist(
        [row for r in records for row in span_rows(r)], schema=span_schema()
    )
    outputs: dict[str, bytes] = {}
    files = []
    for config, rel, table in (
        ("default", ARTICLES_FILE, articles),
        ("spans", f"{SPANS_DIR}/{ARTICLES_FILE}", spans),
    ):
        data = parquet_bytes(table)
        outputs[rel] = data
        files.append(
            {
                "path": rel,
                "config": config,
                "sha256": _sha256(data),
                "bytes": len(data),
                "rows": table.num_rows,
                "arrow_bytes": table.nbytes,
            }
        )
    manifest = make_manifest(files, records)
    outputs[MANIFEST_FILE] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    return outputs, manifest


def write_all_atomic(targets: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling, then rename them all (in the given order)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(tmp), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)  # mkstemp makes files private; release files are not
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _path in staged:
            tmp.unlink(missing_ok=True)


def build(
    corpus: Path | None = None,
    out_dir: Path | None = None,
    *,
    readme: Path | None = None,
) -> BuildResult:
    """Validate the corpus and write the Parquet release, its manifest and the card header.

    ``out_dir`` defaults to ``data/`` and ``readme`` to ``README.md`` of the checkout; pass a
    temporary folder (and ``readme=None`` with ``out_dir``) to build elsewhere.
    """
    corpus = corpus or corpus_dir()
    records = collect_records(corpus / "records")
    if out_dir is None:
        out_dir = repo_root() / "data"
        readme = readme or repo_root() / "README.md"
    outputs, manifest = render_outputs(records)
    targets = {out_dir / rel: data for rel, data in outputs.items() if rel != MANIFEST_FILE}
    if readme is not None:
        current = readme.read_text(encoding="utf-8") if readme.exists() else ""
        targets[readme] = with_card_header(current, card_header(manifest)).encode("utf-8")
    targets[out_dir / MANIFEST_FILE] = outputs[MANIFEST_FILE]  # last: it vouches for the rest
    write_all_atomic(targets)
    return BuildResult(out_dir, manifest, sorted(outputs))
