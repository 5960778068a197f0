"""The map of a large archive in the browser: how a built ``index.html`` opens and how it pans
and zooms, in Debian's chromium (Playwright), offline, from disk (``file://``) as a user opens it.

For each build folder given (the ``--out`` of ``geomap build``), a fresh browser per run:

- the size of ``index.html`` (and of its chunk files, ``index_files/``, for a split map);
- first paint, map ready (``geomapInit`` done, its layers set: the page's map has ``geomap``,
  then two frames), chunks in (a split map's chunk files all loaded; as ready for one file) and
  settled (the end of the last long task before a second without any), in ms from navigation
  start;
- peak memory of the page's renderer process (``VmHWM``) and its peak JS heap as sampled every
  100 ms while the page is free to run a timer (a peak inside one long task is missed);
- pan and zoom as a user does them once the map settled: 4 mouse drags (300 px right and back,
  200 px down and back) and 3 wheel zooms in then out, at the initial view, with the frames'
  intervals (``requestAnimationFrame``) through each (pan, zoom): median, 95th percentile and
  worst, and the long tasks (> 50 ms) meanwhile: their number and their time in all;
- the script errors the page threw (each printed once).

Prints each run and the median (min–max) over the runs. Measured on a machine shared with
other work: say the load (``uptime``) beside the figures.

Run: .venv/bin/python bench/bench_bigmap.py OUT [OUT ...] [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--enable-precise-memory-info"]
VIEWPORT = {"width": 1200, "height": 800}
LOAD_TIMEOUT_MS = 600_000
QUIET_MS = 1000  # no long task for this long: the page has settled

# Before the page's own scripts: long tasks and sampled JS heap, kept on window.
WATCH = """
window.__bench = {long: [], heap: 0};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__bench.long.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
setInterval(() => {
  window.__bench.heap = Math.max(window.__bench.heap, performance.memory.usedJSHeapSize);
}, 100);
"""
MAP_DONE = "window.L && (Object.values(window).find(v => v instanceof L.Map) || {}).geomap"
CHUNKS_IN = ("(c => !c || c.loaded + c.failed === c.count)"
             "(Object.values(window).find(v => v instanceof L.Map).geomap.chunks)")
TWO_FRAMES = ("new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
              "() => done(performance.now()))))")
PAINT = "(performance.getEntriesByName('first-paint')[0] || {startTime: null}).startTime"
FRAMES_START = """window.__bench.frames = [];
(function tick(t) {
  if (!window.__bench.frames) return;
  window.__bench.frames.push(t);
  requestAnimationFrame(tick);
})(performance.now());"""


def descendants(root: int) -> list[int]:
    """The ids of every process under ``root`` (from ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def renderer_peak_mb() -> float:
    """The largest peak resident memory (``VmHWM``) of the chromium renderers this process
    started, in MB."""
    peaks = []
    for pid in descendants(os.getpid()):
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines()
                  if line.startswith("VmHWM:")]
    return max(peaks, default=0.0)


def settle_time(page, ready: float) -> float:
    """When the page settled: the end of its last long task, once none came for
    :data:`QUIET_MS` (at least ``ready``)."""
    while True:
        now, tasks = page.evaluate("[performance.now(), window.__bench.long]")
        last = max([start + duration for start, duration in tasks], default=ready)
        if now - max(last, ready) >= QUIET_MS:
            return max(last, ready)
        page.wait_for_timeout(200)


def pan_and_zoom(page) -> dict[str, float]:
    """Drag the map 4 times, then wheel-zoom in 3 steps and out 3: for each of the two, the
    frames' intervals (ms) and the long tasks meanwhile."""
    box = page.locator(".folium-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag() -> None:
        for dx, dy in ((300, 0), (-300, 0), (0, 200), (0, -200)):
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + dx, y + dy, steps=15)
            page.mouse.up()
            page.wait_for_timeout(300)

    def zoom() -> None:
        for delta in (-240, -240, -240, 240, 240, 240):
            page.mouse.move(x, y)
            page.mouse.wheel(0, delta)
            page.wait_for_timeout(600)

    figures = {}
    for name, act in (("pan", drag), ("zoom", zoom)):
        start = page.evaluate("performance.now()")
        page.evaluate(FRAMES_START)
        act()
        frames = page.evaluate("(() => { const f = window.__bench.frames; "
                               "window.__bench.frames = null; return f; })()")
        tasks = [d for s, d in page.evaluate("window.__bench.long") if s >= start]
        gaps = sorted(b - a for a, b in zip(frames, frames[1:]))
        figures |= {f"{name}_median": statistics.median(gaps),
                    f"{name}_p95": gaps[int(0.95 * (len(gaps) - 1))], f"{name}_max": gaps[-1],
                    f"{name}_long": len(tasks), f"{name}_long_ms": sum(tasks)}
    return figures


def run(playwright, out: Path) -> dict[str, float]:
    """One run: a fresh browser opens the map of ``out``, waits for it to settle, pans and
    zooms."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
            ("file:", "data:", "blob:")) else r.abort())
        context.add_init_script(WATCH)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(e.stack.splitlines()[0] + " " + next(
            (line.strip() for line in e.stack.splitlines()[1:]), "")))
        page.goto((out / "index.html").as_uri(), wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(MAP_DONE, polling=50, timeout=LOAD_TIMEOUT_MS)
        ready = page.evaluate(TWO_FRAMES)
        page.wait_for_function(CHUNKS_IN, polling=50, timeout=LOAD_TIMEOUT_MS)
        chunks = max(ready, page.evaluate("performance.now()"))
        settled = settle_time(page, chunks)
        figures = {"paint": page.evaluate(PAINT), "ready": ready, "chunks": chunks,
                   "settled": settled}
        figures |= pan_and_zoom(page)
        figures["heap_mb"] = page.evaluate("window.__bench.heap") / 2 ** 20
        figures["renderer_mb"] = renderer_peak_mb()
        figures["errors"] = len(errors)
        for error in sorted(set(errors)):
            print(f"  script error: {error}")
        return figures
    finally:
        browser.close()


COLUMNS = [("paint", "first paint ms"), ("ready", "ready ms"), ("chunks", "chunks in ms"),
           ("settled", "settled ms"),
           ("heap_mb", "JS heap MB"), ("renderer_mb", "renderer MB"),
           *((f"{act}_{key}", f"{act} {label}") for act in ("pan", "zoom") for key, label in (
               ("median", "frame median ms"), ("p95", "frame p95 ms"), ("max", "frame max ms"),
               ("long", "long tasks"), ("long_ms", "long tasks ms"))),
           ("errors", "script errors")]


def spread(values: list[Any]) -> str:
    """``median (min–max)``."""
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("outs", type=Path, nargs="+", help="build folders (geomap build --out)")
    parser.add_argument("--runs", type=int, default=3, help="fresh browsers per build")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        for out in args.outs:
            files = list((out / "index_files").glob("*.js"))
            print(f"{out}: index.html {(out / 'index.html').stat().st_size / 1e6:.1f} MB, "
                  f"{len(files)} chunk files {sum(f.stat().st_size for f in files) / 1e6:.1f} "
                  f"MB; load {os.getloadavg()[0]:.1f}")
            runs = []
            for n in range(args.runs):
                began = time.perf_counter()
                runs.append(run(p, out))
                print(f"  run {n + 1} ({time.perf_counter() - began:.0f} s): " + ", ".join(
                    f"{label} {runs[-1][key]:.0f}" for key, label in COLUMNS), flush=True)
            for key, label in COLUMNS:
                print(f"  {label:24} {spread([r[key] for r in runs])}")
            print(f"  load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
