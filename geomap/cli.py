"""The ``geomap`` command: thin click commands over the library functions."""
from __future__ import annotations

import atexit
import gc
import json
import logging
import os
import sys
import threading
from datetime import datetime
from functools import partial
from pathlib import Path

import click

from geomap import __version__, export
from geomap import build as builder
from geomap.build import BuildReport, load_articles, parsing_paths, reading_paths
from geomap.build.parallel import Workers, render_many
from geomap.errors import GeomapError
from geomap.export import formats
from geomap.languages import LANGUAGES
from geomap.options import (
    Duration,
    articles_opt,
    catalog_opt,
    encoding_opt,
    fetch_opts,
    json_opt,
    map_files_opt,
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


class _Lines(logging.Formatter):
    """A warning as ``warning: ...``, a notice (INFO) as it is."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        return f"warning: {text}" if record.levelno >= logging.WARNING else text


def _warn_on_stderr() -> None:
    """geomap's warnings (an encoding detected, a geocoder failing) as ``warning: ...`` lines on
    stderr, and its notices (the gazetteer being indexed) as they are."""
    logger = logging.getLogger("geomap")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(_Lines())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


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
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None,
              help="Read every article in this language instead of telling each one's "
                   "(a sidecar's lang: wins).")
@max_size_opt
@encoding_opt
@workers_opts
@online_opts
def parse(paths: tuple[Path, ...], fmt: str, explain: bool, lang: str | None, max_bytes: int,
          encoding: str | None, workers: Workers, online) -> None:
    """Print the place mentions found in article files or folders."""
    try:
        if fmt == "jsonl" and online is None:  # each batch printed as soon as it is parsed
            read, skipped = reading_paths(list(paths), max_bytes, workers, encoding, lang,
                                          _interactive())
            for rendered in render_many(read, partial(export.mention_lines, explain=explain),
                                        workers, _interactive()):
                if text := "".join(rendered):
                    click.echo(text, nl=False)
        else:
            articles, skipped = parsing_paths(list(paths), max_bytes, workers, _interactive(),
                                              encoding, lang)
            if online is not None:
                from geomap import geocode

                articles = list(articles)
                geocode.place_unplaced(articles, online)
            if fmt == "geojson":
                click.echo(export.dumps(export.mentions_geojson(list(articles))), nl=False)
            else:
                for a in articles:
                    click.echo(export.mention_lines(a, explain), nl=False)
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
@map_files_opt
@workers_opts
@online_opts
def build(articles_dir: Path, out_dir: Path, as_json: bool, max_bytes: int, rebuild: bool,
          catalog: str | None, encoding: str | None, map_files: str, workers: Workers,
          online) -> None:
    """Build the maps and exports in OUT from the articles, parsing only what changed."""
    try:
        report = builder.build(articles_dir, out_dir, max_bytes, rebuild=rebuild,
                               workers=workers, progress=_interactive(), online=online,
                               catalog_url=catalog, encoding=encoding, map_files=map_files)
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
    click.echo(f"watching {articles_dir} (its articles added, changed or removed) -> "
               f"{out_dir / 'index.html'}; Ctrl-C stops", err=True)
    try:
        watch_folder(articles_dir, out_dir, _print_stamped_build, stop, debounce,
                     max_bytes=max_bytes, workers=workers, progress=_interactive(),
                     catalog_url=catalog)
    except KeyboardInterrupt:
        stop.set()
    except OSError as e:
        _fail(GeomapError(f"{articles_dir}: cannot watch: {e.strerror or e}"))


def _print_stamped_build(result: BuildReport | GeomapError) -> None:
    """:func:`_print_build` after the local time, to the second (``2026-12-02 16:40:01``)."""
    _print_build(result, f"{datetime.now().isoformat(' ', 'seconds')} ")


def _print_build(result: BuildReport | GeomapError, stamp: str = "") -> None:
    """One stderr line per build (of ``add``, ``follow``, ``watch``), after ``stamp``."""
    if isinstance(result, GeomapError):
        click.echo(f"{stamp}error: {result}", err=True)
        return
    click.echo(f"{stamp}{result.articles} articles ({result.parsed} parsed, {result.unchanged} "
               f"unchanged, {result.removed} removed), {result.mentions} mentions", err=True)
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


@cli.command(epilog="Exit codes: 0 done; 1 nothing recorded (no such place or article, no "
             "catalog), with a message; 2 a bad option; 3 imported, but some rows refused.")
@click.argument("mention", metavar="[PLACE]", required=False)
@click.option("--to", metavar="GEONAMEID|LAT,LON",
              help="What PLACE is: a GeoNames id of the gazetteer (e.g. 707753), or a point in "
              "degrees (e.g. \"49.21,37.26\").")
@click.option("--not-a-place", is_flag=True, help="PLACE is not a place here (a person, a ship…).")
@click.option("--article", metavar="NAME[#pN]",
              help="Only in this article (file name or stem), or in one passage of it "
              "(000_x.txt#p27, as its reader page's address ends). Default: every article, "
              "now and later.")
@click.option("--by", metavar="NAME", envvar="GEOMAP_USER", default="",
              help="Who makes it [env: GEOMAP_USER; default: your login name, or the database "
              "user with --catalog].")
@click.option("--note", metavar="TEXT", default="", help="Why, for the history.")
@click.option("--import", "csv_file", metavar="FILE.csv",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Import the rows of a corrections file (article,passage,mention,event,field,"
              "value) instead.")
@click.option("--list", "show", is_flag=True,
              help="List the corrections instead (with --article: those touching it).")
@out_opt
@catalog_opt
def correct(mention: str | None, to: str | None, not_a_place: bool, article: str | None, by: str,
            note: str, csv_file: Path | None, show: bool, out_dir: Path,
            catalog: str | None) -> None:
    """Correct a place geomap got wrong, for every build from now on: PLACE is its name as
    written in the articles. The correction is kept in the catalog (OUT's, or the team's with
    --catalog) with who made it and when; the next `geomap build` applies it. The latest
    correction of a place wins.

    \b
    geomap correct Izium --to 707753
    geomap correct Izium --to "49.21,37.26" --article 000_5569f9ce00dd0d52.txt#p27
    geomap correct Washington --not-a-place --article report.md --note "the US government"
    geomap correct --import corrections.csv
    geomap correct --list
    """
    from geomap import correct as correcting

    actions = [name for name, given in (("PLACE", mention), ("--import", csv_file),
                                        ("--list", show)) if given]
    if len(actions) != 1:
        raise click.UsageError("give a PLACE to correct, --import FILE.csv or --list")
    if mention is None and (to or not_a_place):
        raise click.UsageError("--to and --not-a-place go with a PLACE")
    try:
        target = correcting.place_target(to, not_a_place) if mention else None
        with _catalog_of(out_dir, catalog) as held:
            if show:
                history = correcting.listed(held, article)
                for c in history:
                    click.echo(correcting.history_line(c))
                if not history:
                    click.echo(f"no corrections in {held.name}", err=True)
            elif csv_file:
                _print_import(correcting.import_file(held, csv_file, by, note), csv_file, held)
            else:
                done = correcting.correct_place(held, mention, *target, article, by, note)
                c = done.correction
                click.echo(f"correction {c.id} by {c.by} at {c.at}: {done.summary()}; "
                           "the next build applies it", err=True)
    except GeomapError as e:
        _fail(e)


def _catalog_of(out_dir: Path, url: str | None):
    """The catalog of OUT (which must have been built) or at ``url``, for ``geomap correct``."""
    from geomap.build.catalog import catalog_path, open_catalog

    if url is None and not catalog_path(out_dir).exists():
        raise GeomapError(f"{out_dir}: no catalog there; build first (geomap build --out "
                          f"{out_dir}), or give the team's with --catalog")
    return open_catalog(out_dir, url=url)


def _print_import(done, csv_file: Path, catalog) -> None:
    """What ``geomap correct --import`` did; exit code 3 if rows were refused."""
    for problem in done.problems:
        click.echo(f"refused: {problem}", err=True)
    click.echo(f"{csv_file}: {len(done.added)} corrections imported into {catalog.name}"
               + (f", {done.already} there already" if done.already else "")
               + (f", {len(done.problems)} refused" if done.problems else ""), err=True)
    if done.problems:
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
