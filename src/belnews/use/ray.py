"""The release as a Ray Data dataset, for Ray Train ingestion.

The Parquet files are the ones the manifest lists for a config (``files`` entries), so a
release of one file and a release of many shards in per-config folders load the same way.
Ray is imported here, inside the function, never at ``import belnews``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from belnews._paths import data_dir
from belnews.check.engines.ray_data import connect
from belnews.corpus.records import sha256_file
from belnews.use.loader import CONFIGS, DataIntegrityError, manifest


def release_files(config: str = "default", directory: Path | None = None) -> list[Path]:
    """The Parquet files of a config, in manifest order (shards in their numbered order)."""
    if config not in CONFIGS:
        raise ValueError(f"config must be one of {CONFIGS}, not {config!r}")
    folder = directory or data_dir()
    entries = [f for f in manifest(folder)["files"] if f.get("config") == config]
    if not entries:
        raise DataIntegrityError(f"the manifest in {folder} lists no file for config {config!r}")
    paths = []
    for entry in entries:
        path = folder / entry["path"]
        if not path.is_file():
            raise DataIntegrityError(f"{path} is missing (the manifest lists it)")
        paths.append(path)
    return paths


def verify_files(config: str = "default", directory: Path | None = None) -> list[Path]:
    """The files of a config after checking each one's SHA-256 against the manifest."""
    folder = directory or data_dir()
    entries = {f["path"]: f for f in manifest(folder)["files"] if f.get("config") == config}
    paths = release_files(config, folder)
    for path in paths:
        expected = entries[path.relative_to(folder).as_posix()]["sha256"]
        found = sha256_file(path)
        if found != expected:
            raise DataIntegrityError(
                f"{path} does not match the manifest: sha256 {found} but expected {expected}. "
                "Rebuild with `belnews build`, reinstall the package, or pass verify=False."
            )
    return paths


def ray_dataset(
    config: str = "default",
    *,
    verify: bool = True,
    directory: Path | None = None,
    address: str | None = None,
) -> Any:
    """The release as a ``ray.data.Dataset`` (one row per article, or per span for
    ``config="spans"``), read lazily from the Parquet files the manifest lists, in their order.

    verify: check every file's SHA-256 against the manifest first. address: a Ray cluster to
    join if this process is not connected yet (default: a local instance); on a cluster the
    files must be where the workers can read them (a shared file system).
    """
    paths = verify_files(config, directory) if verify else release_files(config, directory)
    connect(address)
    import ray.data

    dataset = ray.data.read_parquet([str(p) for p in paths], file_extensions=None)
    # rows in manifest order (shard by shard), as load() gives them; this dataset only
    dataset.context.execution_options.preserve_order = True
    return dataset
