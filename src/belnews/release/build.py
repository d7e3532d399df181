"""Validated records -> Parquet release shards, manifest and dataset card header.

``build()`` validates every record (syntax, schema, semantic checks, provenance) and refuses
to publish anything if one is invalid. It streams, so memory does not grow with the corpus:
record files are checked one at a time, JSONL in batches screened column by column
(:mod:`belnews.check.screen`; the batch's Arrow table is then written as read), and the
output goes out in shards of bounded size (:mod:`belnews.release.shards`), one folder per
config.

The output is deterministic (records in id order, no timestamps, fixed writer options), so
the same corpus gives the same bytes with the same pyarrow, and the same content with any.
The release is written whole or not at all (:mod:`belnews.release.commit`): a failed or
killed build leaves the previous release, and the next build cleans up after it.
"""

from __future__ import annotations

import json

# Heavier standard modules (json, hashlib, tempfile, io) are imported where they are used:
# this module is imported by `import belnews`, which must stay fast for the CLI.
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from belnews import __version__
from belnews._paths import corpus_dir, repo_root
from belnews.check.readers import Item, is_rows, iter_corpus_items
from belnews.errors import BuildError, Issue
from belnews.release.shards import (
    CONFIG_DIRS,
    ShardLimits,
    ShardWriters,
    writer_info,
)
from belnews.release.stats import Stats, to_markdown

MANIFEST_FILE = "MANIFEST.json"


#: Records checked together (in one worker); divides ROW_GROUP_SIZE exactly.
WINDOW = 250


#: Stop listing errors after this many (the count is still exact).
MAX_LISTED_ERRORS = 50


CARD_LICENSE = {
    "license": "other",
    "license_name": "belnews-data",
    "license_link": "LICENSE-DATA.md",
}


#: Codes only the build reports (it needs records in a fixed order).
BUILD_CODES = {
    "records-out-of-order": "a build input's record ids are not in increasing order",
}


@dataclass
class BuildResult:
    """Where a build wrote, and its manifest."""

    out_dir: Path
    manifest: dict[str, Any]


class InvalidCorpusError(BuildError):
    """The corpus has invalid records, so nothing was built."""

    def __init__(self, issues: list[Issue], total: int) -> None:
        from belnews.check.report import issue_line

        self.issues = issues
        lines = "\n".join(issue_line(i) for i in issues)
        more = f"\n… and {total - len(issues)} more" if total > len(issues) else ""
        super().__init__(f"refusing to build: {total} error(s)\n{lines}{more}")


def make_manifest(
    files: list[dict[str, Any]], counted: dict[str, Any], limits: ShardLimits | None = None
) -> dict[str, Any]:
    """The release's manifest: every shard with its checksum and row count, the counts, and
    what wrote the bytes (the pyarrow version and settings) and how the shards were cut."""
    from belnews.schema.record import schema_version

    return {
        "name": "belnews",
        "corpus_version": __version__,
        "schema_version": schema_version(),
        "offset_unit": "codepoint",
        "unicode_normalization": "NFC",
        "writer": writer_info(),
        "sharding": (limits or ShardLimits()).to_dict(),
        "files": files,
        "counts": counted,
    }


def config_totals(manifest: dict[str, Any], config: str) -> dict[str, int]:
    """A config's rows, Parquet bytes and Arrow bytes summed over its shards."""
    files = [f for f in manifest["files"] if f["config"] == config]
    return {key: sum(f[key] for f in files) for key in ("rows", "bytes", "arrow_bytes")}


def card_header(manifest: dict[str, Any]) -> str:
    """The README's dataset-card YAML header, generated from the manifest and the schema."""
    import yaml

    from belnews.release.spans import span_card_features
    from belnews.schema.arrow import card_features

    info = []
    for config, features in (("default", card_features()), ("spans", span_card_features())):
        f = config_totals(manifest, config)
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
                "config_name": config,
                **({"default": True} if config == "default" else {}),
                "data_files": [{"split": "train", "path": f"data/{folder}/train-*.parquet"}],
            }
            for config, folder in CONFIG_DIRS.items()
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


@dataclass
class _Window:
    """Records checked and prepared for writing (possibly in a worker)."""

    checked: list[Any]  # validate.Checked, in input order
    articles: Any = None  # Arrow table of the valid records (None: nothing to write)
    spans: Any = None  # their flat span table
    counts: Any = None  # spans per record
    stats: Stats | None = None


def _records_table(lines: list[bytes], records: list[dict[str, Any]]) -> Any:
    """Valid records as an Arrow table with the record schema."""
    from belnews.check.screen import read_json_lines
    from belnews.schema.arrow import arrow_schema, records_to_table

    table = read_json_lines(lines)
    if table is not None:
        return table.cast(arrow_schema())  # the reader drops top-level nullability and metadata
    try:  # e.g. a count beyond 32 bits: valid JSON Schema, but refused by the reader
        return records_to_table(records)
    except Exception as exc:  # pyarrow raises several types
        raise BuildError(f"valid records that Arrow cannot store: {exc}") from exc


def _finish(window: _Window, articles: Any) -> _Window:
    import numpy as np

    from belnews.release.spans import span_table

    window.articles = articles
    window.spans, window.counts = span_table(articles, with_counts=True)
    window.counts = np.asarray(window.counts)
    window.stats = Stats()
    window.stats.add_table(articles)
    return window


def _has_errors(checked: Any) -> bool:
    return any(i.severity == "error" for i in checked.issues)


def _prepare_window(args: tuple[list[Any], Path | None]) -> _Window:
    """Check a window of units, record by record, and prepare the valid ones for writing."""
    import orjson

    from belnews.check.validate import check_record_unit

    units, raw_dir = args
    window = _Window([])
    lines, records = [], []
    for unit in units:
        checked, record = check_record_unit(unit, raw_dir)
        window.checked.append(checked)
        if record is None or _has_errors(checked):
            continue
        data = unit[2]
        one_line = isinstance(data, bytes) and b"\n" not in data.strip()
        lines.append(data if one_line else orjson.dumps(record))
        records.append(record)
    if records and len(records) == len(units):
        _finish(window, _records_table(lines, records))
    return window


def _prepare_rows(unit: Any, raw_dir: Path | None, parsed: Any = None) -> _Window:
    """Check a batch of JSONL lines in columns (:func:`belnews.validate.check_rows`); when
    every record is valid, its Arrow table goes to the writers as it is."""
    import pyarrow as pa

    from belnews.check.validate import check_rows
    from belnews.schema.arrow import arrow_schema

    checked, table = check_rows(unit, raw_dir, parsed)
    if any(_has_errors(c) for c in checked):
        return _Window(checked)
    if table is None:  # every record valid, but the Arrow reader refused the block
        file, _line, rows = unit
        return _prepare_window(([rows.unit(file, i) for i in range(len(rows.numbers))], raw_dir))
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    return _finish(_Window(checked), table.cast(arrow_schema()))


def _prepare(args: tuple[list[Any], Path | None]) -> _Window:
    units, raw_dir = args
    if raw_dir is not None and not raw_dir.is_dir():
        # on a remote worker: without the raw files the provenance checks would be skipped
        raise BuildError(
            f"{raw_dir}: the raw folder is not visible where the records are checked; "
            "give every node of the cluster the corpus at the same path"
        )
    if len(units) == 1 and is_rows(units[0]):
        return _prepare_rows(units[0], raw_dir)
    return _prepare_window(args)


def _iter_windows(
    items: Iterable[Item],
    raw_dir: Path | None,
    jobs: int,
    engine: str = "local",
    address: str | None = None,
) -> Iterator[_Window]:
    """Prepared windows in input order; with jobs != 1 they are prepared in worker processes,
    with ``engine="ray"`` in Ray Data tasks (``jobs`` workers; 0: every CPU of the instance)
    on a local instance or the cluster at ``address``. A window carries its own lines, so a
    remote worker needs no shared file system; the driver writes the shards."""
    from belnews.check.scheduler import ordered_map, read_ahead, windows
    from belnews.check.validate import PARSE_AHEAD, parse_rows

    if engine != "local" or address is not None:
        from belnews.check.engines import open_engine

        tasks = ((window, raw_dir) for window in windows(items, WINDOW, alone=is_rows))
        with open_engine(engine, jobs=jobs, address=address) as runner:
            yield from runner.map(_prepare, tasks)
        return
    if jobs == 1:
        pending: list[Any] = []
        parse = partial(parse_rows, raw_dir=raw_dir)
        for unit, parsed in read_ahead(items, parse, is_rows, depth=PARSE_AHEAD):
            if is_rows(unit):
                if pending:
                    yield _prepare_window((pending, raw_dir))
                    pending = []
                yield _prepare_rows(unit, raw_dir, parsed)
                continue
            pending.append(unit)
            if len(pending) >= WINDOW:
                yield _prepare_window((pending, raw_dir))
                pending = []
        if pending:
            yield _prepare_window((pending, raw_dir))
        return
    tasks = ((window, raw_dir) for window in windows(items, WINDOW, alone=is_rows))
    yield from ordered_map(_prepare, tasks, jobs)


def build_from(
    items: Iterable[Item],
    out_dir: Path,
    *,
    root: Path | None = None,
    raw_dir: Path | None = None,
    jobs: int = 1,
    limits: ShardLimits | None = None,
    engine: str = "local",
    address: str | None = None,
) -> BuildResult:
    """Validate records (in id order) and write the release into ``out_dir``.

    With ``root``, also write the release's front files there: the README's card header,
    ``CITATION.cff``, ``croissant.json`` and the DATASHEET statistics.

    ``items`` yields ``(file, line, payload)`` per record, as :func:`iter_corpus_items` and
    :func:`iter_jsonl_items` do. Raises :class:`InvalidCorpusError` listing the errors (and
    changes nothing) if any record is invalid or the ids are not strictly increasing.
    ``jobs`` > 1 checks records in that many worker processes (0: one per CPU); the output
    is byte-identical either way. ``limits`` bounds the shards (default: 100,000 articles or
    500 MB of Arrow data each). ``engine="ray"`` (and ``address``) checks and prepares the
    records on Ray Data instead of local processes; the release is the same.
    """
    import shutil

    from belnews.check.memory import reuse_freed_memory
    from belnews.release.commit import commit, locked, new_staging, recover

    if raw_dir is not None and not raw_dir.is_dir():
        raise BuildError(f"{raw_dir}: no such folder (the raw files records are checked against)")
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    done = False
    try:
        with locked(out_dir):
            recover(out_dir)  # finish or clear what a killed build left
            staging = new_staging(out_dir)
            try:
                with reuse_freed_memory():
                    manifest, counted = _write_release(
                        items, staging, raw_dir, jobs, limits, engine, address
                    )
                front = {}
                if root is not None:
                    front = {
                        root / name: data
                        for name, data in front_files(root, manifest, to_markdown(counted)).items()
                    }
                commit(out_dir, staging, front)
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # gone already once committed
        done = True
    finally:
        if created and not done and not any(out_dir.iterdir()):
            out_dir.rmdir()
    return BuildResult(out_dir, manifest)


def _write_release(
    items: Iterable[Item],
    staging: Path,
    raw_dir: Path | None,
    jobs: int,
    limits: ShardLimits | None,
    engine: str = "local",
    address: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check every record and write the shards and manifest into ``staging``."""
    writers: ShardWriters | None = None
    listed: list[Issue] = []
    total_errors = 0
    tally = Stats()
    last_id: str | None = None
    try:
        for window in _iter_windows(items, raw_dir, jobs, engine, address):
            for checked in window.checked:
                found = [i for i in checked.issues if i.severity == "error"]
                rid = checked.record_id
                if rid is not None and last_id is not None and rid <= last_id:
                    code = "duplicate-record-id" if rid == last_id else "records-out-of-order"
                    found.append(
                        Issue(
                            code,
                            f"id {rid!r} comes after {last_id!r}; a build "
                            "needs unique ids in increasing order",
                            record_id=rid,
                            path="$.id",
                            file=checked.file,
                            line=checked.line,
                        )
                    )
                last_id = rid if rid is not None else last_id
                total_errors += len(found)
                listed.extend(found[: MAX_LISTED_ERRORS - len(listed)])
            if total_errors or window.articles is None:
                continue  # keep checking to report every error, but write nothing more
            if writers is None:
                writers = ShardWriters(staging, limits)
            writers.add(window.articles, window.spans, window.counts)
            tally.merge(window.stats)
        if total_errors:
            raise InvalidCorpusError(listed, total_errors)
        if writers is None:
            raise BuildError("no records to build")
        files = writers.close()
        writers = None
    finally:
        if writers is not None:
            writers.discard()
    counted = tally.result()
    manifest = make_manifest(files, counted, limits)
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (staging / MANIFEST_FILE).write_text(text, encoding="utf-8")
    return manifest, counted


def front_files(root: Path, manifest: dict[str, Any], stats_markdown: str) -> dict[str, bytes]:
    """The release's front files: README.md (card header), CITATION.cff, croissant.json and
    DATASHEET.md (statistics block), each generated from the same metadata and manifest."""

    from belnews.release.citation import citation_cff, croissant
    from belnews.release.stats import with_stats

    readme = root / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else ""
    document = json.dumps(croissant(manifest), indent=2, ensure_ascii=False) + "\n"
    out = {
        "README.md": with_card_header(current, card_header(manifest)).encode("utf-8"),
        "CITATION.cff": citation_cff().encode("utf-8"),
        "croissant.json": document.encode("utf-8"),
    }
    datasheet = root / "DATASHEET.md"
    if datasheet.exists():
        text = with_stats(datasheet.read_text(encoding="utf-8"), stats_markdown)
        out["DATASHEET.md"] = text.encode("utf-8")
    return out


def build(
    corpus: Path | None = None,
    out_dir: Path | None = None,
    *,
    root: Path | None = None,
    jobs: int = 1,
    limits: ShardLimits | None = None,
    engine: str = "local",
    address: str | None = None,
) -> BuildResult:
    """Validate the corpus and write the Parquet release, its manifest and front files.

    Defaults: ``corpus/`` of the checkout, ``data/`` beside it, and the checkout's root for
    README.md, CITATION.cff, croissant.json and DATASHEET.md. With an explicit ``out_dir``
    the front files are only written if ``root`` is given too.
    """
    corpus = corpus or corpus_dir()
    if out_dir is None:
        out_dir = repo_root() / "data"
        root = root or repo_root()
    raw = corpus / "raw"
    return build_from(
        iter_corpus_items(corpus / "records"),
        out_dir,
        root=root,
        raw_dir=raw if raw.is_dir() else None,
        jobs=jobs,
        limits=limits,
        engine=engine,
        address=address,
    )


def build_summary(out_dir: Any, manifest: dict[str, Any]) -> str:
    """What a build wrote, one line per file, then the counts."""
    lines = [
        f"built belnews {manifest['corpus_version']} (schema {manifest['schema_version']})"
        f" into {out_dir}"
    ]
    for f in manifest["files"]:
        lines.append(
            f"  {f['path']}: {f['rows']} rows, {f['bytes']} bytes, sha256 {f['sha256'][:12]}…"
        )
    c = manifest["counts"]
    lines.append(
        f"  {c['articles']} articles, {c['quotes']['total']} quotes, {c['figures']['total']} "
        f"figures, {c['entities']['mentions']} entity mentions in {c['clusters']['total']} "
        f"clusters ({c['clusters']['wikidata_linked']} linked to Wikidata)"
    )
    return "\n".join(lines)
