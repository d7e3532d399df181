"""Click commands ``belnews evaluate`` and ``belnews review``: thin layers over
:mod:`belnews.review.score` and :mod:`belnews.review.html` (the lead registers them in
``belnews.cli``)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("evaluate")
@click.argument("pred", type=click.Path(exists=True, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print a table (text) or the whole result (json).",
)
def evaluate_cmd(pred: Path, gold: Path, fmt: str) -> None:
    """Score PRED records against GOLD records (agreement: one annotator against another).

    PRED and GOLD are each a record file (.json), a folder of record files, or a JSON Lines
    file. Records are paired by id; see EVALUATION.md for the metrics.

    \b
    Example:
        belnews evaluate silver/ corpus/records/
    """
    from ..errors import Error
    from .inputs import read_records
    from .score import render_json, render_text, score

    try:
        result = score(read_records(pred), read_records(gold))
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render_json(result) if fmt == "json" else render_text(result), nl=False)


@click.command("review")
@click.argument("target")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the page [default: <id>.review.html in the current folder].",
)
@click.option(
    "--silver",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A record holding the machine's suggestions for the same article: the page then "
    "shows which suggestions a person accepted, changed or rejected.",
)
def review_cmd(target: str, out: Path | None, silver: Path | None) -> None:
    """Write a self-contained HTML page showing TARGET (a record id or record file) with
    every layer marked; open it in any browser (it makes no network requests).

    \b
    Example:
        belnews review 002_a7d1dc08e0c5cbcf --out /tmp/review.html
    """
    from ..errors import Error
    from .page import write_review

    try:
        path = write_review(target, out=out, silver=silver)
    except Error as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {path}")
