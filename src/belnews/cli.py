"""The ``belnews`` command: a thin click layer over the library.

Each command parses its options, calls one public function and renders the result. Heavy
libraries (pyarrow, datasets) are imported inside the functions that need them, never here.
"""

from __future__ import annotations

import sys

import click

from belnews import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Check records in this many processes (0: one per CPU).",
)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="belnews")
def cli() -> None:
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
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Who checks: local processes, or Ray Data (pip install 'belnews[ray]').",
)
@click.option(
    "--address",
    default=None,
    help="With --engine ray: the cluster (ray://HEAD:10001, auto); default a local instance.",
)
def validate(
    paths: tuple[str, ...], fmt: str, strict: bool, jobs: int, engine: str, address: str | None
) -> None:
    """Check records (.json, .jsonl, .parquet, folders, - for stdin); default: the corpus.

    Exit status: 0 valid, 1 invalid data, 2 usage error or unreadable input.

    \b
    Example:
        belnews validate corpus/records
        belnews validate --engine ray --address ray://HEAD:10001 big.jsonl
    """
    from belnews.check.report import report_output
    from belnews.check.validate import validate_path
    from belnews.corpus.store import records_dir
    from belnews.errors import Error

    if address is not None and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    if engine == "ray" and click.get_current_context().get_parameter_source("jobs") == (
        click.core.ParameterSource.DEFAULT
    ):
        jobs = 0  # Ray's default: every CPU of the instance or cluster
    stdin = sys.stdin.buffer if "-" in paths else None
    try:
        report = validate_path(
            paths or [records_dir()], stdin=stdin, jobs=jobs, engine=engine, address=address
        )
    except Error as exc:  # the engine cannot start (Ray missing, cluster unreachable)
        failure = click.ClickException(str(exc))
        failure.exit_code = 2
        raise failure from exc
    for text, to_stderr, colour in report_output(report, fmt, strict=strict):
        click.secho(text, fg=colour, err=to_stderr)
    sys.exit(report.exit_status(strict=strict))


@cli.command()
@JOBS
def build(jobs: int) -> None:
    """Validate the corpus, then write data/ and the front files (card, citation, datasheet)."""
    from belnews.errors import Error
    from belnews.release.build import build as run_build
    from belnews.release.build import build_summary

    try:
        result = run_build(jobs=jobs)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(build_summary(result.out_dir, result.manifest))


@cli.command()
@click.option("--check", is_flag=True, help="Only report stale records; exit 1 if any.")
def records(check: bool) -> None:
    """Regenerate corpus/records from corpus/raw, corpus/meta and corpus/annotations."""
    from belnews.corpus.store import regenerate
    from belnews.errors import Error

    try:
        changed = regenerate(check=check)
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
def show(record_id: str, layers: tuple[str, ...]) -> None:
    """Print an article with its spans marked, then every annotation, for review."""
    from belnews.corpus.records import read_record
    from belnews.corpus.store import records_dir
    from belnews.errors import Error
    from belnews.review.show import show_record

    path = records_dir() / f"{record_id}.json"
    if not path.exists():
        raise click.ClickException(f"no record {record_id!r} in {records_dir()}")
    try:
        record = read_record(path)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(show_record(record, layers or ("quotes", "figures", "entities")), nl=False)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def summary(fmt: str) -> None:
    """Counts per article and layer for the records in the corpus."""
    from belnews.check.report import to_json
    from belnews.corpus.store import load_corpus_records, summarize
    from belnews.errors import Error
    from belnews.review.show import summary_table

    try:
        data = summarize(load_corpus_records())
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
def stats(fmt: str) -> None:
    """Corpus statistics (the numbers DATASHEET.md quotes)."""
    from belnews.check.report import to_json
    from belnews.corpus.store import load_corpus_records
    from belnews.errors import Error
    from belnews.release.stats import compute, to_markdown, to_text

    try:
        data = compute(load_corpus_records())
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
