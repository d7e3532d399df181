"""Throughput of `belnews validate` on the Ray Data engine (1 and 2 workers) next to the local
engine (1 and 2 processes) and an orjson parse of the same lines, on real-density records.

Usage: python benchmarks/ray_engine.py [--lines 4000] [--repeat 3] [--keep FILE.jsonl]

Needs ``pip install -e '.[ray]'``. The JSONL holds the committed records (corpus/records)
replicated with new ids, one per line. Ray runs on a local instance of 2 CPUs started once;
its start-up is reported on its own line, and a small warm-up run makes every worker import
belnews before the timed runs (a long job pays that once, not per piece). Each figure is the
median of ``--repeat`` runs; MB/s counts the JSONL bytes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(path: Path, lines: int) -> int:
    """The committed records, replicated with new ids, as compact JSONL; returns the bytes."""
    records = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpus" / "records").glob("*.json"))
    ]
    with path.open("wb") as out:
        for i in range(lines):
            record = dict(records[i % len(records)])
            record["id"] = f"bench-{i:08d}"
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
            out.write(b"\n")
    return path.stat().st_size


def parse(path: Path) -> int:
    import orjson

    with path.open("rb") as handle:
        return sum(1 for line in handle if orjson.loads(line) is not None)


def validate(path: Path, **options: object) -> int:
    from belnews.check.validate import iter_issues

    errors = sum(1 for i in iter_issues([path], **options) if i.severity == "error")
    assert errors == 0, errors
    return 0


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="write the JSONL here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="belnews-ray-bench-"))
    path = args.keep or work / "corpus.jsonl"
    size = write_corpus(path, args.lines)
    mb = size / 1e6
    print(f"{args.lines} records, {mb:.0f} MB of JSONL ({size / args.lines / 1e3:.1f} KB a line)")

    from belnews.check.engines.ray_data import connect

    start = time.perf_counter()
    connect()  # a local instance: 2 CPUs, no dashboard, no usage statistics
    print(f"Ray start-up: {time.perf_counter() - start:.1f} s (not in the figures below)")
    warm = work / "warm.jsonl"
    write_corpus(warm, 4)
    validate(warm, engine="ray", jobs=2)

    steps = {
        "orjson parse (baseline)": lambda: parse(path),
        "local engine, 1 process": lambda: validate(path),
        "local engine, 2 processes": lambda: validate(path, jobs=2),
        "ray engine, 1 worker": lambda: validate(path, engine="ray", jobs=1),
        "ray engine, 2 workers": lambda: validate(path, engine="ray", jobs=2),
    }
    base = None
    print(f"{'step':<28}{'seconds':>9}{'records/s':>11}{'MB/s':>8}{'x parse':>9}")
    for name, fn in steps.items():
        seconds = timed(fn, args.repeat)
        base = base or seconds
        print(
            f"{name:<28}{seconds:>9.2f}{args.lines / seconds:>11.0f}{mb / seconds:>8.1f}"
            f"{seconds / base:>9.2f}"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
