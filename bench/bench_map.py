"""Map scale: geomap's map of a large archive against a plain folium map with as many points.

Builds ``index.html`` for the synthetic archive of ``bench/make_archive.py`` (10,000 articles by
default) and a plain folium map with one ``folium.Marker`` + ``Popup`` (the passage) per mark —
each mention and each located event — both made offline the same way (CDN files inlined, no
tiles). Prints, for each: the file size, the time to render it in Python, and in Debian's chromium
(Playwright) the time to first paint and to map ready (the load event plus two frames, or the first
paint if later); then the
ratios. Target (issue 4): geomap within 2x of plain folium on size and paint time.

Run: .venv/bin/python bench/bench_map.py [-n 10000] [--sentences 3] [--work DIR]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import folium
from offlinefolium.elements import _res as RESOURCES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_archive import make_archive  # noqa: E402

from geomap import ingest
from geomap.models import Article  # noqa: E402
from geomap.render import basemap  # noqa: E402
from geomap.render.assets import inline_tag  # noqa: E402
from geomap.render.map import map_html  # noqa: E402
from geomap.stages.pipeline import parse_article  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAINT_WAIT_MS = 120_000
# First paint and map ready (the load event plus two frames, or the first paint if later), in ms
# from navigation start; null if the page has not painted within PAINT_WAIT_MS of loading.
READY = """wait => Promise.all([
    new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
        () => done(performance.now())))),
    new Promise(done => {
        new PerformanceObserver(list => {
            const entry = list.getEntriesByName("first-paint")[0];
            if (entry) done(entry.startTime);
        }).observe({type: "paint", buffered: true});
        setTimeout(() => done(null), wait);
    }),
]).then(([ready, paint]) => ({ready: paint === null ? null : Math.max(ready, paint), paint}))"""


def parse_archive(folder: Path) -> list[Article]:
    """Read and parse every article of ``folder``."""
    return [parse_article(ingest.read_article(p)) for p in sorted(folder.glob("*.txt"))]


def marks(articles: list[Article]) -> list[tuple[float, float, str]]:
    """``(lat, lon, passage text)`` of every resolved mention and located event."""
    out = []
    for a in articles:
        for m in a.mentions:
            if m.place is not None:
                out.append((m.place.lat, m.place.lon, a.passage_text(m.passage)))
        for e in a.events:
            if e.lat is not None and e.lon is not None:
                out.append((e.lat, e.lon, a.passage_text(e.passage)))
    return out


def plain_folium_html(points: list[tuple[float, float, str]]) -> str:
    """One folium Marker with a Popup per point, its CDN files inlined (so it works offline)."""
    fmap = folium.Map(location=[48.5, 31.2], zoom_start=5, tiles=None)
    for lat, lon, text in points:
        folium.Marker([lat, lon], popup=folium.Popup(text)).add_to(fmap)
    page = fmap.get_root().render()
    for url, text in RESOURCES.items():
        page = page.replace(f'<script src="{url}"></script>', inline_tag("script", text))
        page = page.replace(f'<link rel="stylesheet" href="{url}"/>', inline_tag("style", text))
    return page


def timed(build) -> tuple[str, float]:
    start = time.perf_counter()
    page = build()
    return page, time.perf_counter() - start


def browser_times(paths: list[Path], runs: int) -> list[dict[str, float]]:
    """Median first paint and map ready (ms) of each page in chromium, offline."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                       headless=True, args=ARGS,
                                                       viewport={"width": 1200, "height": 800})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
            ("file:", "data:", "blob:")) else r.abort())
        for path in paths:
            samples = []
            for _ in range(runs):
                page = context.new_page()
                page.goto(path.as_uri(), wait_until="load", timeout=600_000)
                samples.append(page.evaluate(READY, PAINT_WAIT_MS))
                page.close()
            results.append({k: median([s[k] for s in samples]) for k in samples[0]})
        context.close()
    return results


def median(values: list[float | None]) -> float | None:
    """The median, counting None (never happened) as the largest; None if that is the median."""
    ordered = sorted(values, key=lambda v: (v is None, v or 0))
    return ordered[len(ordered) // 2]


def ms(value: float | None) -> str:
    return f"{value:10.0f}" if value is not None else f"{'>' + str(PAINT_WAIT_MS // 1000) + ' s':>10}"


def ratio(ours: float | None, plain: float | None) -> str:
    if ours is None:
        return f"{'?':>10}"
    return f"{ours / plain:10.2f}" if plain is not None else f"{'<' + format(ours / PAINT_WAIT_MS, '.3f'):>10}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=10_000, help="articles")
    parser.add_argument("--sentences", type=int, default=3, help="sentences per article")
    parser.add_argument("--runs", type=int, default=1, help="browser loads per page")
    parser.add_argument("--work", type=Path, default=None, help="folder to keep the outputs in")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    archive = work / "archive"
    if not archive.exists():
        import datetime as dt
        make_archive(archive, args.n, args.sentences, dt.date(2022, 2, 24), dt.date(2023, 12, 31))
    start = time.perf_counter()
    articles = parse_archive(archive)
    points = marks(articles)
    print(f"{len(articles)} articles, {len(points)} marks (mentions + located events), "
          f"parsed in {time.perf_counter() - start:.0f} s")

    shapes = basemap.load()
    ours, ours_s = timed(lambda: map_html(articles, shapes))
    plain, plain_s = timed(lambda: plain_folium_html(points))
    paths = [work / "geomap.html", work / "plain-folium.html"]
    for path, page in zip(paths, [ours, plain]):
        path.write_text(page, encoding="utf-8")
    times = browser_times(paths, args.runs)

    print(f"{'':14}{'size MB':>9}{'render s':>10}{'paint ms':>10}{'ready ms':>10}")
    for name, path, render_s, t in zip(["geomap", "plain folium"], paths, [ours_s, plain_s], times):
        print(f"{name:14}{path.stat().st_size / 1e6:9.2f}{render_s:10.1f}"
              f"{ms(t['paint'])}{ms(t['ready'])}")
    size_ratio = paths[0].stat().st_size / paths[1].stat().st_size
    print(f"{'geomap/plain':14}{size_ratio:9.2f}{ours_s / plain_s:10.2f}"
          f"{ratio(times[0]['paint'], times[1]['paint'])}{ratio(times[0]['ready'], times[1]['ready'])}")
    print(f"outputs in {work}")


if __name__ == "__main__":
    main()
