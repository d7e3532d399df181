"""Where the package finds its schema and data.

In an installed wheel the schema and the built data live in ``belnews/_data``; in a source
checkout they live at the repository root. Every other module asks here, so no path is
hard-coded twice.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE_DIR / "_data"
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def repo_root() -> Path:
    """The checkout this package was imported from (meaningful only in a source checkout)."""
    return _REPO_ROOT


def _first_existing(relative: str) -> Path:
    packaged = _PACKAGED / relative
    if packaged.exists():
        return packaged
    return _REPO_ROOT / relative


def schema_path() -> Path:
    """The record contract, ``article.schema.json``."""
    return _first_existing("schema/article.schema.json")


def source_schema_path(name: str) -> Path:
    """The shape of a corpus source file: ``annotations`` or ``meta`` (TOML read as JSON)."""
    return _first_existing(f"schema/{name}.toml.schema.json")


def data_dir() -> Path:
    """The folder holding the built Parquet files and their manifest."""
    return _first_existing("data")


def corpus_dir() -> Path:
    """The source corpus (raw articles, sidecars, annotation sources, records); checkout only."""
    return _REPO_ROOT / "corpus"
