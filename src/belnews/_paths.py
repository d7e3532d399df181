"""Where the package finds its schema, its release and the corpus a command works on.

Two kinds of place hold belnews data:

- a **checkout** of the repository: a folder with ``corpus/records/`` and
  ``schema/article.schema.json`` (and ``data/``, the built release);
- the **installed release**: the schema and the built Parquet files that the wheel carries in
  ``belnews/_data`` (in an editable install, the checkout the package was imported from).

:func:`locate` finds the corpus a command should read the way git finds its repository: an
explicit ``--root``, else the ``BELNEWS_ROOT`` environment variable, else the nearest checkout
at or above the current folder, else the installed release. Commands that can answer from the
release (summary, stats, show, validate, cite) take the last; those that read or write the
source corpus (records, build) ask :meth:`Source.require_checkout`, which stops with
:data:`NEEDS_CHECKOUT` rather than answer about an empty folder. Every other module asks here,
so no path is hard-coded twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from belnews.errors import Error

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE_DIR / "_data"
_REPO_ROOT = _PACKAGE_DIR.parent.parent

#: The environment variable that names a checkout, like ``--root``.
ROOT_ENV = "BELNEWS_ROOT"
#: What a command that needs the source corpus says when it has none.
NEEDS_CHECKOUT = "this command needs a checkout of the corpus: run it inside one or pass --root"
#: The files whose presence makes a folder a belnews checkout.
MARKERS = ("corpus/records", "schema/article.schema.json")


class LocateError(Error):
    """No corpus where one was asked for (a ``--root`` that is no checkout, or none at all)."""


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
    """The folder holding the installed release: the built Parquet files and their manifest."""
    return _first_existing("data")


def corpus_dir() -> Path:
    """The source corpus of the checkout the package was imported from (library default)."""
    return _REPO_ROOT / "corpus"


def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` holds a belnews corpus: ``corpus/records/`` and the schema."""
    records, schema = (folder / m for m in MARKERS)
    return records.is_dir() and schema.is_file()


def find_checkout(start: Path) -> Path | None:
    """The nearest checkout at or above ``start`` (as git looks for ``.git``), or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_checkout(folder):
            return folder
    return None


@dataclass(frozen=True)
class Source:
    """The corpus a command works on: a checkout, or (``checkout=None``) the installed release.

    ``how`` says how it was found, for messages: ``--root``, ``BELNEWS_ROOT``, ``the current
    folder`` or ``the installed release``.
    """

    checkout: Path | None
    how: str

    def require_checkout(self) -> Path:
        """The checkout's root; raises :class:`LocateError` for the installed release."""
        if self.checkout is None:
            raise LocateError(NEEDS_CHECKOUT)
        return self.checkout

    @property
    def corpus(self) -> Path:
        """``corpus/`` of the checkout (raises :class:`LocateError` without one)."""
        return self.require_checkout() / "corpus"

    @property
    def data(self) -> Path:
        """The release to read: the checkout's ``data/``, or the installed one."""
        return self.checkout / "data" if self.checkout is not None else data_dir()

    def default_inputs(self) -> list[Path]:
        """What ``belnews validate`` checks when given no path: the checkout's records, or
        the articles files of the installed release."""
        if self.checkout is not None:
            return [self.corpus / "records"]
        return release_files(self.data)


def locate(
    root: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Source:
    """Find the corpus: ``root``, else ``$BELNEWS_ROOT``, else the nearest checkout at or above
    ``cwd`` (default: the current folder), else the installed release.

    An explicit ``root`` or ``BELNEWS_ROOT`` that is not a checkout is an error rather than a
    silent fall-back, since the user said where to look.
    """
    environ = os.environ if environ is None else environ
    for value, how in ((root, "--root"), (environ.get(ROOT_ENV) or None, ROOT_ENV)):
        if value is None:
            continue
        folder = Path(value).expanduser()
        if not is_checkout(folder):
            raise LocateError(
                f"{how} {str(value)!r} is not a belnews checkout "
                f"(expected {' and '.join(MARKERS)} in it)"
            )
        return Source(folder.resolve(), how)
    found = find_checkout(cwd or Path.cwd())
    if found is not None:
        return Source(found, "the current folder")
    return Source(None, "the installed release")


def release_files(directory: Path, config: str = "default") -> list[Path]:
    """The files of one config of a built release, as its manifest lists them.

    Reads the manifest rather than a fixed file name, so the release may shard or move its
    files. Raises :class:`LocateError` if there is no readable manifest or it lists no file.
    """
    manifest = directory / "MANIFEST.json"
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        found = [directory / f["path"] for f in files if f.get("config") == config]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LocateError(f"{manifest}: no readable release manifest ({exc})") from exc
    if not found:
        raise LocateError(f"{manifest} lists no file for config {config!r}")
    return found
