"""Load the released corpus in the form training code wants, in one call.

``belnews.load()`` reads the shipped Parquet shards directly (no second copy in the Hugging
Face cache), reads only the files the manifest lists, checks each one's SHA-256 against it,
and returns a ``datasets.Dataset`` with exact features; ``streaming=True`` gives a
``datasets.IterableDataset`` that verifies each shard as it reaches it.
``format="arrow" | "pandas" | "records"`` give a ``pyarrow.Table``, a
``pandas.DataFrame`` or a list of :class:`belnews.model.Article`. Heavy libraries are imported
here, inside the functions, never at ``import belnews``.
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
from pathlib import Path
from typing import Any

from belnews._paths import data_dir
from belnews.corpus.records import sha256_file
from belnews.errors import Error

FORMATS = ("datasets", "arrow", "pandas", "records")
CONFIGS = ("default", "spans")

_verified: dict[tuple[str, int, int], str] = {}


class DataIntegrityError(Error):
    """A shipped data file is missing or differs from what the manifest says."""


def manifest(directory: Path | None = None) -> dict[str, Any]:
    """The release manifest (files, checksums, counts, versions), its shape checked."""
    return _release(directory)[1]


def _release(directory: Path | None) -> tuple[Path, dict[str, Any]]:
    """The committed release's folder and manifest (a build being published reads from
    its ``.pending`` folder until every file is in place; see :mod:`belnews.release.commit`)."""
    import json

    from belnews.release.commit import committed_dir

    folder = committed_dir(directory or data_dir())
    path = folder / "MANIFEST.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataIntegrityError(
            f"no manifest at {path}: the corpus has not been built (run `belnews build`)"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(f"{path} cannot be read: {exc}") from exc
    except ValueError as exc:
        raise DataIntegrityError(f"{path} is not valid JSON: {exc}") from exc
    return folder, _checked_manifest(value, path)


#: What the loader reads from each entry of ``files`` (other keys are left alone).
_ENTRY_KEYS = {
    "config": (str, "a string"),
    "path": (str, "a string"),
    "sha256": (str, "a string"),
    "bytes": (int, "an integer"),
}


def _checked_manifest(value: Any, path: Path) -> dict[str, Any]:
    """``value`` if it has the shape the loader relies on; otherwise a DataIntegrityError
    naming the manifest, the JSON path and what was expected (never a KeyError later)."""

    def bad(where: str, expected: str, found: Any) -> DataIntegrityError:
        shown = repr(found) if len(repr(found)) <= 80 else repr(found)[:77] + "..."
        what = "nothing" if isinstance(found, _Missing) else f"{_json_name(found)} {shown}"
        return DataIntegrityError(
            f"{path}: {where}: expected {expected}, found {what}; "
            "the manifest is damaged: rebuild with `belnews build` or reinstall the package"
        )

    if not isinstance(value, dict):
        raise bad("$", "a JSON object", value)
    files = value.get("files", _Missing())
    if not isinstance(files, list):
        raise bad("$.files", "an array of file entries", files)
    for i, entry in enumerate(files):
        if not isinstance(entry, dict):
            raise bad(f"$.files[{i}]", "an object", entry)
        for key, (kind, expected) in _ENTRY_KEYS.items():
            if key not in entry:
                raise bad(f"$.files[{i}]", f"the key {key!r} ({expected})", _Missing())
            found = entry[key]
            if not isinstance(found, kind) or isinstance(found, bool):
                raise bad(f"$.files[{i}].{key}", expected, found)
        if entry["bytes"] < 0:
            raise bad(f"$.files[{i}].bytes", "a size of 0 or more", entry["bytes"])
        if not _SHA256.fullmatch(entry["sha256"]):
            raise bad(f"$.files[{i}].sha256", "64 lowercase hex digits", entry["sha256"])
        if _escapes(entry["path"]):
            raise DataIntegrityError(
                f"{path}: $.files[{i}].path: {entry['path']!r} is not a relative path inside "
                f"{path.parent} (absolute, or holding '..'): refused"
            )
    return value


_SHA256 = re.compile(r"[0-9a-f]{64}")


class _Missing:
    """Stands for a key the manifest does not have."""


def _json_name(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array"}
    return "null" if value is None else names.get(type(value), "object")


def _escapes(relative: str) -> bool:
    """True for a manifest path that is absolute (POSIX or Windows), empty, or holds ``..``."""
    from pathlib import PurePosixPath, PureWindowsPath

    if not relative or "\x00" in relative:
        return True
    posix, windows = PurePosixPath(relative), PureWindowsPath(relative)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or windows.root:
        return True
    return ".." in posix.parts or ".." in windows.parts


Shard = tuple[Path, dict[str, Any], tuple[str, int, int]]


def shards(config: str = "default", directory: Path | None = None) -> list[Shard]:
    """The files the manifest lists for a config, in order: (path, manifest entry, cache key).

    Only listed files are ever read, so a stray file in the folder never joins the data.
    """
    if config not in CONFIGS:
        raise ValueError(f"config must be one of {CONFIGS}, not {config!r}")
    folder, listing = _release(directory)
    out = []
    for entry in listing["files"]:
        if entry["config"] != config:
            continue
        path = folder / entry["path"]
        try:
            stat = path.stat()
        except OSError as exc:
            raise DataIntegrityError(f"{path} is missing (the manifest lists it)") from exc
        out.append((path, entry, (str(path), stat.st_size, stat.st_mtime_ns)))
    if not out:
        raise DataIntegrityError(
            f"{folder / 'MANIFEST.json'}: lists no file for config {config!r}"
        )
    return out


def verify(config: str = "default", directory: Path | None = None) -> list[Path]:
    """Check every shard of a config against the manifest and return their paths.

    A file is hashed once per process while its size and modification time stay the same.
    """
    paths = []
    for path, entry, key in shards(config, directory):
        _compare(path, _verified.get(key) or sha256_file(path), entry, key)
        paths.append(path)
    return paths


def _compare(path: Path, found: str, entry: dict[str, Any], key: tuple[str, int, int]) -> None:
    if found != entry["sha256"]:
        raise DataIntegrityError(
            f"{path} does not match the manifest: sha256 {found} but expected "
            f"{entry['sha256']} ({key[1]} bytes, expected {entry['bytes']}). The file "
            "was changed or only partly copied: rebuild with `belnews build`, reinstall the "
            "package, or pass verify=False to load it anyway."
        )
    _verified[key] = found


def load_arrow(
    config: str = "default", *, verify: bool = True, directory: Path | None = None
) -> Any:
    """The corpus as a ``pyarrow.Table`` (memory-mapped reads of every shard, in order).

    With ``verify``, each file is hashed in a thread while it is read (both release the
    GIL), and the table is returned only if every checksum matches the manifest. A read
    that fails because a build committed a new release meanwhile is tried once more.
    """
    listed = shards(config, directory)
    try:
        return _read_shards(listed, verify)
    except (DataIntegrityError, OSError):
        again = shards(config, directory)
        if [(p, e) for p, e, _k in again] == [(p, e) for p, e, _k in listed]:
            raise  # the same release in the same place: the damage is real
        return _read_shards(again, verify)


def _read_shards(listed: list[Shard], verify: bool) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not verify:
        return _concat([pq.read_table(path, memory_map=True) for path, _e, _k in listed])
    from concurrent.futures import ThreadPoolExecutor

    tables: list[pa.Table] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for path, entry, key in listed:
            if key in _verified:
                _compare(path, _verified[key], entry, key)
                tables.append(pq.read_table(path, memory_map=True))
                continue
            digest = pool.submit(sha256_file, path)
            try:
                table = pq.read_table(path, memory_map=True)
            except Exception:
                _compare(path, digest.result(), entry, key)  # a damaged file: say so
                raise
            _compare(path, digest.result(), entry, key)
            tables.append(table)
    return _concat(tables)


def _concat(tables: list[Any]) -> Any:
    import pyarrow as pa

    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def load(
    format: str = "datasets",
    *,
    config: str = "default",
    verify: bool = True,
    streaming: bool = False,
    directory: Path | None = None,
) -> Any:
    """Load the corpus.

    format: ``"datasets"`` (a ``datasets.Dataset`` with exact features), ``"arrow"``,
    ``"pandas"`` or ``"records"`` (frozen :class:`~belnews.model.Article` objects; articles
    config only). config: ``"default"`` (one row per article) or ``"spans"`` (one row per
    span). verify: check each shard's SHA-256 against the manifest first. streaming: a
    ``datasets.IterableDataset`` that reads one shard at a time (format ``"datasets"`` only).
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    if streaming:
        if format != "datasets":
            raise ValueError(
                "streaming=True returns a datasets.IterableDataset: use format='datasets'"
            )
        return stream(config, verify=verify, directory=directory)
    if format == "datasets" and "datasets" not in sys.modules:
        # `import datasets` takes about as long as reading the file: do both at once (the
        # import lock makes to_dataset's own import wait for this one)
        import pyarrow.dataset  # noqa: F401 - both threads need it; import it here first

        threading.Thread(target=importlib.import_module, args=("datasets",)).start()
    table = load_arrow(config, verify=verify, directory=directory)
    if format == "arrow":
        return table
    if format == "pandas":
        return table.to_pandas()
    if format == "records":
        if config != "default":
            raise ValueError("format='records' is only available for the default config")
        from belnews.use.model import Article

        return [Article.from_dict(row) for row in table.to_pylist()]
    listed = [f for f in manifest(directory)["files"] if f["config"] == config]
    digest = listed[0]["sha256"] if len(listed) == 1 else _joint_digest(listed)
    return to_dataset(table, fingerprint=f"belnews-{config}-{digest[:32]}")


def _joint_digest(entries: list[dict[str, Any]]) -> str:
    import hashlib

    return hashlib.sha256("".join(e["sha256"] for e in entries).encode()).hexdigest()


#: Rows read from Parquet at a time while streaming (memory stays bounded by this).
STREAM_BATCH_ROWS = 256


def stream(config: str = "default", *, verify: bool = True, directory: Path | None = None) -> Any:
    """A ``datasets.IterableDataset`` over the shards, one at a time.

    Each shard is checked against the manifest when the iteration reaches it, before any
    of its rows is yielded: a damaged shard raises :class:`DataIntegrityError` there. The
    dataset has one shard per file, so ``DataLoader`` workers split the files between them.
    """
    import datasets
    import pyarrow.parquet as pq

    listed = shards(config, directory)
    features = datasets.Features.from_arrow_schema(pq.read_schema(listed[0][0]))
    return datasets.IterableDataset.from_generator(
        _stream_rows,
        features=features,
        gen_kwargs={
            "files": [(str(p), e["sha256"], e["bytes"]) for p, e, _k in listed],
            "verify": verify,
        },
    )


def _stream_rows(files: list[tuple[str, str, int]], verify: bool) -> Any:
    """The rows of the given shards, each shard verified before its first row."""
    import pyarrow.parquet as pq

    for name, sha256, size in files:
        path = Path(name)
        if verify:
            stat = path.stat()
            key = (name, stat.st_size, stat.st_mtime_ns)
            entry = {"sha256": sha256, "bytes": size}
            _compare(path, _verified.get(key) or sha256_file(path), entry, key)
        handle = pq.ParquetFile(path)
        for batch in handle.iter_batches(batch_size=STREAM_BATCH_ROWS):
            yield from batch.to_pylist()


def to_dataset(table: Any, fingerprint: str | None = None) -> Any:
    """A ``datasets.Dataset`` over an in-memory table, typed by the features in its metadata.

    Pass a ``fingerprint`` when one is known (the file's checksum): otherwise ``datasets``
    hashes the whole table to make one, which costs more than reading the file.
    """
    import datasets
    from datasets.table import InMemoryTable

    features = datasets.Features.from_arrow_schema(table.schema)
    return datasets.Dataset(
        InMemoryTable(table), info=datasets.DatasetInfo(features=features), fingerprint=fingerprint
    )
