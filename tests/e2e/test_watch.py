"""geomap watch with a real watchdog observer: added, changed and removed articles are rebuilt."""
from __future__ import annotations

import queue
import threading

from geomap import build as builder
from geomap import gazetteer, watch
from geomap.build import BuildReport, fragments
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


def test_warming_up_loads_the_parse_resources_and_the_fragments_of_the_outputs(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "a.txt").write_text("Shelling hit Kharkiv.\n", "utf-8")
    builder.build(articles, out)
    fragments.Store._memory.clear()
    gazetteer.load.cache_clear()
    resources.cache_clear()
    builder.warm_up(out)
    assert resources.cache_info().currsize == 1 and gazetteer.load.cache_info().currsize == 1
    (memory,) = [m for path, m in fragments.Store._memory.items() if path.parent == out.resolve()]
    assert list(memory) == ["a.txt"]
