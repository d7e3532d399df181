"""Shards: the release's Parquet files, one folder per config, each file of bounded size.

Hugging Face lays a dataset's configs out as folders of ``train-00000-of-0000N.parquet``
files; so do we: ``articles/`` (the ``default`` config, one row per article) and ``spans/``
(one row per span). Shard *i* of ``spans/`` holds the spans of the articles in shard *i* of
``articles/``, so a reader can pair them without a join over the whole release.

Where a shard ends depends only on the records (their order and their Arrow size), never on
how the input was batched, on the writer's version or on compression: the limits count rows
and *Arrow* (uncompressed) bytes, as ``datasets`` does for its own ``max_shard_size``. Inside a
shard, a row group holds :data:`ROW_GROUP_SIZE` articles, or fewer where they pass
:data:`ROW_GROUP_BYTES` of Arrow data (and the last one), cut by the same rule.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Config name -> its folder in the release.
CONFIG_DIRS = {"default": "articles", "spans": "spans"}

#: Articles per Parquet row group: parallel readers need more than one group on big corpora.
ROW_GROUP_SIZE = 10_000

#: Arrow data per row group at most (by :func:`row_nbytes`; a group holds one article at
#: least). A reader holds a whole group in memory, so real-density articles (45 KB each) cut
#: groups by bytes long before 10,000 rows: a stream stays small, and the writing thread
#: compresses one group while the next is checked instead of everything at the end.
ROW_GROUP_BYTES = 64 * 1024 * 1024

#: Default shard limits. 500 MB of Arrow data is what ``datasets`` uses for ``push_to_hub``;
#: the row limit keeps shards of small records to a size a worker reads in seconds.
MAX_SHARD_ROWS = 100_000
MAX_SHARD_BYTES = 500 * 1000 * 1000

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3  # zstd's default: level 9 was 2.8x slower for a file 9% smaller


@dataclass(frozen=True)
class ShardLimits:
    """At most ``rows`` articles and ``bytes`` Arrow bytes of articles per shard (a single
    article larger than ``bytes`` gets a shard of its own)."""

    rows: int = MAX_SHARD_ROWS
    bytes: int = MAX_SHARD_BYTES

    def __post_init__(self) -> None:
        if self.rows < 1 or self.bytes < 1:
            raise ValueError(
                f"shard limits must be positive, not {self.rows} rows and {self.bytes} bytes"
            )

    def to_dict(self) -> dict[str, int]:
        return {"max_rows": self.rows, "max_bytes": self.bytes}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ShardLimits:
        if not data:
            return cls()
        return cls(int(data["max_rows"]), int(data["max_bytes"]))


def writer_info() -> dict[str, Any]:
    """What wrote the files, for the manifest: the bytes depend on it, the content does not."""
    import pyarrow

    return {
        "library": "pyarrow",
        "version": pyarrow.__version__,
        "compression": COMPRESSION,
        "compression_level": COMPRESSION_LEVEL,
        "row_group_size": ROW_GROUP_SIZE,
        "row_group_bytes": ROW_GROUP_BYTES,
    }


def shard_name(index: int, count: int) -> str:
    """``train-00001-of-00004.parquet``: the name Hugging Face gives shard ``index``."""
    return f"train-{index:05d}-of-{count:05d}.parquet"


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


def row_nbytes(data: Any) -> Any:
    """Each row's share of :func:`logical_nbytes` (bitmaps aside), as a float array: what
    decides where a shard ends. Vectorized: one pass per column, none per row."""
    import numpy as np
    import pyarrow as pa

    if isinstance(data, pa.Table):
        total = np.zeros(data.num_rows)
        for column in data.columns:
            total += np.concatenate([row_nbytes(c) for c in column.chunks] or [np.zeros(0)])
        return total
    n = len(data)
    kind = data.type
    if pa.types.is_struct(kind):
        total = np.zeros(n)
        for i in range(kind.num_fields):
            total += row_nbytes(data.field(i))
        return total
    if pa.types.is_string(kind) or pa.types.is_list(kind):
        offsets = np.frombuffer(data.buffers()[1], dtype=np.int32)[
            data.offset : data.offset + n + 1
        ].astype(np.int64)
        if pa.types.is_string(kind):
            return np.diff(offsets) + 4.0
        child = kind.value_type
        if pa.types.is_primitive(child) and not pa.types.is_boolean(child):
            # fixed-width items (offset maps: millions of them): no per-item array needed
            return np.diff(offsets) * (child.bit_width / 8) + 4.0
        first = int(offsets[0]) if n else 0
        inner = row_nbytes(data.values.slice(first, int(offsets[-1]) - first if n else 0))
        cumulative = np.concatenate([[0.0], np.cumsum(inner)])
        return cumulative[offsets[1:] - first] - cumulative[offsets[:-1] - first] + 4.0
    return np.full(n, kind.bit_width / 8)


@dataclass
class _Shard:
    """The shard being written: its two Parquet writers and what went into them."""

    index: int
    writers: tuple[Any, Any]
    paths: tuple[Path, Path]
    rows: int = 0
    span_rows: int = 0
    arrow_bytes: int = 0
    span_arrow_bytes: int = 0
    size: float = 0.0  # sum of row_nbytes, compared with the byte limit


class ShardWriters:
    """The two configs' shards, fed with tables of validated records in id order.

    Articles are written in row groups of at most ROW_GROUP_SIZE articles and
    ROW_GROUP_BYTES of Arrow data that never straddle a shard, and the spans of each
    group's articles in one write, so the files depend neither on how the input was batched
    nor on how it was split between workers. Parquet encoding and zstd run in a thread
    (pyarrow releases the GIL) while the next records are checked.
    """

    def __init__(self, out_dir: Path, limits: ShardLimits | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from belnews.release.spans import span_schema
        from belnews.schema.arrow import arrow_schema

        self.out_dir = out_dir
        self.limits = limits or ShardLimits()
        self.schemas = (arrow_schema(), span_schema())
        self.pending: list[tuple[Any, Any, Any, Any]] = []  # articles, spans, counts, sizes
        self.pending_rows = 0
        self.shard: _Shard | None = None
        self.done: list[_Shard] = []
        self.pool = ThreadPoolExecutor(max_workers=1)  # one task at a time, in order
        self.writing: tuple[_Shard, Any] | None = None  # the shard being written, its task

    def add(self, articles: Any, spans: Any, counts: Any) -> None:
        """Queue a table of records, its span table and each record's number of spans."""
        if not articles.num_rows:
            return
        self.pending.append((articles, spans, counts, row_nbytes(articles)))
        self.pending_rows += articles.num_rows
        self._drain(final=False)

    def _drain(self, final: bool) -> None:
        import numpy as np

        limits = self.limits
        while self.pending_rows:
            sizes = np.concatenate([p[3] for p in self.pending])
            shard = self.shard
            if shard is not None and (
                shard.rows >= limits.rows or shard.size + sizes[0] > limits.bytes
            ):
                self._close_shard()
                shard = None
            used_rows, used = (shard.rows, shard.size) if shard else (0, 0.0)
            cumulative = np.cumsum(sizes)
            fit = int(np.searchsorted(cumulative, limits.bytes - used, side="right"))
            group = max(int(np.searchsorted(cumulative, ROW_GROUP_BYTES, side="right")), 1)
            take = min(ROW_GROUP_SIZE, group, limits.rows - used_rows, max(fit, 0 if shard else 1))
            take = min(take, self.pending_rows)
            if take == self.pending_rows and take < ROW_GROUP_SIZE and not final:
                return  # the group (or shard) may still grow: wait for more records
            self._write(take, float(sizes[:take].sum()))

    def _write(self, rows: int, size: float) -> None:
        articles, spans, left = [], [], rows
        while left:
            table, span_table, counts, sizes = self.pending[0]
            take = min(left, table.num_rows)
            cut = int(counts[:take].sum())
            articles.append(table.slice(0, take))
            spans.append(span_table.slice(0, cut))
            if take == table.num_rows:
                self.pending.pop(0)
            else:
                self.pending[0] = (
                    table.slice(take),
                    span_table.slice(cut),
                    counts[take:],
                    sizes[take:],
                )
            left -= take
        self.pending_rows -= rows
        shard = self.shard or self._open_shard()
        shard.rows += rows
        shard.span_rows += sum(len(part) for part in spans)
        shard.size += size
        self._wait()
        self.writing = (shard, self.pool.submit(_write_group, shard.writers, articles, spans))

    def _open_shard(self) -> _Shard:
        import pyarrow.parquet as pq

        index = len(self.done)
        paths = tuple(
            self.out_dir / CONFIG_DIRS[c] / f"train-{index:05d}.parquet.part"
            for c in ("default", "spans")
        )
        options = {
            "compression": COMPRESSION,
            "compression_level": COMPRESSION_LEVEL,
            "use_dictionary": True,
            "write_statistics": True,
        }
        writers = []
        for path, schema in zip(paths, self.schemas, strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            writers.append(pq.ParquetWriter(path, schema, **options))
        self.shard = _Shard(index, (writers[0], writers[1]), (paths[0], paths[1]))
        return self.shard

    def _close_shard(self) -> None:
        shard, self.shard = self.shard, None
        if shard is not None:
            self._wait()
            self.writing = (shard, self.pool.submit(_close_writers, shard.writers))
            self.done.append(shard)

    def _wait(self) -> None:
        if self.writing is not None:
            (shard, writing), self.writing = self.writing, None
            sizes = writing.result()  # re-raises a failure of the writing thread
            if sizes is not None:
                shard.arrow_bytes += sizes[0]
                shard.span_arrow_bytes += sizes[1]

    def close(self) -> list[dict[str, Any]]:
        """Finish every shard, give them their final names, and return their manifest
        entries (paths relative to the release folder): articles shards, then spans."""
        from belnews.corpus.records import sha256_file

        self._drain(final=True)
        self._close_shard()
        self._wait()
        self.pool.shutdown()
        count = len(self.done)
        files: dict[str, list[dict[str, Any]]] = {"default": [], "spans": []}
        for shard in self.done:
            for config, part, rows, nbytes in (
                ("default", shard.paths[0], shard.rows, shard.arrow_bytes),
                ("spans", shard.paths[1], shard.span_rows, shard.span_arrow_bytes),
            ):
                final = part.with_name(shard_name(shard.index, count))
                os.replace(part, final)
                files[config].append(
                    {
                        "path": final.relative_to(self.out_dir).as_posix(),
                        "config": config,
                        "sha256": sha256_file(final),
                        "bytes": final.stat().st_size,
                        "rows": rows,
                        "arrow_bytes": nbytes,
                    }
                )
        return files["default"] + files["spans"]

    def discard(self) -> None:
        """Stop after a failure: close what is open (the caller removes the folder)."""
        import contextlib

        with contextlib.suppress(Exception):  # the failure being handled may be this one
            self._wait()
        self.pool.shutdown()
        for shard in [*self.done, *([self.shard] if self.shard else [])]:
            for writer in shard.writers:
                with contextlib.suppress(Exception):  # already failing or closed
                    writer.close()


def _write_group(
    writers: tuple[Any, Any], articles: list[Any], spans: list[Any]
) -> tuple[int, int]:
    """Write one row group of articles and their spans; return their Arrow sizes. Runs in
    the writing thread, the copy into one chunk per column too (pyarrow releases the GIL),
    while the next records are checked."""
    import pyarrow as pa

    # one chunk per column: page boundaries then do not depend on the input batches
    table = pa.concat_tables(articles).combine_chunks()
    span_table = pa.concat_tables(spans).combine_chunks()
    writers[0].write_table(table, row_group_size=ROW_GROUP_SIZE)
    writers[1].write_table(span_table, row_group_size=1 << 20)
    return logical_nbytes(table), logical_nbytes(span_table)


def _close_writers(writers: tuple[Any, Any]) -> None:
    for writer in writers:
        writer.close()
