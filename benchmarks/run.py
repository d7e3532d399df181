"""Throughput benchmarks for build, validate and load, each against its baseline, in one run.

Usage, from a checkout set up as the README says: .venv/bin/python benchmarks/run.py
[--sizes 10000,100000] [--keep DIR]

Run it with the Python of the environment belnews is installed in (the README's .venv; a
bare ``python`` outside it cannot import belnews). For each size it generates a
synthetic corpus (scripts/make_synthetic.py), then runs every measurement in a fresh child
process (so timings are cold and the peak memory is the step's own) and prints a table:
seconds, records per second, the ratio to the step's baseline, and peak RSS; each line with
a target ends with the target and whether the measured ratio meets it ("met" / "NOT MET")

Targets (from the issues): build <= 2.5x an orjson parse of the same JSONL; validation
<= 1.5x that parse; load(format="arrow") <= 1.2x pyarrow.parquet.read_table(memory_map=True);
load() faster than datasets.load_dataset("parquet") cold, with no cache copy written;
`belnews --help` <= 1.5x `python -c "import click"`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEPS = {
    "parse": """
import orjson
n = 0
with open(JSONL, "rb") as f:
    for line in f:
        orjson.loads(line); n += 1
""",
    "build": """
from pathlib import Path
from belnews.release.build import build_from
from belnews.check.readers import iter_jsonl_items
r = build_from(iter_jsonl_items(Path(JSONL)), Path(OUT))
n = r.manifest["counts"]["articles"]
""",
    "build_2_jobs": """
from pathlib import Path
from belnews.release.build import build_from
from belnews.check.readers import iter_jsonl_items
r = build_from(iter_jsonl_items(Path(JSONL)), Path(OUT + "-jobs"), jobs=2)
n = r.manifest["counts"]["articles"]
""",
    "validate_jsonl_2_jobs": """
from belnews.check.validate import iter_issues
errors = sum(1 for i in iter_issues([JSONL], jobs=2) if i.severity == "error")
assert errors == 0, errors
n = N
""",
    "validate_jsonl": """
from belnews.check.validate import iter_issues
errors = sum(1 for i in iter_issues([JSONL]) if i.severity == "error")
assert errors == 0, errors
n = N
""",
    "validate_parquet": """
from belnews.check.validate import iter_issues
errors = sum(1 for i in iter_issues([OUT + "/train-00000-of-00001.parquet"])
             if i.severity == "error")
assert errors == 0, errors
n = N
""",
    "read_table": """
import pyarrow.parquet as pq
n = pq.read_table(OUT + "/train-00000-of-00001.parquet", memory_map=True).num_rows
""",
    "load_arrow": """
from pathlib import Path
import belnews
n = belnews.load(format="arrow", directory=Path(OUT)).num_rows
""",
    "load_arrow_noverify": """
from pathlib import Path
import belnews
n = belnews.load(format="arrow", directory=Path(OUT), verify=False).num_rows
""",
    "load_dataset_hf": """
import datasets
datasets.disable_progress_bars()
ds = datasets.load_dataset("parquet", data_files=OUT + "/train-00000-of-00001.parquet",
                           split="train", cache_dir=CACHE)
n = ds.num_rows
""",
    "load_belnews": """
from pathlib import Path
import belnews
ds = belnews.load(directory=Path(OUT))
n = ds.num_rows
""",
}

CHILD = """
import json, resource, sys, time
JSONL, OUT, CACHE, N = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
print(json.dumps({{"seconds": seconds, "n": n,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_step(step: str, jsonl: Path, out: Path, cache: Path, n: int) -> dict:
    code = CHILD.format(body=STEPS[step])
    done = subprocess.run(
        [sys.executable, "-c", code, str(jsonl), str(out), str(cache), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def startup(first: list[str], second: list[str], repeat: int = 41) -> tuple[float, float]:
    """Median wall time of two commands, run alternately so machine noise hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for argv, bucket in ((first, times[0]), (second, times[1])):
            t0 = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            bucket.append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1])


def verdict(ratio: float, limit: float) -> str:
    """A target's line ending: the limit and whether the measured ratio meets it."""
    return f"   target <= {limit}x: {'met' if ratio <= limit else 'NOT MET'}"


def target(result: dict, base: float, limit: float) -> str:
    return verdict(result["seconds"] / base, limit)


def row(name: str, result: dict, base: float | None, n: int) -> str:
    ratio = f"{result['seconds'] / base:6.2f}x" if base else "      -"
    rate = n / result["seconds"] if result["seconds"] else float("inf")
    return (
        f"  {name:<34} {result['seconds']:9.2f} s {rate:12,.0f} rec/s {ratio}"
        f" {result['maxrss_mb']:9.0f} MB"
    )


def bench_size(n: int, work: Path) -> None:
    jsonl, out, cache = work / f"syn-{n}.jsonl", work / f"out-{n}", work / f"hf-cache-{n}"
    if not jsonl.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_synthetic.py"), str(n), str(jsonl)],
            check=True,
        )
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"\n{n:,} records ({jsonl.stat().st_size / 1e6:,.0f} MB of JSONL)")
    print(f"  {'step':<34} {'time':>11} {'throughput':>18} {'ratio':>7} {'peak RSS':>12}")
    r = {step: None for step in STEPS}
    r["parse"] = run_step("parse", jsonl, out, cache, n)
    r["build"] = run_step("build", jsonl, out, cache, n)
    r["build_2_jobs"] = run_step("build_2_jobs", jsonl, out, cache, n)
    r["validate_jsonl"] = run_step("validate_jsonl", jsonl, out, cache, n)
    r["validate_jsonl_2_jobs"] = run_step("validate_jsonl_2_jobs", jsonl, out, cache, n)
    r["validate_parquet"] = run_step("validate_parquet", jsonl, out, cache, n)
    base = r["parse"]["seconds"]
    print(row("orjson parse of the JSONL (baseline)", r["parse"], None, n))
    print(
        row("build (validate + Arrow + zstd)", r["build"], base, n)
        + target(r["build"], base, 2.5)
    )
    print(row("  same, jobs=2", r["build_2_jobs"], base, n))
    print(
        row("validate JSONL (schema + semantic)", r["validate_jsonl"], base, n)
        + target(r["validate_jsonl"], base, 1.5)
    )
    print(row("  same, jobs=2", r["validate_jsonl_2_jobs"], base, n))
    print(row("validate Parquet", r["validate_parquet"], base, n))
    parquet = out / "train-00000-of-00001.parquet"
    print(
        f"  Parquet: {parquet.stat().st_size / 1e6:,.1f} MB, "
        f"{dir_size(out / 'spans') / 1e6:,.1f} MB span table"
    )
    for step in ("read_table", "load_arrow", "load_arrow_noverify"):
        r[step] = run_step(step, jsonl, out, cache, n)
    base = r["read_table"]["seconds"]
    print(row("pq.read_table(memory_map=True)", r["read_table"], None, n))
    print(
        row("belnews.load(format='arrow')", r["load_arrow"], base, n)
        + target(r["load_arrow"], base, 1.2)
    )
    print(row("  same, verify=False", r["load_arrow_noverify"], base, n))
    r["load_dataset_hf"] = run_step("load_dataset_hf", jsonl, out, cache, n)
    cache_bytes = dir_size(cache)
    before = dir_size(Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")))
    r["load_belnews"] = run_step("load_belnews", jsonl, out, cache, n)
    after = dir_size(Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")))
    base = r["load_dataset_hf"]["seconds"]
    print(
        row("datasets.load_dataset('parquet') cold", r["load_dataset_hf"], None, n)
        + f"   cache written: {cache_bytes / 1e6:,.0f} MB"
    )
    print(
        row("belnews.load() -> datasets.Dataset", r["load_belnews"], base, n)
        + f"   cache written: {(after - before) / 1e6:,.0f} MB"
        + target(r["load_belnews"], base, 1.0)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="belnews-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        beside = Path(sys.executable).parent / "belnews"  # this environment's, not PATH's
        belnews = str(beside) if beside.exists() else shutil.which("belnews") or "belnews"
        cli, click = startup([belnews, "--help"], [sys.executable, "-c", "import click"])
        print(
            f"start-up: `belnews --help` {cli * 1000:.0f} ms vs `python -c 'import click'` "
            f"{click * 1000:.0f} ms = {cli / click:.2f}x" + verdict(cli / click, 1.5)
        )
        for n in (int(s) for s in args.sizes.split(",")):
            bench_size(n, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
