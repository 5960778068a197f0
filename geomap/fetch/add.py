"""``geomap add``: web pages and Telegram exports saved into the articles folder, then built.

Each input is added or refused on its own, by name; a refused one leaves nothing behind.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geomap.errors import FetchError, GeomapError
from geomap.fetch import story as stories
from geomap.fetch.polite import Fetcher, Policy, check_url
from geomap.fetch.story import Story
from geomap.ingest import MAX_BYTES


@dataclass
class Outcome:
    """What became of one input: the article files it gave (each with ``added``, ``updated`` or
    ``unchanged``), or why it was refused."""

    source: str
    saved: list[tuple[Path, str]] = field(default_factory=list)
    error: FetchError | None = None


@dataclass
class AddReport:
    """What ``geomap add`` did: each input's outcome, and the build that followed (its report,
    or the error that stopped it; None with ``--no-build`` or when nothing was saved)."""

    outcomes: list[Outcome] = field(default_factory=list)
    build: Any = None

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]


def add(inputs: list[str], articles_dir: Path, policy: Policy, out_dir: Path | None = None,
        max_bytes: int = MAX_BYTES, **build_options: Any) -> AddReport:
    """Save each input — a page's URL, or a Telegram export file — into ``articles_dir``; then,
    unless ``out_dir`` is None, build it (``build_options`` as :func:`geomap.build.build`
    takes them) if anything was saved. ``max_bytes`` limits pages, exports and articles alike.
    Raises :class:`FetchError` before fetching anything when URLs are given without a user
    agent."""
    policy = replace(policy, max_bytes=max_bytes)
    report = AddReport()
    fetching = any(not _is_file(given) and _is_url(given) for given in inputs)
    with Fetcher(policy) if fetching else contextlib.nullcontext() as fetcher:
        for given in inputs:
            outcome = Outcome(given)
            try:
                if _is_file(given):
                    outcome.saved = add_export(Path(given), articles_dir, policy.max_bytes)
                else:
                    outcome.saved = [add_url(given, fetcher, articles_dir)]
            except FetchError as e:
                outcome.error = e
            report.outcomes.append(outcome)
    if out_dir is not None and any(o.saved for o in report.outcomes):
        report.build = build(articles_dir, out_dir, build_options | {"max_bytes": max_bytes})
    return report


def add_url(url: str, fetcher: Fetcher, articles_dir: Path,
            fallback: Story | None = None) -> tuple[Path, str]:
    """Fetch the page at ``url`` and save its article: ``(file, status)``."""
    from geomap.fetch.pages import fetch_page

    return stories.save(fetch_page(check_url(url), fetcher, fallback), articles_dir)


def add_export(path: Path, articles_dir: Path, max_bytes: int) -> list[tuple[Path, str]]:
    """Save every post of a Telegram export: ``[(file, status), ...]``."""
    from geomap.fetch.telegram import read_export

    posts = read_export(path, max_bytes)
    if not posts:
        raise FetchError(f"{path}: a Telegram export without any post with text")
    return [stories.save(post, articles_dir) for post in posts]


def build(articles_dir: Path, out_dir: Path, options: dict[str, Any]):
    """A build of ``out_dir``: its report, or the error that stopped it."""
    from geomap import build as builder

    try:
        return builder.build(articles_dir, out_dir, **options)
    except GeomapError as e:
        return e


def _is_file(given: str) -> bool:
    """Whether an input names a file (a Telegram export) rather than a URL."""
    return "://" not in given and Path(given).suffix.lower() == ".json"


def _is_url(given: str) -> bool:
    try:
        check_url(given)
    except FetchError:
        return False
    return True
