"""Pin the ids of the current release: writes releases/<version>.ids.json.

Usage: python scripts/freeze_ids.py

Run once when cutting a release. Tests then check that the current corpus still has every id
of every earlier release with the same major version (ids are stable; removing one is a
major change and must be listed in CHANGELOG.md).
"""

from __future__ import annotations

import json

from belnews import __version__
from belnews._paths import repo_root
from belnews.corpus.records import write_atomic
from belnews.corpus.store import load_corpus_records
from belnews.release.citation import annotation_ids

if __name__ == "__main__":
    path = repo_root() / "releases" / f"{__version__}.ids.json"
    ids = annotation_ids(load_corpus_records())
    write_atomic(path, (json.dumps(ids, indent=2) + "\n").encode())
    print(f"wrote {path}")
