"""Validated records -> Parquet release files, manifest and dataset card header.

``build()`` validates every record (syntax, schema, semantic checks, provenance) and refuses
to publish anything if one is invalid. It streams, so memory does not grow with the corpus:
record files are checked one at a time, JSONL in batches screened column by column
(:mod:`belnews.columnar`; the batch's Arrow table is then written as read), and the output
goes out in row groups of exactly :data:`ROW_GROUP_SIZE` records.

The output is deterministic (records in id order, no timestamps, fixed writer options), so
the same corpus gives the same bytes and a test can prove the committed ``data/`` is fresh.
Every file is written to a temporary file beside its target and renamed only after all of
them are complete, the manifest last: a failed build leaves the previous release untouched.
"""

from __future__ import annotations

import json

# Heavier standard modules (json, hashlib, tempfile, io) are imported where they are used:
# this module is imported by `import belnews`, which must stay fast for the CLI.
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from belnews import __version__
from belnews._paths import corpus_dir, repo_root
from belnews.check.readers import Item, is_rows, iter_corpus_items
from belnews.corpus.records import sha256_file
from belnews.errors import BuildError, Issue
from belnews.release.stats import Stats, to_markdown

ARTICLES_FILE = "train-00000-of-00001.parquet"


SPANS_DIR = "spans"


MANIFEST_FILE = "MANIFEST.json"


#: Articles per Parquet row group: parallel readers need more than one group on big corpora.
ROW_GROUP_SIZE = 10_000


COMPRESSION = "zstd"


COMPRESSION_LEVEL = 3  # zstd's default: level 9 was 2.8x slower for a file 9% smaller


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


def make_manifest(files: list[dict[str, Any]], counted: dict[str, Any]) -> dict[str, Any]:
    import pyarrow

    from belnews.schema.record import schema_version

    return {
        "name": "belnews",
        "corpus_version": __version__,
        "schema_version": schema_version(),
        "offset_unit": "codepoint",
        "unicode_normalization": "NFC",
        "writer": f"pyarrow {pyarrow.__version__}",
        "files": files,
        "counts": counted,
    }


def card_header(manifest: dict[str, Any]) -> str:
    """The README's dataset-card YAML header, generated from the manifest and the schema."""
    import yaml

    from belnews.release.spans import span_card_features
    from belnews.schema.arrow import card_features

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


class _Staged:
    """A temporary file beside its final path, renamed only by :func:`_commit`."""

    def __init__(self, final: Path) -> None:
        import tempfile

        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        os.close(fd)
        self.final, self.tmp = final, Path(tmp)

    def write_bytes(self, data: bytes) -> None:
        self.tmp.write_bytes(data)


def _commit(staged: list[_Staged]) -> None:
    """Flush every staged file to disk, then rename them all in order."""
    for item in staged:
        fd = os.open(item.tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(item.tmp, 0o644)  # mkstemp makes files private; release files are not
    for item in staged:
        os.replace(item.tmp, item.final)


class _Writers:
    """The two Parquet outputs, fed with tables of validated records.

    Articles are written in row groups of exactly ROW_GROUP_SIZE (the last one shorter), and
    the spans of each row group's articles in one write, so the files do not depend on how
    the input was batched or split between workers.
    """

    def __init__(self, out_dir: Path) -> None:
        import pyarrow.parquet as pq

        from belnews.release.spans import span_schema
        from belnews.schema.arrow import arrow_schema

        self.schema, self.span_schema = arrow_schema(), span_schema()
        self.articles = _Staged(out_dir / ARTICLES_FILE)
        self.spans = _Staged(out_dir / SPANS_DIR / ARTICLES_FILE)
        options = {
            "compression": COMPRESSION,
            "compression_level": COMPRESSION_LEVEL,
            "use_dictionary": True,
            "write_statistics": True,
        }
        self.article_writer = pq.ParquetWriter(self.articles.tmp, self.schema, **options)
        self.span_writer = pq.ParquetWriter(self.spans.tmp, self.span_schema, **options)
        self.pending: list[tuple[Any, Any, Any]] = []  # (articles, spans, spans per article)
        self.pending_rows = 0
        # Parquet encoding and zstd run in a thread (pyarrow releases the GIL), one row group
        # at a time, while the next records are checked
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1)
        self.writing: Any = None
        self.rows = self.span_rows = self.arrow_bytes = self.span_arrow_bytes = 0

    def add(self, articles: Any, spans: Any, counts: Any) -> None:
        """Queue a table of records, its span table and each record's number of spans."""
        if not articles.num_rows:
            return
        self.pending.append((articles, spans, counts))
        self.pending_rows += articles.num_rows
        while self.pending_rows >= ROW_GROUP_SIZE:
            self._write(ROW_GROUP_SIZE)

    def _write(self, rows: int) -> None:
        import pyarrow as pa

        articles, spans, left = [], [], rows
        while left:
            table, span_table, counts = self.pending[0]
            take = min(left, table.num_rows)
            cut = int(counts[:take].sum())
            articles.append(table.slice(0, take))
            spans.append(span_table.slice(0, cut))
            if take == table.num_rows:
                self.pending.pop(0)
            else:
                self.pending[0] = (table.slice(take), span_table.slice(cut), counts[take:])
            left -= take
        self.pending_rows -= rows
        # one chunk per column: page boundaries then do not depend on the input batches
        table = pa.concat_tables(articles).combine_chunks()
        span_table = pa.concat_tables(spans).combine_chunks()
        self._wait()
        self.writing = self.pool.submit(self._write_group, table, span_table)
        self.rows += table.num_rows
        self.span_rows += span_table.num_rows
        self.arrow_bytes += logical_nbytes(table)
        self.span_arrow_bytes += logical_nbytes(span_table)

    def _write_group(self, table: Any, span_table: Any) -> None:
        self.article_writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
        self.span_writer.write_table(span_table, row_group_size=1 << 20)

    def _wait(self) -> None:
        if self.writing is not None:
            writing, self.writing = self.writing, None
            writing.result()  # re-raises a failure of the writing thread

    def close(self) -> list[dict[str, Any]]:
        if self.pending_rows:
            self._write(self.pending_rows)
        self._wait()
        self.pool.shutdown()
        self.article_writer.close()
        self.span_writer.close()
        out_dir = self.articles.final.parent
        files = []
        for config, staged, rows, nbytes in (
            ("default", self.articles, self.rows, self.arrow_bytes),
            ("spans", self.spans, self.span_rows, self.span_arrow_bytes),
        ):
            files.append(
                {
                    "path": staged.final.relative_to(out_dir).as_posix(),
                    "config": config,
                    "sha256": sha256_file(staged.tmp),
                    "bytes": staged.tmp.stat().st_size,
                    "rows": rows,
                    "arrow_bytes": nbytes,
                }
            )
        return files

    def discard(self) -> None:
        import contextlib

        with contextlib.suppress(Exception):  # the failure being handled may be this one
            self._wait()
        self.pool.shutdown()
        for writer in (self.article_writer, self.span_writer):
            with contextlib.suppress(Exception):  # already failing or closed; temp files go next
                writer.close()
        for staged in (self.articles, self.spans):
            staged.tmp.unlink(missing_ok=True)


def logical_nbytes(data: Any) -> int:
    """The Arrow size of a table or array from its content alone: value bytes, offsets, and
    a validity bitmap where there are nulls. (``Table.nbytes`` also counts bitmaps that were
    allocated without need, which depends on how the table was built.)"""
    import numpy as np
    import pyarrow as pa

    if isinstance(data, pa.Table):
        return sum(logical_nbytes(c) for column in data.columns for c in column.chunks)
    n = len(data)
    kind = data.type
    size = (n + 7) // 8 if data.null_count else 0
    if pa.types.is_struct(kind):
        return size + sum(logical_nbytes(data.field(i)) for i in range(kind.num_fields))
    if pa.types.is_boolean(kind):
        return size + (n + 7) // 8
    if pa.types.is_string(kind) or pa.types.is_list(kind):
        offsets = np.frombuffer(data.buffers()[1], dtype=np.int32)[
            data.offset : data.offset + n + 1
        ]
        first, last = (int(offsets[0]), int(offsets[-1])) if n else (0, 0)
        size += 4 * (n + 1)
        if pa.types.is_string(kind):
            return size + last - first
        return size + logical_nbytes(data.values.slice(first, last - first))
    return size + n * kind.bit_width // 8


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
    if len(units) == 1 and is_rows(units[0]):
        return _prepare_rows(units[0], raw_dir)
    return _prepare_window(args)


def _iter_windows(items: Iterable[Item], raw_dir: Path | None, jobs: int) -> Iterator[_Window]:
    """Prepared windows in input order; with jobs != 1 they are prepared in worker processes."""
    from belnews.check.scheduler import ordered_map, read_ahead, windows
    from belnews.check.validate import parse_rows

    if jobs == 1:
        pending: list[Any] = []
        for unit, parsed in read_ahead(items, partial(parse_rows, raw_dir=raw_dir), is_rows):
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
) -> BuildResult:
    """Validate records (in id order) and write the release into ``out_dir``.

    With ``root``, also write the release's front files there: the README's card header,
    ``CITATION.cff``, ``croissant.json`` and the DATASHEET statistics.

    ``items`` yields ``(file, line, payload)`` per record, as :func:`iter_corpus_items` and
    :func:`iter_jsonl_items` do. Raises :class:`InvalidCorpusError` listing the errors (and
    writes nothing) if any record is invalid or the ids are not strictly increasing.
    ``jobs`` > 1 checks records in that many worker processes (0: one per CPU); the output
    is byte-identical either way.
    """

    writers: _Writers | None = None
    staged: list[_Staged] = []
    listed: list[Issue] = []
    total_errors = 0
    tally = Stats()
    last_id: str | None = None
    try:
        for window in _iter_windows(items, raw_dir, jobs):
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
                writers = _Writers(out_dir)
                staged += [writers.articles, writers.spans]
            writers.add(window.articles, window.spans, window.counts)
            tally.merge(window.stats)
        if total_errors:
            raise InvalidCorpusError(listed, total_errors)
        if writers is None:
            raise BuildError("no records to build")
        files = writers.close()
        counted = tally.result()
        manifest = make_manifest(files, counted)
        if root is not None:
            for name, data in front_files(root, manifest, to_markdown(counted)).items():
                front = _Staged(root / name)
                staged.append(front)
                front.write_bytes(data)
        last = _Staged(out_dir / MANIFEST_FILE)  # last: it vouches for the rest
        staged.append(last)
        last.write_bytes((json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
        _commit(staged)
        return BuildResult(out_dir, manifest)
    finally:
        if writers is not None:
            writers.discard()
        for item in staged:
            item.tmp.unlink(missing_ok=True)


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
