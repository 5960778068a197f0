"""Options shared by several commands (the rio/fio way: declared once, used as decorators)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from geomap.build.parallel import Workers

articles_opt = click.option(
    "--articles", "articles_dir", type=click.Path(path_type=Path), default=Path("seeds"),
    show_default=True, help="Folder of articles (.txt, .md, .html; metadata in <stem>.yaml).")
out_opt = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("maps"), show_default=True,
    help="Output folder for maps, exports and the catalog.")
json_opt = click.option("--json", "as_json", is_flag=True, help="Print a one-line JSON summary.")
max_size_opt = click.option(
    "--max-size", "max_bytes", type=click.FloatRange(min=0, min_open=True), default=5.0,
    show_default=True, callback=lambda ctx, param, mb: int(mb * 1_000_000),
    help="Refuse article files larger than this many megabytes.")


def workers_opts(command: Callable) -> Callable:
    """``--jobs``, ``--dask`` and ``--scheduler``, passed on as one ``workers`` argument."""
    def to_workers(ctx: click.Context, param: click.Parameter, scheduler: str | None) -> Workers:
        params = ctx.params
        return Workers(params.pop("jobs"), params.pop("dask"), scheduler)

    for option in reversed([
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
                     is_eager=True, help="Parse on this many worker processes (or Dask workers)."),
        click.option("--dask", is_flag=True, is_eager=True,
                     help="Parse on a Dask LocalCluster of --jobs workers."),
        click.option("--scheduler", "workers", metavar="ADDRESS", default=None,
                     callback=to_workers, help="Parse on the Dask cluster at ADDRESS "
                     "(e.g. tcp://10.0.0.5:8786)."),
    ]):
        command = option(command)
    return command


def online_opts(command: Callable) -> Callable:
    """``--online SERVICE``, ``--online-url`` and ``--user-agent``, passed on as one ``online``
    geocoder (or None)."""
    def to_geocoder(ctx: click.Context, param: click.Parameter, user_agent: str | None):
        service, url = ctx.params.pop("service"), ctx.params.pop("online_url")
        if service is None:
            return None
        if not user_agent:
            raise click.BadParameter("an online service needs --user-agent (its usage policy)",
                                     param_hint="--user-agent")
        from urllib.parse import urlsplit

        from geomap import geocode

        where = urlsplit(url) if url else None
        return geocode.geocoder(service, user_agent, domain=where.netloc if where else None,
                                scheme=where.scheme if where else "https")

    for option in reversed([
        click.option("--online", "service", type=click.Choice(["nominatim"]), default=None,
                     is_eager=True, help="Ask this online geocoder for names the offline "
                     "gazetteer cannot place (rate-limited, cached; off by default)."),
        click.option("--online-url", metavar="URL", default=None, is_eager=True,
                     help="Your own instance of the service (default: its public one)."),
        click.option("--user-agent", "online", metavar="UA", default=None, callback=to_geocoder,
                     help="Who is asking, as the online service's policy requires."),
    ]):
        command = option(command)
    return command
