"""The ``belnews`` command: a thin click layer over the library.

Each command parses its options, calls one public function and renders the result. Heavy
libraries (pyarrow, datasets) are imported inside the functions that need them, never here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from belnews import __version__

if TYPE_CHECKING:
    from belnews._paths import Source

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Check records in this many processes (0: one per CPU).",
)


class NoCorpus(click.ClickException):
    """No corpus where a command needs one: a usage error (exit 2), not invalid data."""

    exit_code = 2


def _source(ctx: click.Context, *, checkout: bool = False) -> Source:
    """The corpus the command works on (see belnews._paths.locate); with ``checkout``, stop
    with exit 2 unless it is a checkout."""
    from belnews._paths import LocateError, locate

    try:
        source = locate(ctx.find_root().params.get("root"))
        if checkout:
            source.require_checkout()
    except LocateError as exc:
        raise NoCorpus(str(exc)) from exc
    if source.checkout is None:
        click.echo(f"belnews: no checkout here; reading the installed release in {source.data}",
                   err=True)
    return source


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="belnews")
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="The checkout of the corpus to work on (default: $BELNEWS_ROOT, else the checkout "
    "around the current folder, else the installed release).",
)
def cli(root: str | None) -> None:
    """belnews: an annotated news corpus (quotes, figures, entities)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How to print the issues.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@JOBS
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool, jobs: int) -> None:
    """Check records (.json, .jsonl, .parquet, folders, - for stdin); default: the corpus
    (outside a checkout: the installed release).

    Exit status: 0 valid, 1 invalid data, 2 usage error or unreadable input.

    \b
    Example:
        belnews validate corpus/records
    """
    from belnews._paths import LocateError
    from belnews.check.report import report_output
    from belnews.check.validate import validate_path

    stdin = sys.stdin.buffer if "-" in paths else None
    if not paths:
        try:
            paths = tuple(str(p) for p in _source(ctx).default_inputs())
        except LocateError as exc:
            raise NoCorpus(str(exc)) from exc  # unreadable input: exit 2
    report = validate_path(paths, stdin=stdin, jobs=jobs)
    for text, to_stderr, colour in report_output(report, fmt, strict=strict):
        click.secho(text, fg=colour, err=to_stderr)
    sys.exit(report.exit_status(strict=strict))


@cli.command()
@JOBS
@click.pass_context
def build(ctx: click.Context, jobs: int) -> None:
    """Validate the corpus, then write data/ and the front files (card, citation, datasheet)."""
    from belnews.errors import Error
    from belnews.release.build import build as run_build
    from belnews.release.build import build_summary

    root = _source(ctx, checkout=True).require_checkout()
    try:
        result = run_build(root / "corpus", root / "data", root=root, jobs=jobs)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(build_summary(result.out_dir, result.manifest))


@cli.command()
@click.option("--check", is_flag=True, help="Only report stale records; exit 1 if any.")
@click.pass_context
def records(ctx: click.Context, check: bool) -> None:
    """Regenerate corpus/records from corpus/raw, corpus/meta and corpus/annotations."""
    from belnews.corpus.store import regenerate
    from belnews.errors import Error

    corpus = _source(ctx, checkout=True).corpus
    try:
        changed = regenerate(corpus, check=check)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{len(changed)} record(s) {'stale' if check else 'rewritten'}: {', '.join(changed) or '-'}"
    )
    if check and changed:
        sys.exit(1)


@cli.command()
@click.argument("record_id")
@click.option(
    "--layer",
    "layers",
    multiple=True,
    type=click.Choice(["quotes", "figures", "entities"]),
    help="Only mark these layers (repeatable); default: all.",
)
@click.pass_context
def show(ctx: click.Context, record_id: str, layers: tuple[str, ...]) -> None:
    """Print an article with its spans marked, then every annotation, for review."""
    from belnews.errors import Error
    from belnews.review.show import show_record
    from belnews.use.sources import find_record

    source = _source(ctx)
    try:
        record = find_record(source, record_id)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    if record is None:
        where = source.corpus / "records" if source.checkout else source.data
        raise click.ClickException(f"no record {record_id!r} in {where}")
    click.echo(show_record(record, layers or ("quotes", "figures", "entities")), nl=False)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def summary(ctx: click.Context, fmt: str) -> None:
    """Counts per article and layer for the records in the corpus (or the installed release)."""
    from belnews.check.report import to_json
    from belnews.corpus.store import summarize
    from belnews.errors import Error
    from belnews.review.show import summary_table
    from belnews.use.sources import source_records

    try:
        data = summarize(source_records(_source(ctx)))
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(to_json(data) if fmt == "json" else summary_table(data))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Corpus statistics (the numbers DATASHEET.md quotes), of the corpus or the release."""
    from belnews.check.report import to_json
    from belnews.errors import Error
    from belnews.release.stats import compute, to_markdown, to_text
    from belnews.use.sources import source_records

    try:
        data = compute(source_records(_source(ctx)))
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    render = {"json": to_json, "markdown": to_markdown, "text": to_text}[fmt]
    click.echo(render(data), nl=fmt == "json")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["bibtex", "cff"]), default="bibtex", show_default=True
)
def cite(fmt: str) -> None:
    """How to cite the installed version of the corpus."""
    from belnews.release.citation import bibtex, citation_cff

    click.echo(bibtex() if fmt == "bibtex" else citation_cff(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    cli(prog_name="belnews")
