"""Helpers shared by the release tests: a corpus copy and a checkout-like folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS, RECORD_IDS, ROOT


def corpus_copy(where: Path, ids: tuple[str, ...] = RECORD_IDS) -> Path:
    """A copy of the seed corpus holding only the records ``ids``."""
    shutil.copytree(CORPUS, where)
    shutil.rmtree(where / "annotation-sets")  # the agreement sets are not build input
    for folder in where.iterdir():
        for path in folder.iterdir():
            if path.stem not in ids:
                path.unlink()
    return where


def checkout(where: Path) -> Path:
    """A folder with the checkout's front files (README.md, DATASHEET.md, ...) to build into."""
    where.mkdir(parents=True, exist_ok=True)
    for name in ("README.md", "DATASHEET.md", "CITATION.cff", "croissant.json"):
        shutil.copy(ROOT / name, where / name)
    shutil.copytree(ROOT / "schema", where / "schema", dirs_exist_ok=True)  # marks a checkout
    return where


def leftovers(out: Path) -> list[str]:
    """Anything a build leaves besides the release: staging, pending, temporary files."""
    return sorted(p.relative_to(out.parent).as_posix() for p in out.parent.rglob(".*"))
