"""The ``geomap`` command: thin click commands over the library functions."""
from __future__ import annotations

import atexit
import gc
import json
import logging
import os
import sys
import threading
from pathlib import Path

import click

from geomap import __version__, export
from geomap import build as builder
from geomap.build import BuildReport, load_articles, parsing_paths
from geomap.build.parallel import Workers
from geomap.errors import GeomapError
from geomap.export import formats
from geomap.options import (
    Duration,
    articles_opt,
    catalog_opt,
    encoding_opt,
    fetch_opts,
    json_opt,
    max_size_opt,
    online_opts,
    out_opt,
    workers_opts,
)

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
              show_default=True,
              help="jsonl: one mention per line (see \"The mention contract\" in the README).")
@click.option("--explain", is_flag=True, help="Add why each place won (jsonl only).")
@max_size_opt
@encoding_opt
@workers_opts
@online_opts
def parse(paths: tuple[Path, ...], fmt: str, explain: bool, max_bytes: int, encoding: str | None,
          workers: Workers, online) -> None:
    """Print the place mentions found in article files or folders."""
    try:
        articles, skipped = parsing_paths(list(paths), max_bytes, workers, _interactive(),
                                          encoding)
        if online is not None:
            from geomap import geocode

            articles = list(articles)
            geocode.place_unplaced(articles, online)
        if fmt == "geojson":
            click.echo(export.dumps(export.mentions_geojson(list(articles))), nl=False)
        else:
            for a in articles:  # each printed as soon as it is parsed
                lines = [json.dumps(m.record() | ({"why": m.why} if explain else {}),
                                    ensure_ascii=False) for m in a.mentions if m.place]
                if lines:
                    click.echo("\n".join(lines))
    except GeomapError as e:
        _fail(e)
    _report_skipped(skipped)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@articles_opt
@out_opt
@json_opt
@max_size_opt
@click.option("--rebuild", is_flag=True,
              help="Move the catalog aside (catalog.gpkg.bak) and parse every article again "
              "(in PostGIS: this folder's articles).")
@catalog_opt
@encoding_opt
@workers_opts
@online_opts
def build(articles_dir: Path, out_dir: Path, as_json: bool, max_bytes: int, rebuild: bool,
          catalog: str | None, encoding: str | None, workers: Workers, online) -> None:
    """Build the maps and exports in OUT from the articles, parsing only what changed."""
    try:
        report = builder.build(articles_dir, out_dir, max_bytes, rebuild=rebuild,
                               workers=workers, progress=_interactive(), online=online,
                               catalog_url=catalog, encoding=encoding)
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


@cli.command()
@click.argument("articles_dir", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@out_opt
@click.option("--debounce", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds of quiet after a change before rebuilding.")
@max_size_opt
@catalog_opt
@workers_opts
def watch(articles_dir: Path, out_dir: Path, debounce: float, max_bytes: int,
          catalog: str | None, workers: Workers) -> None:
    """Build OUT from DIR, then rebuild whenever articles are added, changed or removed (Ctrl-C
    stops)."""
    from geomap.watch import watch as watch_folder

    stop = threading.Event()
    try:
        watch_folder(articles_dir, out_dir, _print_build, stop, debounce, max_bytes=max_bytes,
                     workers=workers, progress=_interactive(), catalog_url=catalog)
    except KeyboardInterrupt:
        stop.set()
    except OSError as e:
        _fail(GeomapError(f"{articles_dir}: cannot watch: {e.strerror or e}"))


def _print_build(result: BuildReport | GeomapError) -> None:
    """One stderr line per build of ``geomap watch``."""
    if isinstance(result, GeomapError):
        click.echo(f"error: {result}", err=True)
        return
    click.echo(f"{result.articles} articles ({result.parsed} parsed, {result.unchanged} unchanged, "
               f"{result.removed} removed), {result.mentions} mentions", err=True)
    _report_skipped(result.skipped)


@cli.command()
@click.argument("inputs", metavar="URL|EXPORT...", nargs=-1, required=True)
@articles_opt
@out_opt
@click.option("--no-build", is_flag=True, help="Only save the articles; do not build.")
@fetch_opts
@max_size_opt
@catalog_opt
@workers_opts
def add(inputs: tuple[str, ...], articles_dir: Path, out_dir: Path, no_build: bool, policy,
        max_bytes: int, catalog: str | None, workers: Workers) -> None:
    """Fetch web pages (URL) or read Telegram exports (result.json), save each article with its
    metadata into the articles folder, then build OUT."""
    from geomap.fetch.add import add as add_inputs

    try:
        report = add_inputs(list(inputs), articles_dir, policy, None if no_build else out_dir,
                            max_bytes, workers=workers, progress=_interactive(),
                            catalog_url=catalog)
    except GeomapError as e:
        _fail(e)
    for outcome in report.outcomes:
        _print_outcome(outcome.source, outcome.saved, outcome.error)
    if report.build is not None:
        _print_build(report.build)
    if isinstance(report.build, GeomapError) or len(report.refused) == len(report.outcomes):
        sys.exit(EXIT_ERROR)
    if report.refused or getattr(report.build, "skipped", None):
        sys.exit(EXIT_SKIPPED)


def _print_outcome(source: str, saved: list[tuple[Path, str]], error: GeomapError | None) -> None:
    """One stderr line per input of ``geomap add``."""
    if error is not None:
        click.echo(f"refused: {error}", err=True)
    elif len(saved) == 1:
        path, status = saved[0]
        click.echo(f"{status}: {source} -> {path}", err=True)
    else:
        counts = ", ".join(f"{sum(s == status for _, s in saved)} {status}"
                           for status in ("added", "updated", "unchanged")
                           if any(s == status for _, s in saved))
        click.echo(f"saved: {source}: {len(saved)} posts ({counts})", err=True)


@cli.command()
@click.argument("feeds", metavar="[FEED_URL]...", nargs=-1)
@articles_opt
@out_opt
@click.option("--every", type=Duration(), default="15m", show_default=True,
              help="Poll the feeds this often (90, 30s, 15m, 2h, 1d) until Ctrl-C.")
@click.option("--once", is_flag=True, help="Poll each feed once, add, build and exit.")
@fetch_opts
@max_size_opt
@catalog_opt
@workers_opts
def follow(feeds: tuple[str, ...], articles_dir: Path, out_dir: Path, every: float, once: bool,
           policy, max_bytes: int, catalog: str | None, workers: Workers) -> None:
    """Follow RSS, Atom and JSON feeds: add each new entry's page, then rebuild OUT. The feeds
    given are added to feeds.txt in the articles folder, and every feed listed there is polled."""
    from geomap.fetch.feeds import follow as follow_feeds

    rounds = []
    try:
        follow_feeds(list(feeds), articles_dir, out_dir, policy, _print_round(rounds),
                     None if once else every, max_bytes=max_bytes, workers=workers,
                     progress=_interactive(), catalog_url=catalog)
    except KeyboardInterrupt:
        return
    except GeomapError as e:
        _fail(e)
    last = rounds[-1]
    if isinstance(last.build, GeomapError) or all(f.error for f in last.feeds):
        sys.exit(EXIT_ERROR)
    if any(f.error or f.refused for f in last.feeds) or getattr(last.build, "skipped", None):
        sys.exit(EXIT_SKIPPED)


def _print_round(rounds: list):
    """What ``geomap follow`` prints after each round: a line per feed, per entry refused, and
    the build's line; the rounds are kept in ``rounds``."""
    def on_round(done) -> None:
        rounds.append(done)
        for feed in done.feeds:
            if feed.error is not None:
                click.echo(f"error: {feed.error} (asked again later)", err=True)
            elif feed.polled:
                new = sum(status != "unchanged" for _, status in feed.saved)
                click.echo(f"feed {feed.url}: {new} new", err=True)
            for refused in feed.refused:
                retry = " (tried again next time)" if refused.transient else ""
                click.echo(f"refused: {refused}{retry}", err=True)
        if done.build is not None:
            _print_build(done.build)
    return on_round


@cli.command(name="export")
@articles_opt
@out_opt
@click.option("--layer", type=click.Choice(export.LAYERS), default="mentions", show_default=True,
              help="regions: first-level units with their mention and event counts.")
@click.option("--format", "fmt", type=click.Choice(list(formats.FORMATS)), default=None,
              help=formats.help_text())
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--article", "names", multiple=True,
              help="Only this article (file name or stem); repeatable.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Output file (default: standard output).")
@max_size_opt
@catalog_opt
@encoding_opt
@workers_opts
def export_cmd(articles_dir: Path, out_dir: Path, layer: str, fmt: str | None, since,
               names: tuple[str, ...], output: Path | None, max_bytes: int, catalog: str | None,
               encoding: str | None, workers: Workers) -> None:
    """Export a layer of the articles (corrections applied), reusing the parses in OUT's catalog."""
    chosen = formats.format_for(fmt, output)
    if output is None and chosen.binary:
        _fail(GeomapError(f"--format {chosen.name} is binary: give an output file with -o"))
    try:
        articles, skipped = load_articles(articles_dir, out_dir, max_bytes, workers,
                                           _interactive(), catalog, encoding)
        selected = export.select(articles, since.date() if since else None, names)
        if output is None:
            click.echo(formats.text(selected, layer, chosen.name), nl=False)
        else:
            formats.write(selected, layer, chosen.name, output)
    except GeomapError as e:
        _fail(e)
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
    texts (see "Development" in the README). Prints the errors and a summary line: precision,
    recall, F1, resolution accuracy within 161 km.
    Events gold (a .json with an ``events`` list) is scored as ``geomap eval-events`` does;
    report-form gold (JSONL of event reports with analysts' gold: ACLED's form) as
    ``geomap eval-reports`` does.
    """
    from geomap.evaluate import events as evaluate_events
    from geomap.evaluate import mentions as evaluate
    from geomap.evaluate import reports as evaluate_reports

    if pred is None and evaluate_events.is_events_gold(gold):
        return eval_events_cmd.callback(gold, articles_dir, quiet, as_json)
    if pred is None and evaluate_reports.is_report_gold(gold):
        return eval_reports_cmd.callback(gold, 1, quiet, as_json)
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
    from geomap.evaluate import events as evaluate_events

    try:
        scores = evaluate_events.evaluate(gold, articles_dir)
    except GeomapError as e:
        _fail(e)
    _print_scores(scores, evaluate_events.report, quiet, as_json)


@cli.command(name="eval-reports")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parse on N processes.")
@click.option("--quiet", is_flag=True, help="Print the summary line only, not the failures.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_reports_cmd(gold: Path, jobs: int, quiet: bool, as_json: bool) -> None:
    """Score geomap on event reports with analysts' gold (JSONL in ACLED's report form): place
    within 25 km, oblast, event found, type, date, event oblast, sub-event type."""
    from geomap.evaluate import reports as evaluate_reports

    try:
        scores = evaluate_reports.evaluate(gold, jobs)
    except GeomapError as e:
        _fail(e)
    _print_scores(scores, evaluate_reports.report, quiet, as_json)


def _print_scores(scores, report, quiet: bool, as_json: bool) -> None:
    """An evaluation's figures and errors as JSON, or as ``report`` words them."""
    if as_json:
        click.echo(json.dumps(scores.figures() | {"errors": scores.errors}, ensure_ascii=False))
    else:
        click.echo(report(scores, quiet=quiet))


_exit_code = 1  # what the process ends with unless the command says otherwise
YOUNG_OBJECTS_COLLECTED = 20_000  # new objects between collections (Python's default: 700):
# parsing makes and drops millions of objects, few in cycles; collecting every 700 took a tenth
# of parse time


def main() -> None:
    """Entry point of the ``geomap`` script. Once the command is done, its output flushed and every
    other exit handler run, the process ends without freeing its objects one by one: a loaded
    gazetteer and an archive's map fragments are millions of objects, and tearing them down took
    1.5-2 s, more than a build that finds one new article spends on everything else."""
    global _exit_code
    atexit.register(_end_at_once)  # registered first, so run last
    gc.set_threshold(YOUNG_OBJECTS_COLLECTED)
    try:
        cli()
    except SystemExit as e:
        _exit_code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
        raise


def _end_at_once() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(_exit_code)
