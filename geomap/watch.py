"""``geomap watch``: rebuild whenever files in the articles folder are added, changed or removed.

A watchdog observer flags changes; a build starts once the folder has been quiet for ``debounce``
seconds, so a copy of many files makes one build, not one per file.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from geomap.build import BuildReport, build, warm_up
from geomap.errors import GeomapError

READ_ONLY_EVENTS = ("opened", "closed_no_write")  # a build reading the articles changes nothing


class _Flag(FileSystemEventHandler):
    """Sets ``changed`` on any change outside the output folder."""

    def __init__(self, changed: threading.Event, out_dir: Path) -> None:
        self.changed, self.out_dir = changed, out_dir.resolve()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in READ_ONLY_EVENTS:
            return
        if not Path(str(event.src_path)).resolve().is_relative_to(self.out_dir):
            self.changed.set()


def _quiet(changed: threading.Event, stop: threading.Event, debounce: float) -> bool:
    """Wait until no change came for ``debounce`` seconds; False if stopped meanwhile."""
    while True:
        changed.clear()
        if stop.wait(debounce):
            return False
        if not changed.is_set():
            return True


def watch(articles_dir: Path, out_dir: Path, on_build: Callable[[BuildReport | GeomapError], None],
          stop: threading.Event, debounce: float = 1.0, **build_options) -> None:
    """Build now, then again after each burst of changes, until ``stop`` is set. Each build's
    report (or the error that stopped it) goes to ``on_build``."""
    changed = threading.Event()
    observer = Observer()
    observer.schedule(_Flag(changed, out_dir), str(articles_dir), recursive=True)
    observer.start()
    try:
        on_build(first_build(articles_dir, out_dir, build_options))
        while not stop.is_set():
            if changed.wait(0.1) and _quiet(changed, stop, debounce):
                on_build(build_once(articles_dir, out_dir, build_options))
    finally:
        observer.stop()
        observer.join()


def first_build(articles_dir: Path, out_dir: Path,
                options: dict) -> BuildReport | GeomapError:
    """The first build of a watch; then what a build needs when an article changes is loaded
    (:func:`warm_up`), so that the first change is rebuilt as fast as the next ones."""
    report = build_once(articles_dir, out_dir, options)
    warm_up()
    gc.freeze()
    return report


def build_once(articles_dir: Path, out_dir: Path,
               options: dict) -> BuildReport | GeomapError:
    """One build; then what stays loaded (the parse stages, the gazetteer, the fragments kept in
    memory) is frozen out of the garbage collector's reach, so that the collections of the next
    builds do not scan it again and again."""
    try:
        return build(articles_dir, out_dir, **options)
    except GeomapError as e:
        return e
    finally:
        gc.freeze()
