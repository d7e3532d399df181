"""``belnews export`` and ``belnews import``: thin click commands over :mod:`belnews.interchange`.

The lead registers them on the ``belnews`` group (``cli.add_command(export_cmd, "export")``).
"""

from __future__ import annotations

from pathlib import Path

import click

from . import FORMATS

FORMAT = click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS)))


@click.command("export")
@FORMAT
@click.argument("ids", nargs=-1)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of record JSON files (default: corpus/records).",
)
def export_cmd(fmt: str, ids: tuple[str, ...], out: Path, records_dir: Path | None) -> None:
    """Export records (all, or the given IDs) to FORMAT, and print what could not be carried."""
    from belnews.errors import Error

    from . import export_records, read_record

    if records_dir is None:
        from belnews._paths import corpus_dir

        records_dir = corpus_dir() / "records"
    wanted = ids or tuple(sorted(p.stem for p in records_dir.glob("*.json")))
    try:
        records = []
        for rid in wanted:
            path = records_dir / f"{rid}.json"
            if not path.exists():
                raise click.ClickException(f"no record {rid!r} in {records_dir}")
            records.append(read_record(path))
        reports = export_records(fmt, records, out)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    for report in reports:
        for line in report.lines():
            click.echo(line)
    click.echo(f"{len(records)} record(s) written to {out}")


@click.command("import")
@FORMAT
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder to write annotations into (default: ./corpus of the checkout).",
)
@click.option("--force", is_flag=True, help="Replace an existing annotation file.")
def import_cmd(fmt: str, path: Path, corpus: Path | None, force: bool) -> None:
    """Import a FORMAT file as corpus/annotations/<id>.toml (status contributed_unreviewed)."""
    from belnews.errors import Error

    from . import import_file

    try:
        result = import_file(fmt, path, corpus, force=force)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    for line in result.loss.lines():
        click.echo(line)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {result.path} (valid; run `belnews records` to rebuild the record)")
