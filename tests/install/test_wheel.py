"""The wheel itself, installed into a fresh virtual environment and run from a folder outside
any checkout: every command gives a real answer or the exit-2 message (issue 12).

Offline: the wheel is built without build isolation (hatchling is in the ``test`` extra) and
installed with ``--no-deps --no-index``; its dependencies come from this environment, whose
site-packages a ``.pth`` file makes visible to the new one. A path listed in a ``.pth`` file
is only appended to ``sys.path`` (its own ``.pth`` files are not run), so this checkout's
editable install stays invisible and ``belnews`` is imported from the wheel.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from belnews import __version__
from belnews._paths import NEEDS_CHECKOUT, ROOT_ENV
from belnews.review.show import show_record
from conftest import RECORD_IDS, ROOT, committed_record

NOTE_PREFIX = "belnews: no checkout here; reading the installed release in "


def run(argv: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in (ROOT_ENV, "PYTHONPATH")}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          **kw)


@pytest.fixture(scope="module", name="installed")
def _installed(tmp_path_factory):
    """(bin folder, site-packages, a folder outside any checkout) of a venv with the wheel."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--no-index", "-q", "-w", str(dist), str(ROOT)], cwd=base)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("belnews-*.whl")
    assert wheel.name == f"belnews-{__version__}-py3-none-any.whl"
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    pure = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
               cwd=base).stdout.strip()
    (Path(pure) / "outer-environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    done = run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                "--no-deps", "--no-index", str(wheel)], cwd=base)
    assert done.returncode == 0, done.stderr
    outside = base / "elsewhere"
    outside.mkdir()
    return env_dir / "bin", Path(pure), outside, wheel


def belnews(installed, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    bindir, _pure, outside, _wheel = installed
    return run([str(bindir / "belnews"), *args], cwd=cwd or outside)


def test_the_wheel_carries_the_release_and_the_schema(installed):
    names = zipfile.ZipFile(installed[3]).namelist()
    for needed in ("belnews/_data/schema/article.schema.json", "belnews/_data/data/MANIFEST.json",
                   "belnews/cli.py", "belnews/_paths.py"):
        assert needed in names


def test_the_package_comes_from_the_wheel_and_loads(installed):
    bindir, pure, outside, _ = installed
    code = "import belnews; print(belnews.__file__); print(belnews.load().num_rows)"
    done = run([str(bindir / "python"), "-c", code], cwd=outside)
    assert done.returncode == 0, done.stderr
    where, rows = done.stdout.split()
    assert Path(where) == pure / "belnews" / "__init__.py"
    assert rows == "2"


def test_version(installed):
    assert belnews(installed, "--version").stdout == f"belnews, version {__version__}\n"


def test_summary_answers_from_the_installed_release(installed):
    done = belnews(installed, "summary")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["article", *RECORD_IDS, "total"]
    assert lines[-1].split() == ["total", "5865", "31", "53", "38", "105", "43"]
    assert done.stderr.startswith(NOTE_PREFIX)
    assert str(installed[1] / "belnews" / "_data" / "data") in done.stderr


def test_stats_answers_from_the_installed_release(installed):
    done = belnews(installed, "stats", "--format", "json")
    assert done.returncode == 0, done.stderr
    import json

    stats = json.loads(done.stdout)
    assert (stats["articles"], stats["characters"]) == (2, 5865)
    assert stats["quotes"]["total"] == 53


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_show_finds_a_record_in_the_installed_release(installed, record_id):
    done = belnews(installed, "show", record_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout == show_record(committed_record(record_id))  # what the checkout shows


def test_show_of_an_unknown_id_fails(installed):
    done = belnews(installed, "show", "no_such_id")
    assert done.returncode == 2  # no such record: a usage error, not invalid data
    assert "no record 'no_such_id'" in done.stderr


def test_validate_checks_the_installed_release(installed):
    done = belnews(installed, "validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2 record(s) checked, 0 error(s), 0 warning(s)\n"


def test_validate_checks_a_given_file(installed):
    outside = installed[2]
    shutil.copy(ROOT / "corpus" / "records" / f"{RECORD_IDS[1]}.json", outside / "one.json")
    done = belnews(installed, "validate", "one.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1 record(s) checked, 0 error(s), 0 warning(s)\n"


def test_cite(installed):
    done = belnews(installed, "cite")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"@misc{{belnews_{__version__.replace('.', '_')},")
    cff = belnews(installed, "cite", "--format", "cff")
    assert cff.returncode == 0 and "cff-version: 1.2.0" in cff.stdout


@pytest.mark.parametrize("args", [("records",), ("records", "--check"), ("build",)])
def test_commands_that_need_a_checkout_say_so(installed, args):
    done = belnews(installed, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"Error: {NEEDS_CHECKOUT}\n"


def test_the_installed_commands_work_on_a_checkout_given_by_root(installed, tmp_path):
    """records --check against this checkout, and a build of a copy of it (so the build
    writes into a temporary folder)."""
    done = belnews(installed, "--root", str(ROOT), "records", "--check")
    assert (done.returncode, done.stdout) == (0, "0 record(s) stale: -\n"), done.stderr
    copy = tmp_path / "checkout"
    for name in ("corpus", "schema"):
        shutil.copytree(ROOT / name, copy / name)
    for name in ("README.md", "DATASHEET.md"):
        shutil.copy(ROOT / name, copy / name)
    built = belnews(installed, "build", cwd=copy / "corpus")  # found by walking up
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"built belnews {__version__}")
    assert (copy / "data" / "MANIFEST.json").is_file()
