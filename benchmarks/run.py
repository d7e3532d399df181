"""Throughput benchmarks for build, validate and load, each against its baseline, in one run.

Usage, from a checkout set up as the README says:
    .venv/bin/python benchmarks/run.py [--sizes 10000,100000] [--corpora synthetic,real]
                                       [--stream-records 100000] [--keep DIR] [--repeat 3]

Run it with the Python of the environment belnews is installed in (the README's .venv; a
bare ``python`` outside it cannot import belnews). Each line with a target ends with the
target and whether the measured ratio meets it ("met" / "NOT MET"). Two corpora, both reported:

- ``synthetic``: scripts/make_synthetic.py, about 20 KB a line with the schema 2.0 fields;
- ``real``: real density, the corpus's own records replicated with new ids (increasing, as a
  build needs) and the two records in a shuffled order, so no two neighbouring lines are
  copies of each other and nothing is served from a cache (about 46 KB a line).

For each size and corpus it runs every measurement in a fresh child process (so timings are
cold and the peak memory is the step's own), ``--repeat`` rounds of all steps in turn (a slow
spell of a shared machine then hits a step and its baseline alike), and prints a table: the
median seconds, records per second, the ratio to the step's baseline, and the largest peak
RSS. ``--stream-records N`` also measures
``belnews.load(streaming=True)`` over a real-density release of N records (target: peak
memory under 500 MB for 100,000); it takes minutes, so it is off unless asked for.

Targets (from the issues; the table says, per target, whether it is met): build <= 2.5x an
orjson parse of the same JSONL (first milestone 3.0x); validation <= 1.5x that parse (first
milestone 2.0x); load(format="arrow") <= 1.2x
pyarrow.parquet.read_table(memory_map=True); load() faster than datasets.load_dataset("parquet")
cold, with no cache copy written; `belnews --help` <= 1.5x `python -c "import click"`.
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
errors = sum(1 for i in iter_issues([OUT + "/articles"]) if i.severity == "error")
assert errors == 0, errors
n = N
""",
    "read_table": """
import glob
import pyarrow as pa, pyarrow.parquet as pq
files = sorted(glob.glob(OUT + "/articles/*.parquet"))
n = pa.concat_tables([pq.read_table(f, memory_map=True) for f in files]).num_rows
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
ds = datasets.load_dataset("parquet", data_files=OUT + "/articles/*.parquet",
                           split="train", cache_dir=CACHE)
n = ds.num_rows
""",
    "load_belnews": """
from pathlib import Path
import belnews
ds = belnews.load(directory=Path(OUT))
n = ds.num_rows
""",
    "stream": """
from pathlib import Path
import belnews
n = 0
for row in belnews.load(streaming=True, directory=Path(OUT)):
    n += 1
assert n == N, n
""",
}

CHILD = """
import json, resource, sys, time
JSONL, OUT, CACHE, N = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
# the largest process: this one, or a worker it started (jobs=2)
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
print(json.dumps({{"seconds": seconds, "n": n, "maxrss_mb": peak / 1024}}))
"""


#: Rounds per measurement (--repeat): each round runs every step once, in the same order, so
#: a slow spell of a shared machine hits the step and its baseline alike; a step's time is
#: its median over the rounds, its peak RSS the largest (of the step's process or any
#: worker process it started, whichever was larger: not their sum).
REPEAT = 3


def run_once(step: str, jsonl: Path, out: Path, cache: Path, n: int) -> dict:
    code = CHILD.format(body=STEPS[step])
    done = subprocess.run(
        [sys.executable, "-c", code, str(jsonl), str(out), str(cache), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_steps(steps: list[str], jsonl: Path, out: Path, cache: Path, n: int) -> dict:
    """Every step, REPEAT rounds of all of them in turn: median seconds, largest peak RSS."""
    rounds: dict[str, list[dict]] = {step: [] for step in steps}
    for _ in range(REPEAT):
        for step in steps:
            if step.startswith("build"):  # a build needs a fresh output folder
                target = Path(str(out) + "-jobs") if step == "build_2_jobs" else out
                shutil.rmtree(target, ignore_errors=True)
            rounds[step].append(run_once(step, jsonl, out, cache, n))
    return {
        step: {
            "seconds": statistics.median(r["seconds"] for r in results),
            "n": results[0]["n"],
            "maxrss_mb": max(r["maxrss_mb"] for r in results),
        }
        for step, results in rounds.items()
    }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def startup(
    first: list[str], second: list[str], pycache: Path, repeat: int = 41
) -> tuple[float, float]:
    """Median wall time of two commands, run alternately so machine noise hits both alike.

    Both run with their modules' bytecode cached, as they are for anyone who installed the
    wheel (pip compiles it) or ran the command once: the cache goes to ``pycache``, so the
    checkout gets no __pycache__ folders, and PYTHONDONTWRITEBYTECODE (set on some machines,
    this one among them) would otherwise make every run compile belnews from source while
    click's bytecode came with its wheel."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    for argv in (first, second):  # writes the cache
        subprocess.run(argv, capture_output=True, check=True, env=env)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for argv, bucket in ((first, times[0]), (second, times[1])):
            t0 = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=env)
            bucket.append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1])


def verdict(ratio: float, limit: float) -> str:
    """A target's line ending: the limit and whether the measured ratio meets it."""
    return f"   target <= {limit}x: {'met' if ratio <= limit else 'NOT MET'}"


def target(result: dict, base: float, limit: float, milestone: float | None = None) -> str:
    """The verdict against the target, after the first milestone's when there is one."""
    ratio = result["seconds"] / base
    if milestone is None:
        return verdict(ratio, limit)
    first = f"   milestone <= {milestone}x: {'met' if ratio <= milestone else 'NOT MET'};"
    return first + verdict(ratio, limit).replace("   target", " stretch", 1)


def row(name: str, result: dict, base: float | None, n: int) -> str:
    ratio = f"{result['seconds'] / base:6.2f}x" if base else "      -"
    rate = n / result["seconds"] if result["seconds"] else float("inf")
    return (
        f"  {name:<34} {result['seconds']:9.2f} s {rate:12,.0f} rec/s {ratio}"
        f" {result['maxrss_mb']:9.0f} MB"
    )


def real_density(n: int, path: Path, seed: int = 7) -> None:
    """n records at the corpus's own density: the seed records replicated with new ids, in a
    shuffled order of the two (compact JSON, one a line, ids increasing)."""
    import random

    records = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpus" / "records").glob("*.json"))
    ]
    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as out:
        for i in range(n):
            record = dict(rng.choice(records))
            record["id"] = f"real-{i:08d}"
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    tmp.replace(path)


def make_corpus(kind: str, n: int, work: Path) -> Path:
    jsonl = work / f"{kind}-{n}.jsonl"
    if not jsonl.exists():
        if kind == "real":
            real_density(n, jsonl)
        else:
            script = ROOT / "scripts" / "make_synthetic.py"
            subprocess.run([sys.executable, str(script), str(n), str(jsonl)], check=True)
    return jsonl


def bench_size(n: int, work: Path, kind: str) -> None:
    jsonl = make_corpus(kind, n, work)
    out, cache = work / f"out-{kind}-{n}", work / f"hf-cache-{kind}-{n}"
    for folder in (out, Path(str(out) + "-jobs"), cache):
        shutil.rmtree(folder, ignore_errors=True)
    size = jsonl.stat().st_size
    print(
        f"\n{kind} corpus, {n:,} records "
        f"({size / 1e6:,.0f} MB of JSONL, {size / n / 1e3:.1f} KB a line)"
    )
    print(f"  {'step':<34} {'time':>11} {'throughput':>18} {'ratio':>7} {'peak RSS':>12}")
    first = ["parse", "build", "build_2_jobs", "validate_jsonl", "validate_jsonl_2_jobs"]
    r = run_steps([*first, "validate_parquet"], jsonl, out, cache, n)
    base = r["parse"]["seconds"]
    print(row("orjson parse of the JSONL (baseline)", r["parse"], None, n))
    print(
        row("build (validate + Arrow + zstd)", r["build"], base, n)
        + target(r["build"], base, 2.5, milestone=3.0)
    )
    print(row("  same, jobs=2", r["build_2_jobs"], base, n))
    print(
        row("validate JSONL (schema + semantic)", r["validate_jsonl"], base, n)
        + target(r["validate_jsonl"], base, 1.5, milestone=2.0)
    )
    print(row("  same, jobs=2", r["validate_jsonl_2_jobs"], base, n))
    print(row("validate Parquet", r["validate_parquet"], base, n))
    shards = sorted((out / "articles").glob("*.parquet"))
    print(
        f"  Parquet: {dir_size(out / 'articles') / 1e6:,.1f} MB in {len(shards)} shard(s), "
        f"{dir_size(out / 'spans') / 1e6:,.1f} MB span table"
    )
    r.update(run_steps(["read_table", "load_arrow", "load_arrow_noverify"], jsonl, out, cache, n))
    base = r["read_table"]["seconds"]
    print(row("pq.read_table(memory_map=True)", r["read_table"], None, n))
    print(
        row("belnews.load(format='arrow')", r["load_arrow"], base, n)
        + target(r["load_arrow"], base, 1.2)
    )
    print(row("  same, verify=False", r["load_arrow_noverify"], base, n))
    hf_home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    r["load_dataset_hf"] = _cold_hf(jsonl, out, cache, n)
    cache_bytes = dir_size(cache)
    before = dir_size(hf_home)
    r.update(run_steps(["load_belnews"], jsonl, out, cache, n))
    after = dir_size(hf_home)
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


def _cold_hf(jsonl: Path, out: Path, cache: Path, n: int) -> dict:
    """datasets.load_dataset cold: each round starts with an empty cache folder."""
    results = []
    for _ in range(REPEAT):
        shutil.rmtree(cache, ignore_errors=True)
        results.append(run_once("load_dataset_hf", jsonl, out, cache, n))
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "n": n,
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
    }


def bench_stream(n: int, work: Path) -> None:
    """Peak memory of streaming a real-density release of n records (built with the default
    shard limits, so it has several shards)."""
    jsonl = make_corpus("real", n, work)
    out, cache = work / f"out-stream-{n}", work / f"hf-cache-stream-{n}"
    shutil.rmtree(out, ignore_errors=True)
    built = run_once("build", jsonl, out, cache, n)
    shards = len(list((out / "articles").glob("*.parquet")))
    print(f"\nstreaming a real-density release of {n:,} records ({shards} shards)")
    print(row("build (for the stream)", built, None, n))
    result = run_once("stream", jsonl, out, cache, n)
    peak = result["maxrss_mb"]
    print(
        row("belnews.load(streaming=True), all rows", result, None, n)
        + f"   target peak < 500 MB: {'met' if peak < 500 else 'NOT MET'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--corpora", default="synthetic,real", help="synthetic, real or both")
    parser.add_argument(
        "--stream-records",
        type=int,
        default=0,
        help="also measure streaming a real-density release of this many records (0: skip)",
    )
    parser.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per measurement")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="belnews-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        beside = Path(sys.executable).parent / "belnews"  # this environment's, not PATH's
        belnews = str(beside) if beside.exists() else shutil.which("belnews") or "belnews"
        cli, click = startup(
            [belnews, "--help"], [sys.executable, "-c", "import click"], work / "pycache"
        )
        print(
            f"start-up: `belnews --help` {cli * 1000:.0f} ms vs `python -c 'import click'` "
            f"{click * 1000:.0f} ms = {cli / click:.2f}x" + verdict(cli / click, 1.5)
        )
        for kind in args.corpora.split(","):
            for n in (int(s) for s in args.sizes.split(",")):
                bench_size(n, work, kind)
        if args.stream_records:
            bench_stream(args.stream_records, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
