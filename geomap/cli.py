"""The ``geomap`` command: thin click commands over the library functions."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from geomap import __version__, corrections, evaluate, evaluate_events, export, pipeline
from geomap.errors import GeomapError
from geomap.files import write_atomically
from geomap.options import articles_opt, json_opt, max_size_opt, out_opt, workers_opts
from geomap.workers import Workers

EXIT_ERROR = 1
EXIT_SKIPPED = 3  # outputs written, but some input files were skipped


def _report_skipped(skipped) -> None:
    for s in skipped:
        click.echo(f"skipped: {s.reason}", err=True)


def _interactive() -> bool:
    """Whether to draw progress bars: only when stderr is a terminal."""
    return sys.stderr.isatty()


def _fail(e: GeomapError) -> None:
    click.echo(f"error: {e}", err=True)
    sys.exit(EXIT_ERROR)


def _warn_on_stderr() -> None:
    """geomap's warnings (an encoding detected, a geocoder failing) as ``warning: ...`` lines."""
    logger = logging.getLogger("geomap")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        logger.addHandler(handler)


@click.group()
@click.version_option(__version__, prog_name="geomap")
def cli() -> None:
    """Find the places news articles name and map them, offline."""
    _warn_on_stderr()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "geojson"]), default="jsonl",
              show_default=True, help="jsonl: one mention per line (the contract of DESIGN.md).")
@click.option("--explain", is_flag=True, help="Add why each place won (jsonl only).")
@max_size_opt
@workers_opts
def parse(paths: tuple[Path, ...], fmt: str, explain: bool, max_bytes: int, workers: Workers) -> None:
    """Print the place mentions found in article files or folders."""
    try:
        articles, skipped = pipeline.parse_paths(list(paths), max_bytes, workers, _interactive())
    except GeomapError as e:
        _fail(e)
    if fmt == "geojson":
        click.echo(export.dumps(export.mentions_geojson(articles)), nl=False)
    else:
        for a in articles:
            for m in a.mentions:
                if m.place:
                    rec = m.record() | ({"why": m.why} if explain else {})
                    click.echo(json.dumps(rec, ensure_ascii=False))
    _report_skipped(skipped)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@articles_opt
@out_opt
@json_opt
@max_size_opt
@click.option("--rebuild", is_flag=True,
              help="Move the catalog aside (catalog.gpkg.bak) and parse every article again.")
@workers_opts
def build(articles_dir: Path, out_dir: Path, as_json: bool, max_bytes: int, rebuild: bool,
          workers: Workers) -> None:
    """Build the maps and exports in OUT from the articles, parsing only what changed."""
    try:
        report = pipeline.build(articles_dir, out_dir, max_bytes, rebuild=rebuild, workers=workers,
                                progress=_interactive())
    except GeomapError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(report.summary(), ensure_ascii=False))
    else:
        click.echo(f"{report.articles} articles ({report.parsed} parsed, {report.unchanged} "
                   f"unchanged, {report.removed} removed), {report.mentions} mentions -> "
                   f"{out_dir / 'index.html'}", err=True)
    _report_skipped(report.skipped)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(name="export")
@articles_opt
@click.option("--format", "fmt", type=click.Choice(["geojson", "jsonl"]), default="geojson",
              show_default=True)
@click.option("--layer", type=click.Choice(["mentions", "places", "events"]), default="mentions",
              show_default=True, help="events: one point per located event (jsonl: every event).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Output file (default: standard output).")
def export_cmd(articles_dir: Path, fmt: str, layer: str, output: Path | None) -> None:
    """Export the mentions, places or events of the articles as RFC 7946 GeoJSON or JSON Lines,
    with the corrections of the articles folder applied."""
    try:
        articles, skipped = pipeline.parse_paths([articles_dir])
    except GeomapError as e:
        _fail(e)
    skipped += corrections.apply(articles_dir, articles)
    if fmt == "jsonl":
        records = export.event_records if layer == "events" else export.mention_records
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(articles))
    else:
        layers = {"places": export.places_geojson, "events": export.events_geojson}
        text = export.dumps(layers.get(layer, export.mentions_geojson)(articles))
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomically(output, text)
        except OSError as e:
            _fail(GeomapError(f"{output}: cannot write: {e.strerror or e}"))
    _report_skipped(skipped)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.argument("pred", required=False, type=click.Path(path_type=Path))
@articles_opt
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Evaluate on the first N gold documents only.")
@click.option("--quiet", is_flag=True, help="Print the summary line only, not the errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def eval_cmd(gold: Path, pred: Path | None, articles_dir: Path, limit: int | None, quiet: bool,
             as_json: bool) -> None:
    """Score PRED (mention JSONL), or geomap itself when PRED is omitted, against GOLD.

    Seeds-form gold names article files, looked for in --articles; corpus-form gold holds the
    texts. Prints the errors and a summary line in the format of ../shared/eval/score.py.
    """
    try:
        result = evaluate.evaluate(gold, pred, articles_dir, limit)
    except GeomapError as e:
        _fail(e)
    click.echo(evaluate.report(result, quiet=quiet, as_json=as_json))


@cli.command(name="eval-events")
@click.argument("gold", type=click.Path(path_type=Path))
@articles_opt
@click.option("--quiet", is_flag=True, help="Print the summary line only, not the errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_events_cmd(gold: Path, articles_dir: Path, quiet: bool, as_json: bool) -> None:
    """Score the events of the articles (type, location, date) against GOLD events (JSON)."""
    try:
        scores = evaluate_events.evaluate(gold, articles_dir)
    except GeomapError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(scores.figures() | {"errors": scores.errors}, ensure_ascii=False))
    else:
        click.echo(evaluate_events.report(scores, quiet=quiet))


def main() -> None:
    """Entry point of the ``geomap`` script."""
    cli()
