"""Options shared by several commands (the rio/fio way: declared once, used as decorators)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from geomap.build.parallel import Workers

articles_opt = click.option(
    "--articles", "articles_dir", type=click.Path(path_type=Path), default=Path("seeds"),
    show_default=True,
    help="Folder of articles (.txt, .md, .html, .pdf, .docx; metadata in <stem>.yaml).")
out_opt = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("maps"), show_default=True,
    help="Output folder for maps, exports and the catalog.")


def _catalog_url(ctx: click.Context, param: click.Parameter, url: str | None) -> str | None:
    if not url:
        return None
    from geomap.build.postgis import is_url

    if not is_url(url):
        raise click.BadParameter(f"{url!r} is not a postgresql://USER@HOST/DB URL")
    return url


catalog_opt = click.option(
    "--catalog", "catalog", metavar="URL", envvar="GEOMAP_CATALOG", default=None,
    callback=_catalog_url, help="Keep the catalog in the PostGIS database at this "
    "postgresql://USER@HOST/DB URL (one a team shares) rather than in OUT/catalog.gpkg "
    "[env: GEOMAP_CATALOG].")
json_opt = click.option("--json", "as_json", is_flag=True, help="Print a one-line JSON summary.")
max_size_opt = click.option(
    "--max-size", "max_bytes", type=click.FloatRange(min=0, min_open=True), default=5.0,
    show_default=True, callback=lambda ctx, param, mb: int(mb * 1_000_000),
    help="Refuse article files larger than this many megabytes.")


def _encoding(ctx: click.Context, param: click.Parameter, name: str | None) -> str | None:
    from geomap.errors import InputError
    from geomap.ingest.encoding import check_encoding

    try:
        return None if name is None else check_encoding(name)
    except InputError as e:
        raise click.BadParameter(str(e)) from None


encoding_opt = click.option(
    "--encoding", metavar="NAME", default=None, callback=_encoding,
    help="Encoding of the text files that are not UTF-8 (e.g. cp1252, cp1251), instead of "
         "detecting it; a sidecar's encoding: wins.")


map_files_opt = click.option(
    "--map-files", type=click.Choice(["auto", "one", "split"]), default="auto",
    show_default=True,
    help="Write the map as one self-contained index.html (one, to send as one file), or as a "
    "page plus index_files/ holding the passages and other popup text, loaded after the map is "
    "shown (split: opens much faster at scale). auto: one file up to 5,000 articles, split "
    "above.")


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


def fetch_opts(command: Callable) -> Callable:
    """``--user-agent``, ``--timeout``, ``--delay`` and ``--retries``, passed on as one ``policy``
    (:class:`geomap.fetch.polite.Policy`; the command's ``--max-size`` is its size limit)."""
    def to_policy(ctx: click.Context, param: click.Parameter, retries: int):
        from geomap.fetch.polite import Policy

        p = ctx.params
        return Policy(p.pop("user_agent"), p.pop("timeout"), p.pop("delay"), retries)

    for option in reversed([
        click.option("--user-agent", metavar="UA", envvar="GEOMAP_USER_AGENT", is_eager=True,
                     help="Who is asking, sent with every request, e.g. 'my-project/1.0 "
                     "(me@example.org)' (or GEOMAP_USER_AGENT); needed to fetch."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=20.0,
                     show_default=True, is_eager=True,
                     help="Seconds to wait for an answer, and to read it."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     is_eager=True, help="Seconds between two requests to one host (longer "
                     "when its robots.txt asks)."),
        click.option("--retries", "policy", type=click.IntRange(min=0), default=3,
                     show_default=True, callback=to_policy,
                     help="Tries again after a 429, a 5xx or a timeout, backing off."),
    ]):
        command = option(command)
    return command


class Duration(click.ParamType):
    """A duration such as ``90`` (seconds), ``30s``, ``15m``, ``2h`` or ``1d``, in seconds."""

    name = "duration"
    UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(self, value, param, ctx) -> float:
        import re

        if isinstance(value, (int, float)):
            return float(value)
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value).lower())
        if not match or float(match[1]) <= 0:
            self.fail(f"{value!r} is not a duration such as 90, 30s, 15m, 2h or 1d", param, ctx)
        return float(match[1]) * self.UNITS[match[2]]
