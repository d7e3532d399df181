"""The click commands, invoked directly (the lead registers them on `belnews`)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from belnews.interchange.cli import export_cmd, import_cmd

from .conftest import CORPUS, IDS


def test_export_prints_the_loss_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        export_cmd, ["conll", IDS[1], "--out", str(tmp_path), "--records", str(CORPUS / "records")]
    )
    assert result.exit_code == 0, result.output
    assert f"conll {IDS[1]}:" in result.output
    assert "dropped         35  quotes" in result.output
    assert (tmp_path / f"{IDS[1]}.conll").exists()


def test_import_refuses_to_overwrite_without_force(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["w3c", IDS[1], "--out", str(out), "--records", str(CORPUS / "records")]
    assert runner.invoke(export_cmd, args).exit_code == 0
    page = str(out / f"{IDS[1]}.jsonld")
    first = runner.invoke(import_cmd, ["w3c", page, "--corpus", str(corpus)])
    assert first.exit_code == 0, first.output
    assert "wrote" in first.output
    again = runner.invoke(import_cmd, ["w3c", page, "--corpus", str(corpus)])
    assert again.exit_code == 1
    assert "exists" in again.output and "--force" in again.output
    forced = runner.invoke(import_cmd, ["w3c", page, "--corpus", str(corpus), "--force"])
    assert forced.exit_code == 0, forced.output


def test_import_of_a_foreign_file_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "foreign.jsonld"
    path.write_text('{"type": "AnnotationPage", "id": "https://example.org/p", "items": []}')
    result = CliRunner().invoke(import_cmd, ["w3c", str(path), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "foreign.jsonld" in result.output and "urn:belnews:<record id>" in result.output
    assert "Traceback" not in result.output


def test_export_only_format_refuses_import(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.spacy"
    path.write_bytes(b"")
    result = CliRunner().invoke(import_cmd, ["spacy", str(path), "--corpus", str(corpus)])
    assert result.exit_code == 1 and "export-only" in result.output
