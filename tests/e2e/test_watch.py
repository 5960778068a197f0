"""geomap watch with a real watchdog observer: added, changed and removed articles are rebuilt."""
from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta

from geomap import build as builder
from geomap import gazetteer, watch
from geomap.build import BuildReport
from geomap.stages.resources import resources

TIMEOUT = 60


def next_report(reports: queue.Queue) -> BuildReport:
    report = reports.get(timeout=TIMEOUT)
    assert isinstance(report, BuildReport), report
    return report


def test_watch_rebuilds_after_adding_editing_and_removing_articles(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "a.txt").write_text("Shelling hit Kharkiv.\n", "utf-8")
    reports: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch.watch,
                              args=(articles, out, reports.put, stop, 0.3), daemon=True)
    thread.start()
    try:
        assert next_report(reports).articles == 1
        (articles / "b.txt").write_text("Troops entered Izium.\n", "utf-8")
        (articles / "c.txt").write_text("Aid reached Odesa.\n", "utf-8")
        added = next_report(reports)
        assert (added.articles, added.parsed) == (3, 2)
        (articles / "b.txt").write_text("Troops left Izium for Lyman.\n", "utf-8")
        assert next_report(reports).parsed == 1
        (articles / "c.txt").unlink()
        removed = next_report(reports)
        assert (removed.articles, removed.removed) == (2, 1)
        assert "c.txt" not in (out / "mentions.geojson").read_text("utf-8")
        assert reports.empty()
    finally:
        stop.set()
        thread.join(TIMEOUT)
    assert not thread.is_alive()


def test_warming_up_loads_the_parse_resources(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "a.txt").write_text("Shelling hit Kharkiv.\n", "utf-8")
    builder.build(articles, out)
    gazetteer.load.cache_clear()
    resources.cache_clear()
    builder.warm_up()
    assert resources.cache_info().currsize == 1 and gazetteer.load.cache_info().currsize == 1


def stderr_lines(process: subprocess.Popen) -> queue.Queue:
    """The lines ``process`` writes on stderr, as they come."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr],
                     daemon=True).start()
    return lines


STAMPED = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (\d+) articles \((\d+) parsed")


def stamped_build(lines: queue.Queue) -> tuple[datetime, int, int]:
    """When the next build was reported, its articles and how many it parsed."""
    match = STAMPED.match(lines.get(timeout=TIMEOUT))
    assert match, "a build line starts with its local time"
    return datetime.fromisoformat(match[1]), int(match[2]), int(match[3])


def ctrl_c_stops() -> None:
    """In the child: Ctrl-C (SIGINT) stops it, as in a terminal, even where the suite runs with
    SIGINT ignored (a shell's background job), which a child would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_the_command_says_what_it_watches_and_when_it_rebuilt(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "a.txt").write_text("Shelling hit Kharkiv.\n", "utf-8")
    with subprocess.Popen([sys.executable, "-m", "geomap", "watch", str(articles), "--out",
                           str(out), "--debounce", "0.3"], text=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, preexec_fn=ctrl_c_stops) as process:
        lines = stderr_lines(process)
        try:
            assert lines.get(timeout=TIMEOUT) == (
                f"watching {articles} (its articles added, changed or removed) -> "
                f"{out / 'index.html'}; Ctrl-C stops\n")
            first, count, _ = stamped_build(lines)
            assert count == 1 and abs(datetime.now() - first) < timedelta(minutes=1)
            (articles / "b.txt").write_text("Troops entered Izium.\n", "utf-8")
            second, count, parsed = stamped_build(lines)
            assert (count, parsed) == (2, 1) and first <= second
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
