"""The ``belnews`` command: a thin click layer over the library.

Each command parses its options, calls one public function and renders the result. Heavy
libraries (pyarrow, datasets) are imported inside the functions that need them, never here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from belnews import __version__

if TYPE_CHECKING:
    from belnews._paths import Source

#: Exit statuses of every command (documented in ``belnews --help`` and VALIDATION.md).
EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3
#: The schema's pattern for record ids (``$.id``): an id names a file, it is never a path.
RECORD_ID = r"[a-z0-9][a-z0-9_-]{0,127}"

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Check records in this many processes (0: one per CPU).",
)
ENGINE = click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Who checks: local processes, or Ray Data (pip install 'belnews[ray]').",
)
ADDRESS = click.option(
    "--address",
    default=None,
    help="With --engine ray: the cluster (ray://HEAD:10001, auto); default a local instance.",
)


class UsageFailure(click.ClickException):
    """A request that names nothing usable (no such record): exit 2, like a usage error."""

    exit_code = EXIT_USAGE


def internal_error_line(exc: BaseException) -> str:
    """One line for a crash: a script reads the status, a person reads what to report."""
    message = " ".join(str(exc).split())
    # a message quoting bad input may hold a lone surrogate, which no stream can encode
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(message) > 300:
        message = message[:297] + "..."
    return f"belnews: internal error: {type(exc).__name__}: {message} (please report this)"


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it ($COLUMNS, else the
    terminal of standard output, else 80), without importing shutil: that import is a tenth
    of ``belnews --help``'s start-up."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, sized by :func:`terminal_columns` (the width click itself
    would pick: the terminal's less 2, between 50 and ``max_width``)."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        if width is None and click.formatting.FORCED_WIDTH is None:
            cap = 80 if max_width is None else max_width
            width = max(min(terminal_columns(), cap) - 2, 50)
        super().__init__(indent_increment, width, max_width)


class Context(click.Context):
    """click's context, formatting help with :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


class Command(click.Command):
    """The class of the commands declared on the ``belnews`` group (``@cli.command``)."""

    context_class = Context


class GuardedGroup(click.Group):
    """A group whose commands never end in a traceback.

    An exception that is not click's own (usage errors, ``ClickException``, exits, Ctrl-C) is
    a bug in belnews: it is printed as one line on stderr and exits with status 3, so a
    script can tell a crash from invalid data (1) or a usage error (2). ``BELNEWS_DEBUG=1``
    lets the traceback through.
    """

    context_class = Context
    command_class = Command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (EOFError, KeyboardInterrupt):
            raise  # click turns these into "Aborted!"
        except Exception as exc:
            if os.environ.get("BELNEWS_DEBUG") == "1":
                raise
            click.echo(internal_error_line(exc), err=True)
            ctx.exit(EXIT_INTERNAL)


class NoCorpus(click.ClickException):
    """No corpus where a command needs one: a usage error (exit 2), not invalid data."""

    exit_code = EXIT_USAGE


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


@click.group(cls=GuardedGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="belnews")
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="The checkout of the corpus to work on (default: $BELNEWS_ROOT, else the checkout "
    "around the current folder, else the installed release).",
)
def cli(root: str | None) -> None:
    """belnews: an annotated news corpus (quotes, figures, entities).

    \b
    Exit status of every command:
      0  success (the data is valid)
      1  invalid data, or a check that failed
      2  usage error, or an input that cannot be read
      3  internal error: a bug in belnews (set BELNEWS_DEBUG=1 for the traceback)
    """


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
@ENGINE
@ADDRESS
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    strict: bool,
    jobs: int,
    engine: str,
    address: str | None,
) -> None:
    """Check records (.json, .jsonl, .parquet, folders, - for stdin); default: the corpus
    (outside a checkout: the installed release).

    Exit status: 0 valid, 1 invalid data, 2 usage error or unreadable input.

    \b
    Example:
        belnews validate corpus/records
        belnews validate --engine ray --address ray://HEAD:10001 big.jsonl
    """
    from belnews._paths import LocateError
    from belnews.check.report import report_output
    from belnews.check.validate import validate_path
    from belnews.errors import Error

    if address is not None and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    if engine == "ray" and click.get_current_context().get_parameter_source("jobs") == (
        click.core.ParameterSource.DEFAULT
    ):
        jobs = 0  # Ray's default: every CPU of the instance or cluster
    stdin = sys.stdin.buffer if "-" in paths else None
    if not paths:
        try:
            paths = tuple(str(p) for p in _source(ctx).default_inputs())
        except LocateError as exc:
            raise NoCorpus(str(exc)) from exc  # unreadable input: exit 2
    try:
        report = validate_path(paths, stdin=stdin, jobs=jobs, engine=engine, address=address)
    except Error as exc:  # the engine cannot start (Ray missing, cluster unreachable)
        failure = click.ClickException(str(exc))
        failure.exit_code = EXIT_USAGE
        raise failure from exc
    for text, to_stderr, colour in report_output(report, fmt, strict=strict):
        click.secho(text, fg=colour, err=to_stderr)
    sys.exit(report.exit_status(strict=strict))


@cli.command()
@JOBS
@click.option(
    "--check",
    is_flag=True,
    help="Rebuild in a temporary folder and compare with data/ by content; exit 1 if they differ.",
)
@click.option(
    "--max-shard-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Articles per shard at most [default: 100000; --check: the release's].",
)
@click.option(
    "--max-shard-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Arrow (uncompressed) bytes of articles per shard at most [default: 500 MB].",
)
@ENGINE
@ADDRESS
@click.pass_context
def build(
    ctx: click.Context,
    jobs: int,
    check: bool,
    max_shard_rows: int | None,
    max_shard_bytes: int | None,
    engine: str,
    address: str | None,
) -> None:
    """Validate the corpus, then write data/ and the front files (card, citation, datasheet)."""
    from belnews.errors import Error
    from belnews.release.build import build as run_build
    from belnews.release.build import build_summary
    from belnews.release.shards import MAX_SHARD_BYTES, MAX_SHARD_ROWS, ShardLimits

    if address is not None and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    if engine == "ray" and ctx.get_parameter_source("jobs") == click.core.ParameterSource.DEFAULT:
        jobs = 0  # Ray's default: every CPU of the instance or cluster
    root = _source(ctx, checkout=True).require_checkout()
    where = {"corpus": root / "corpus", "out_dir": root / "data", "root": root}
    limits = None
    if max_shard_rows or max_shard_bytes or not check:
        limits = ShardLimits(max_shard_rows or MAX_SHARD_ROWS, max_shard_bytes or MAX_SHARD_BYTES)
    try:
        if check:
            from belnews.release.check import check_release

            differences = check_release(
                **where, jobs=jobs, limits=limits, engine=engine, address=address
            )
        else:
            result = run_build(**where, jobs=jobs, limits=limits, engine=engine, address=address)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    if not check:
        click.echo(build_summary(result.out_dir, result.manifest))
        return
    for line in differences:
        click.echo(line)
    if differences:
        click.echo(f"the release does not match the corpus: {len(differences)} difference(s)")
        sys.exit(1)
    click.echo("the release matches the corpus")


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
@click.option("--write", is_flag=True, help="Rewrite the tables embedded in the documents.")
@click.option("--check", is_flag=True, help="Exit 1 if an embedded table is stale.")
@click.pass_context
def tables(ctx: click.Context, write: bool, check: bool) -> None:
    """Print the agreement and baseline tables (the scorer on the annotation sets and on
    the pre-annotator's output); --write puts them into DATASHEET, README and ANNOTATION."""
    from belnews.errors import Error
    from belnews.review.tables import generated, stale_documents

    if write and check:
        raise click.UsageError("--write and --check exclude each other")
    root = _source(ctx, checkout=True).require_checkout()
    try:
        made = generated(root)
        stale = stale_documents(root, made)
    except (Error, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if write:
        from belnews.corpus.records import write_atomic

        for doc, text in stale.items():
            write_atomic(root / doc, text.encode("utf-8"))
        click.echo(f"{len(stale)} document(s) rewritten: {', '.join(stale) or '-'}")
    elif check:
        click.echo(f"{len(stale)} document(s) with stale tables: {', '.join(stale) or '-'}")
        if stale:
            sys.exit(1)
    else:
        for name, markdown in made.items():
            click.echo(f"## {name}\n\n{markdown}")


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="A changelog section (markdown) or one object per change (json).",
)
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """List every annotation changed, added or removed between two releases.

    OLD and NEW are release versions (a snapshot in releases/VERSION/, or the current
    version: the checkout's records) or paths to records (.json, folder, .jsonl).

    \b
    Example:
        belnews diff 0.1.0 0.2.0
    """
    from belnews.errors import Error
    from belnews.release.changes import diff_releases, release_records, render_json, render_markdown

    root = _source(ctx, checkout=True).require_checkout()
    try:
        changes = diff_releases(release_records(old, root), release_records(new, root))
    except Error as exc:
        raise UsageFailure(str(exc)) from exc
    click.echo(
        render_json(changes) if fmt == "json" else render_markdown(changes, old=old, new=new),
        nl=False,
    )


def _record_id(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Accept only what the schema calls an id, so ``../x`` or ``/abs/x`` can name no file."""
    import re

    if re.fullmatch(RECORD_ID, value) is None:
        raise click.BadParameter(
            f"{value!r} is not a record id (expected ^{RECORD_ID}$: lowercase letters, digits, "
            "'_' and '-', not a path)"
        )
    return value


@cli.command()
@click.argument("record_id", callback=_record_id)
@click.option(
    "--layer",
    "layers",
    multiple=True,
    type=click.Choice(["quotes", "figures", "entities"]),
    help="Only mark these layers (repeatable); default: all.",
)
@click.pass_context
def show(ctx: click.Context, record_id: str, layers: tuple[str, ...]) -> None:
    """Print an article with its spans marked, then every annotation, for review.

    Exit status: 1 if the record cannot be read or lacks the schema's shape (invalid data, as
    `validate` would say), 2 if RECORD_ID is not an id or no record has it.
    """
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
        raise UsageFailure(f"no record {record_id!r} in {where}")
    click.echo(show_record(record, layers or ("quotes", "figures", "entities")), nl=False)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def summary(ctx: click.Context, fmt: str) -> None:
    """Counts per article and layer for the records in the corpus (or the installed release).

    Exit status 1 if a record is not valid JSON or lacks the schema's shape.
    """
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
    """Corpus statistics (the numbers DATASHEET.md quotes), of the corpus or the release.

    Exit status 1 if a record is not valid JSON or lacks the schema's shape.
    """
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


@cli.command()
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--id", "record_id", help="Choose the id (default: next number + hash prefix).")
@click.option(
    "--corpus", type=click.Path(file_okay=False, path_type=Path), help="Corpus folder."
)
def add(source: str, record_id: str | None, corpus: Path | None) -> None:
    """Add an article (FILE, or - for stdin): raw file, metadata sidecar, normalization report."""
    from belnews._paths import corpus_dir
    from belnews.corpus.add import add_article
    from belnews.errors import Error

    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        added = add_article(raw, corpus or corpus_dir(), record_id=record_id)
    except OSError as exc:
        raise click.ClickException(f"{source}: cannot read: {exc.strerror or exc}") from exc
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(added.report())
    click.echo(f"next: belnews pre-annotate {added.record_id}")


@cli.command("pre-annotate")
@click.argument("record_ids", nargs=-1, required=True)
@click.option(
    "--model",
    default="rules",
    show_default=True,
    help="Entity recogniser: 'rules' (no download) or 'spacy:PIPELINE' (an installed pipeline).",
)
@click.option(
    "--corpus", type=click.Path(file_okay=False, path_type=Path), help="Corpus folder."
)
def pre_annotate(record_ids: tuple[str, ...], model: str, corpus: Path | None) -> None:
    """Write silver suggestions to corpus/annotations/ID.toml; a person's annotations stay."""
    from belnews._paths import corpus_dir
    from belnews.corpus.preannotate import preannotate
    from belnews.errors import Error

    folder = corpus or corpus_dir()
    with click.progressbar(
        record_ids, label="pre-annotating", file=sys.stderr, hidden=len(record_ids) < 2
    ) as ids:
        for rid in ids:
            try:
                result = preannotate(folder, rid, model=model)
            except Error as exc:
                raise click.ClickException(f"{rid}: {exc}") from exc
            click.echo(result.report())


def _register() -> None:
    """Commands whose click layer lives beside the library they wrap."""
    from belnews.interchange.cli import export_cmd, import_cmd
    from belnews.review.cli import evaluate_cmd, review_cmd

    cli.add_command(evaluate_cmd)
    cli.add_command(review_cmd)
    cli.add_command(export_cmd, "export")
    cli.add_command(import_cmd, "import")


_register()


if __name__ == "__main__":  # pragma: no cover
    cli(prog_name="belnews")
