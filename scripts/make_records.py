"""Regenerate corpus/records/*.json from corpus/raw, corpus/meta and corpus/annotations.

Usage: python scripts/make_records.py [--check]

With --check nothing is written and the exit status is 1 when a committed record is stale.
Same as `belnews records [--check]`.
"""

from __future__ import annotations

import sys

from belnews.corpus.store import regenerate

if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    changed = regenerate(check=check)
    verb = "stale" if check else "rewritten"
    print(f"{len(changed)} record(s) {verb}: {', '.join(changed) or '-'}")
    sys.exit(1 if check and changed else 0)
