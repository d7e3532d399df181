"""``belnews build --check``: does the committed release hold what the corpus builds?

The release's bytes are reproducible only with the pyarrow that wrote them, so the check
compares *content*: it rebuilds into a temporary folder (with the committed release's shard
limits) and compares the manifests' logical fields (everything but checksums, file sizes and
the writer) and every shard's Arrow table, schema metadata included. With a checkout root it
also checks that the front files (card header, croissant.json, CITATION.cff, DATASHEET
statistics) are the ones the committed manifest generates. Nothing in the checkout is
written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Manifest fields that depend on the bytes written, not on the content.
BYTE_FIELDS = ("sha256", "bytes")
WRITER_FIELDS = ("writer",)


def logical_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without what the writer decides (checksums, sizes, writer version)."""
    out = {k: v for k, v in manifest.items() if k not in WRITER_FIELDS}
    out["files"] = [
        {k: v for k, v in f.items() if k not in BYTE_FIELDS} for f in manifest.get("files", [])
    ]
    return out


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    from belnews.release.commit import MANIFEST_FILE

    try:
        return json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def compare_manifests(committed: dict[str, Any], rebuilt: dict[str, Any]) -> list[str]:
    """What differs between two manifests' logical fields, one line each."""
    old, new = logical_manifest(committed), logical_manifest(rebuilt)
    out = []
    for key in sorted(set(old) | set(new)):
        if key in ("files", "counts") or old.get(key) == new.get(key):
            continue
        out.append(f"manifest {key}: committed {old.get(key)!r}, the corpus gives {new.get(key)!r}")
    if old.get("counts") != new.get("counts"):
        out += _dict_diff("manifest counts", old.get("counts") or {}, new.get("counts") or {})
    old_files = {f["path"]: f for f in old["files"]}
    new_files = {f["path"]: f for f in new["files"]}
    for path in sorted(set(old_files) | set(new_files)):
        if path not in new_files:
            out.append(f"{path}: in the release, but the corpus builds no such file")
        elif path not in old_files:
            out.append(f"{path}: missing from the release")
        elif old_files[path] != new_files[path]:
            out += _dict_diff(path, old_files[path], new_files[path])
    return out


def _dict_diff(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += _dict_diff(f"{where}.{key}", a, b)
        else:
            out.append(f"{where}.{key}: committed {a!r}, the corpus gives {b!r}")
    return out


def compare_tables(
    committed_dir: Path, rebuilt_dir: Path, files: list[dict[str, Any]]
) -> list[str]:
    """Each committed shard against its rebuilt twin: checksum against the manifest first,
    then Arrow content (schema, metadata and values)."""
    import pyarrow.parquet as pq

    from belnews.corpus.records import sha256_file

    out = []
    for entry in files:
        path, twin = committed_dir / entry["path"], rebuilt_dir / entry["path"]
        if not path.is_file() or not twin.is_file():
            continue  # already reported by the manifest comparison
        if sha256_file(path) != entry["sha256"]:
            out.append(f"{entry['path']}: its sha256 is not the one the manifest lists")
            continue
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            out.append(f"{entry['path']}: cannot be read ({exc})")
            continue
        rebuilt = pq.read_table(twin)
        if not table.schema.equals(rebuilt.schema, check_metadata=True):
            out.append(f"{entry['path']}: its schema differs from the one the corpus builds")
        elif not table.equals(rebuilt):
            out.append(f"{entry['path']}: its rows differ from the ones the corpus builds")
    return out


def check_release(
    corpus: Path | None = None,
    out_dir: Path | None = None,
    *,
    root: Path | None = None,
    jobs: int = 1,
    limits: Any = None,
    engine: str = "local",
    address: str | None = None,
) -> list[str]:
    """Rebuild the corpus in a temporary folder and list how the release differs from it
    (an empty list: the release matches). Defaults as :func:`belnews.release.build.build`;
    the shard limits default to the committed manifest's."""
    import tempfile

    from belnews._paths import corpus_dir, repo_root
    from belnews.release.build import build
    from belnews.release.commit import committed_dir
    from belnews.release.shards import ShardLimits

    corpus = corpus or corpus_dir()
    if out_dir is None:
        out_dir = repo_root() / "data"
        root = root or repo_root()
    folder = committed_dir(out_dir)
    committed = _read_manifest(folder)
    if committed is None:
        return [f"{out_dir}: no readable MANIFEST.json: the release has not been built"]
    if limits is None:
        limits = ShardLimits.from_dict(committed.get("sharding"))
    with tempfile.TemporaryDirectory(prefix="belnews-check-") as tmp:
        rebuilt = build(
            corpus,
            Path(tmp) / "data",
            jobs=jobs,
            limits=limits,
            engine=engine,
            address=address,
        ).manifest
        out = compare_manifests(committed, rebuilt)
        out += compare_tables(folder, Path(tmp) / "data", committed["files"])
    if root is not None:
        out += compare_front_files(root, committed)
    return out


def compare_front_files(root: Path, manifest: dict[str, Any]) -> list[str]:
    """Front files that are not what the committed manifest generates."""
    from belnews.release.build import front_files
    from belnews.release.stats import to_markdown

    out = []
    for name, data in front_files(root, manifest, to_markdown(manifest["counts"])).items():
        path = root / name
        if not path.is_file() or path.read_bytes() != data:
            out.append(f"{name}: not what the release's manifest generates (run `belnews build`)")
    return out
