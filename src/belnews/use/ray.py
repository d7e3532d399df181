"""The release as a Ray Data dataset, for Ray Train ingestion.

The Parquet files are the ones the manifest lists for a config (``files`` entries), so a
release of one file and a release of many shards in per-config folders load the same way.
Ray is imported here, inside the function, never at ``import belnews``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from belnews.check.engines.ray_data import connect
from belnews.use.loader import shards
from belnews.use.loader import verify as verified_paths


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
    # the loader's own listing: only the files the committed manifest lists, checksums checked
    if verify:
        paths = verified_paths(config, directory)
    else:
        paths = [path for path, _entry, _key in shards(config, directory)]
    connect(address)
    import ray.data

    dataset = ray.data.read_parquet([str(p) for p in paths], file_extensions=None)
    # rows in manifest order (shard by shard), as load() gives them; this dataset only
    dataset.context.execution_options.preserve_order = True
    return dataset
