"""The pipeline: ingest -> split -> recognise -> resolve, and the incremental build of ``maps/``.

Each stage is a module; this one only strings them together, keeps the catalog in step with the
articles folder and writes outputs atomically (into a temporary folder, then moved into place), so
a failed or interrupted build leaves the previous maps intact.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import deque
from collections.abc import Container, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from geomap import __version__, gazetteer, ingest
from geomap.catalog import REBUILD_HINT, Catalog
from geomap.datafiles import TAXONOMY_FILE, WEIGHTS_FILE
from geomap.errors import BusyError, CatalogError, GeomapError
from geomap.files import write_atomically
from geomap.ingest import Skipped
from geomap.models import Article, Event, Mention, Passage
from geomap.workers import Workers, executor

if TYPE_CHECKING:  # imported where used: a build with nothing to do imports no render stage
    from concurrent.futures import ProcessPoolExecutor

    from geomap import corrections, fragments

CATALOG_NAME = "catalog.gpkg"
OLD_CATALOG_NAME = "catalog.sqlite"  # schema v1
LOCK_NAME = ".geomap.lock"
COMMIT_NAME = ".commit.json"  # in a staging folder: its outputs are being moved into place
BATCH_MAX = 32  # articles per parse task
RACY_NS = 1_000_000_000  # files changed more recently than this are hashed again next build
IN_FLIGHT_PER_JOB = 4  # parse tasks queued per worker


PARSE_STAGES = ("ingest", "split", "names", "frequency", "recognise", "resolve", "distance", "events",
                "dates", "models")


@cache
def pipeline_version() -> str:
    """Identifies the code and data that parse an article (the stages' sources, the event types,
    the gazetteer's sources); any change invalidates cached parses."""
    h = hashlib.sha256(f"{__version__}+{gazetteer.source_fingerprint()}".encode())
    package = Path(__file__).parent
    for path in [*(p for m in PARSE_STAGES for p in _sources_of(package, m)), TAXONOMY_FILE,
                 WEIGHTS_FILE]:
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


def _sources_of(package: Path, stage: str) -> list[Path]:
    """The source files of a stage: its module, or those of its package."""
    module = package / f"{stage}.py"
    return [module] if module.exists() else sorted((package / stage).glob("*.py"))


def parse_article(article: Article) -> Article:
    """Split, recognise and resolve one article in place; returns it."""
    from geomap import events, recognise, resolve, split  # here: a build parsing nothing skips them
    gaz = gazetteer.load()
    article.passages = split.split(article.text)
    spans = recognise.recognise_article(article.text, article.passages, gaz)
    article.mentions = resolve.resolve(article.id, spans, gaz)
    article.events = events.detect(article)
    return article


def parse_text(text: str, article_id: str = "text") -> Article:
    """Parse a string as an article (for notebooks and tests)."""
    return parse_article(Article(id=article_id, path="", text=text, sha256=""))


def warm_up(out_dir: Path) -> None:
    """Load what a build of ``out_dir`` will need when an article changes: the parse stages and
    the gazetteer, and the fragments of its outputs (kept in memory, see
    :class:`geomap.fragments.Store`); for a process that waits for changes (``geomap watch``)."""
    from geomap import fragments

    warm_up_parse()
    if (out_dir / fragments.FILE).exists():
        with fragments.Store(out_dir / fragments.FILE) as store:
            store.load(store.keys())


def read_all(paths: list[Path], max_bytes: int = ingest.MAX_BYTES,
             known: dict[Path, tuple[str, str]] | None = None,
             encoding: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """Read every article (but those ``known``, see :func:`ingest.read_articles`; text files
    that are not UTF-8 as ``encoding``, if given); files that cannot be read are skipped with
    their reason; raises if none can be."""
    articles, skipped = ingest.read_articles(paths, max_bytes, known, encoding)
    ingest.require_some(paths, articles, skipped)
    return articles, skipped


def parse_paths(paths: list[Path], max_bytes: int = ingest.MAX_BYTES, workers: Workers = Workers(),
                progress: bool = False,
                encoding: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """Read and parse files and folders of articles, without a catalog."""
    articles, skipped = read_all(ingest.expand_paths(paths), max_bytes, encoding=encoding)
    return list(parse_many(articles, workers, progress)), skipped


@dataclass
class BuildReport:
    """What a build did: the JSON summary ``geomap build --json`` prints."""

    articles: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    mentions: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"articles": self.articles, "parsed": self.parsed, "unchanged": self.unchanged,
                "removed": self.removed, "mentions": self.mentions,
                "skipped": [{"file": str(s.path), "reason": s.reason} for s in self.skipped],
                "outputs": self.outputs}


Parsed = tuple[list[Passage], list[Mention], list[Event]]  # what parsing adds to an article


def parse_batch(articles: list[Article]) -> list[Parsed]:
    """Parse a batch of articles (one task for a worker process or a Dask worker); returns what
    parsing found in each, so that their texts are not sent back."""
    return [(a.passages, a.mentions, a.events) for a in map(parse_article, articles)]


def _batches(articles: list[Article], jobs: int) -> list[list[Article]]:
    """Articles cut into batches small enough to spread over ``jobs`` workers."""
    size = max(1, min(BATCH_MAX, len(articles) // (4 * jobs)))
    return [articles[i:i + size] for i in range(0, len(articles), size)]


def _in_flight(pool: Executor, batches: list[list[Article]], window: int) -> Iterator[list[Parsed]]:
    """The results of ``parse_batch`` over ``batches``, in order, with at most ``window`` tasks
    submitted at a time: the workers stay busy, yet a large archive never sits whole in the
    task queue (nor, on Dask, in one oversized graph)."""
    pending: deque[Future] = deque()
    for batch in batches:
        if len(pending) == window:
            yield pending.popleft().result()
        pending.append(pool.submit(parse_batch, batch))
    while pending:
        yield pending.popleft().result()


def parse_many(articles: list[Article], workers: Workers = Workers(),
               progress: bool = False) -> Iterator[Article]:
    """Parse articles on ``workers``, yielding each as parsed, in input order."""
    from tqdm import tqdm

    with tqdm(total=len(articles), desc="parse", unit="article", disable=not progress) as bar, \
            executor(workers, len(articles)) as pool:
        batches = ([[a] for a in articles] if pool is None else
                   _batches(articles, max(workers.jobs, 2)))
        results = (map(parse_batch, batches) if pool is None else
                   _in_flight(pool, batches, IN_FLIGHT_PER_JOB * max(workers.jobs, 2)))
        for batch, parsed in zip(batches, results):
            yield from _with_results(batch, parsed)
            bar.update(len(batch))


def _with_results(articles: list[Article], parsed: list[Parsed]) -> Iterator[Article]:
    """The ``articles`` given what parsing found in each."""
    for article, (passages, mentions, events) in zip(articles, parsed):
        article.passages, article.mentions, article.events = passages, mentions, events
        yield article


def stale(articles: list[Article], catalog: Catalog) -> list[Article]:
    """The articles the catalog does not hold as parsed by this version, in the order given."""
    version, stored = pipeline_version(), catalog.index()
    return [a for a in articles if stored.get(a.id) != (a.sha256, version)]


def warm_up_parse() -> None:
    """Import the parse stages and load the gazetteer (what a parse worker does first)."""
    parse_text("Kyiv.")


@contextmanager
def parse_worker(workers: Workers, changed: int) -> Iterator[ProcessPoolExecutor | None]:
    """A second process that starts loading the parse stages and the gazetteer at once, to parse
    the few articles a build finds changed (:func:`parsing_aside`) while this process loads the
    fragments of the others; None unless ``workers`` may use a second process on this machine
    and the ``changed`` files are some, but too few to repay a pool of ``workers.jobs``."""
    if not 0 < changed < workers.min_pool or workers.jobs < 2 or workers.dask \
            or workers.scheduler:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: 15 ms to import

    with ProcessPoolExecutor(1) as worker:
        worker.submit(warm_up_parse)
        yield worker


def parsing_aside(articles: list[Article], workers: Workers,
                  worker: ProcessPoolExecutor | None) -> Future | None:
    """``parse_batch`` of a few ``articles`` started on ``worker`` (:func:`parse_worker`), or None
    if there is none, or nothing to parse, or enough to repay a pool of ``workers.jobs``."""
    if worker is None or not 0 < len(articles) < workers.min_pool:
        return None
    return worker.submit(parse_batch, articles)


def parse_with_catalog(articles: list[Article], catalog: Catalog, report: BuildReport,
                       workers: Workers = Workers(), progress: bool = False,
                       skip: Container[str] = (), aside: Future | None = None) -> list[Article]:
    """Parsed articles, taking unchanged ones from the catalog and parsing (and storing) the rest;
    in the order given. Unchanged articles whose ids are in ``skip`` are left out (not loaded).
    ``aside`` is the :func:`parsing_aside` of the :func:`stale` articles, if one was started."""
    version = pipeline_version()
    todo = stale(articles, catalog)
    changed = {a.id for a in todo}
    done = catalog.load({a.id for a in articles if a.id not in changed and a.id not in skip})
    fresh = parse_many(todo, workers, progress) if aside is None else \
        _with_results(todo, aside.result())
    for parsed in fresh:
        catalog.put(parsed, version)
        done[parsed.id] = parsed
    report.parsed, report.unchanged = len(todo), len(articles) - len(todo)
    for a in articles:
        if a.id in done:
            done[a.id].path = a.path
    return [done[a.id] for a in articles if a.id in done]


def load_articles(articles_dir: Path, out_dir: Path | None = None,
                  max_bytes: int = ingest.MAX_BYTES, workers: Workers = Workers(),
                  progress: bool = False,
                  encoding: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """The articles of a folder parsed, with its corrections applied: taken from the catalog of
    ``out_dir`` where it holds them (the catalog is not changed), parsed now otherwise."""
    articles, skipped = read_all(ingest.find_articles(articles_dir), max_bytes, encoding=encoding)
    done = _cached(articles, catalog_path(out_dir)) if out_dir is not None else {}
    todo = [a for a in articles if a.id not in done]
    done |= {a.id: a for a in parse_many(todo, workers, progress)}
    for a in articles:
        done[a.id].path = a.path
    parsed = [done[a.id] for a in articles]
    from geomap import corrections

    return parsed, skipped + corrections.apply(articles_dir, parsed)


def _cached(articles: list[Article], path: Path) -> dict[str, Article]:
    """The articles a catalog holds as parsed now, by id; none if there is no catalog."""
    if not path.exists():
        return {}
    try:
        with Catalog(path) as catalog:
            stored, version = catalog.index(), pipeline_version()
            return catalog.load({a.id for a in articles if stored.get(a.id) == (a.sha256, version)})
    except sqlite3.DatabaseError as e:
        raise CatalogError(f"{path}: catalog damaged ({e}); {REBUILD_HINT}") from e


def recover(out_dir: Path) -> None:
    """Settle what a build killed half-way left: a staging folder whose outputs were being moved
    into place is moved in completely (see :func:`write_outputs`); others are removed."""
    for staging in out_dir.glob(".build-*"):
        if (staging / COMMIT_NAME).exists():
            _commit(staging, out_dir)
        shutil.rmtree(staging, ignore_errors=True)


def write_outputs(assembly: fragments.Assembly, pages: list[Article], out_dir: Path,
                  page_salt: str | None = None, kept: Mapping[str, str] | None = None) -> list[str]:
    """Write the map, the reader pages and the exports into ``out_dir``, all or nothing.

    The map and the GeoJSON files are those of the ``assembly``; pages are rendered for the
    articles in ``pages``. With ``page_salt`` (what the pages depend on besides their article),
    the pages of ``kept`` articles (id -> content hash), and of ``pages`` unchanged since, stay as
    they are. Everything is written into a staging folder first; once a record of what goes is in
    it, its files are moved into place: a build killed before that leaves the previous outputs,
    one killed after is completed by the next (:func:`recover`).
    """
    from geomap.render.pages import stage_pages

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".build-"))
    try:
        for name, text in assembly.outputs().items():
            write_atomically(staging / name, text)
        stale = stage_pages(pages, out_dir, staging, page_salt or "", kept,
                            reuse=page_salt is not None)
        names = sorted(p.name for p in staging.iterdir())
        write_atomically(staging / COMMIT_NAME, json.dumps({"stale": stale}))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _commit(staging, out_dir)
    shutil.rmtree(staging)
    return names


def _commit(staging: Path, out_dir: Path) -> None:
    """Move a staging folder's outputs into ``out_dir``: the pages (and PDF copies) one by one,
    then their manifest, then the other files; remove the pages its record names. Run again on the same
    folder, it completes what is left."""
    from geomap.render.pages import ARTICLES_DIR, MANIFEST

    stale = json.loads((staging / COMMIT_NAME).read_text("utf-8"))["stale"]
    pages, target = staging / ARTICLES_DIR, out_dir / ARTICLES_DIR
    target.mkdir(exist_ok=True)
    for page in sorted(p for p in pages.glob("*") if p.name != MANIFEST):  # pages, PDF copies
        os.replace(page, target / page.name)
    for name in stale:
        (target / name).unlink(missing_ok=True)
    if (pages / MANIFEST).exists():
        os.replace(pages / MANIFEST, target / MANIFEST)
    for path in sorted(staging.iterdir()):
        if path.is_file() and path.name != COMMIT_NAME:
            os.replace(path, out_dir / path.name)


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir``'s build lock; raises :class:`BusyError` if another build holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_NAME, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise BusyError(f"{out_dir}: another geomap build is writing it (pid "
                            f"{f.read().strip() or '?'}); run again when it is done") from None
        f.truncate(0)
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)


def catalog_path(out_dir: Path, rebuild: bool = False) -> Path:
    """The catalog of ``out_dir`` (a v1 ``catalog.sqlite`` is renamed, then migrated on opening);
    with ``rebuild``, the existing one is moved aside as ``catalog.gpkg.bak`` first."""
    path, old = out_dir / CATALOG_NAME, out_dir / OLD_CATALOG_NAME
    if old.exists() and not path.exists():
        os.replace(old, path)
    if rebuild and path.exists():
        os.replace(path, path.with_name(path.name + ".bak"))
    return path


def source_digests(paths: list[Path], max_bytes: int, seen: dict[str, list],
                   sidecars: Container[str]) -> tuple[dict[str, str], dict[str, list]]:
    """Each article file's bytes and its sidecar's, hashed together, by file name (nothing is
    decoded: this is how a build tells what changed), and the stat records to keep for the next
    build. As in git, a file whose inode, size, modification and change times are those ``seen``
    last time is not read again; a file changed within the last second is always read next time,
    since a change within the same tick of the clock would not show in its times. Only the
    ``sidecars`` the folder holds (by name) are asked for."""
    digests, stats = {}, {}
    recent = time.time_ns() - RACY_NS
    for path in paths:  # as strings: Path operations are most of the time for 5,000 files
        name, file = path.name, os.fspath(path)
        sidecar = os.path.splitext(file)[0] + ingest.SIDECAR_SUFFIX  # ingest.sidecar_path
        present = os.path.basename(sidecar) in sidecars
        key = [_stat_key(file), _stat_key(sidecar) if present else None]
        last = seen.get(name)
        if last and last[0] == key:
            digest = last[1]
        else:
            h = hashlib.sha256(_file_digest(file, max_bytes))
            h.update(_file_digest(sidecar, max_bytes))
            digest = h.hexdigest()
        digests[name] = digest
        if all(k is None or max(k[2], k[3]) < recent for k in key):
            stats[name] = [key, digest]
    return digests, stats


def _stat_key(path: str | Path) -> list[int] | None:
    """What tells a file unchanged without reading it (inode, size, modification and change
    times in ns), or None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def sources_fingerprint(digests: dict[str, str], articles_dir: Path, max_bytes: int) -> str:
    """What the outputs depend on: every article file and its sidecar (``digests``), the
    corrections, the size limit, the code and data of the pipeline."""
    h = hashlib.sha256(f"{outputs_version()}\0{max_bytes}".encode())
    h.update(orjson.dumps(digests, option=orjson.OPT_SORT_KEYS))
    h.update(_file_digest(articles_dir / ingest.CORRECTIONS_FILE, sys.maxsize))
    return h.hexdigest()


def _page_salt(articles_dir: Path) -> str:
    """What every reader page depends on besides its article: the code, the corrections."""
    corrections_file = articles_dir / ingest.CORRECTIONS_FILE
    return f"{outputs_version()}:{_file_digest(corrections_file, sys.maxsize).hex()}"


def _file_digest(path: str | Path, max_bytes: int) -> bytes:
    """A file's content hash; its size alone when over the limit (it is not read), or a marker
    when it does not exist or cannot be read."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            return f"size {size}".encode() if size > max_bytes else hashlib.sha256(f.read()).digest()
    except OSError as e:
        return f"unreadable {e.errno}".encode()


@cache
def outputs_version() -> str:
    """The parse pipeline and the code that renders and exports (a change rewrites the outputs)."""
    h = hashlib.sha256(pipeline_version().encode())
    package = Path(__file__).parent
    for path in sorted([package / "export.py", package / "fragments.py", package / "corrections.py",
                        *(package / "render").glob("*.py")]):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _known_sources(paths: list[Path], digests: dict[str, str], catalog: Catalog,
                   sources: dict[str, list[str]]) -> dict[Path, tuple[str, str]]:
    """The files whose bytes are those the last build read (its ``sources``, see
    :func:`_sources`), and whose parse the catalog holds: their content hash and text key, so they
    need not be read again."""
    stored, version = catalog.index(), pipeline_version()
    known = {}
    for path in paths:
        digest, sha256, key = sources.get(path.name) or (None, None, None)
        if digest == digests[path.name] and stored.get(path.name) == (sha256, version):
            known[path] = (sha256, key)
    return known


def _sources(parsed: list[Article], digests: dict[str, str],
             known: dict[Path, tuple[str, str]]) -> dict[str, list[str]]:
    """What the next build needs to know of each article file (named by the article's id): its
    bytes' digest, the article's content hash and its text key."""
    keys = {path.name: key for path, (_, key) in known.items()}
    return {a.id: [digests[a.id], a.sha256, keys[a.id] if a.id in keys else ingest.text_key(a)]
            for a in parsed}


def _last_build(catalog: Catalog) -> dict[str, Any]:
    """What the last build recorded in the catalog (see :func:`_build`); empty if none."""
    return orjson.loads(catalog.get_meta("last_build") or "{}")


def _last_sources(catalog: Catalog) -> dict[str, list[str]]:
    """What the last build recorded of each article file (:func:`_sources`); kept apart from
    :func:`_last_build`, which a build that finds nothing changed reads alone."""
    return orjson.loads(catalog.get_meta("last_sources") or "{}")


def _changed_files(digests: dict[str, str], sources: dict[str, list[str]]) -> int:
    """How many article files are new or changed since the last build (its ``sources``)."""
    return sum((sources.get(name) or [None])[0] != digest for name, digest in digests.items())


def _up_to_date(last: dict[str, Any], fingerprint: str, out_dir: Path,
                report: BuildReport) -> bool:
    """Whether the ``last`` build wrote these very outputs from these very files (then ``report``
    says what that build said)."""
    if last.get("fingerprint") != fingerprint or not (out_dir / "index.html").exists():
        return False
    report.articles = report.unchanged = last["articles"]
    report.mentions = last["mentions"]
    report.skipped = [Skipped(Path(p), reason) for p, reason in last["skipped"]]
    return True


def build(articles_dir: Path, out_dir: Path, max_bytes: int = ingest.MAX_BYTES, *,
          rebuild: bool = False, workers: Workers = Workers(), progress: bool = False,
          online=None, encoding: str | None = None) -> BuildReport:
    """Bring ``out_dir`` up to date with ``articles_dir``, parsing only new or changed articles and
    writing nothing when nothing changed. ``rebuild`` starts from a fresh catalog; ``online`` (a
    :mod:`geomap.geocode` geocoder) places what the gazetteer could not; ``encoding`` is that of
    the text files that are not UTF-8 (detected if not given)."""
    paths, sidecars = ingest.scan_folder(articles_dir)
    report = BuildReport()
    with build_lock(out_dir):
        recover(out_dir)
        try:
            with Catalog(catalog_path(out_dir, rebuild)) as catalog:
                seen = orjson.loads(catalog.get_meta("file_stats") or "{}")
                digests, stats = source_digests(paths, max_bytes, seen, sidecars)
                if encoding:  # the same bytes read otherwise: every file read again
                    digests = {name: hashlib.sha256(f"{d}\0{encoding}".encode()).hexdigest()
                               for name, d in digests.items()}
                fingerprint = sources_fingerprint(digests, articles_dir, max_bytes)
                if online is not None or not _up_to_date(_last_build(catalog), fingerprint,
                                                         out_dir, report):
                    sources = _last_sources(catalog)
                    changed = 0 if online is not None else _changed_files(digests, sources)
                    with parse_worker(workers, changed) as worker:
                        _build(articles_dir, paths, max_bytes, digests, fingerprint, sources,
                               catalog, out_dir, report, workers, worker, progress, online,
                               encoding)
                if stats != seen:
                    catalog.set_meta("file_stats", orjson.dumps(stats).decode())
        except sqlite3.OperationalError as e:
            if not _write_failure(e):
                raise CatalogError(f"{out_dir / CATALOG_NAME}: catalog damaged ({e}); "
                                   f"{REBUILD_HINT}") from e
            raise GeomapError(f"{out_dir / CATALOG_NAME}: cannot write the catalog ({e}: disk "
                              "full?); nothing was changed, free space and build again") from e
        except sqlite3.DatabaseError as e:
            raise CatalogError(f"{out_dir / CATALOG_NAME}: catalog damaged ({e}); "
                               f"{REBUILD_HINT}") from e
        except OSError as e:
            raise GeomapError(f"{out_dir}: cannot write the outputs ({e.strerror or e}); the "
                              "previous maps are unchanged, free space and build again") from e
    return report


def _write_failure(e: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed to write (a full disk or a file size limit), not to read."""
    return any(s in str(e) for s in ("disk I/O error", "database or disk is full"))


def _build(articles_dir: Path, paths: list[Path], max_bytes: int, digests: dict[str, str],
           fingerprint: str, sources: dict[str, list[str]], catalog: Catalog, out_dir: Path,
           report: BuildReport, workers: Workers, worker: ProcessPoolExecutor | None,
           progress: bool, online=None, encoding: str | None = None) -> None:
    """The build proper, under the lock: read and parse what changed (the few on ``worker``, a
    :func:`parse_worker`, if there is one), write outputs, update the catalog. The outputs of
    articles unchanged since the last build come from their fragments."""
    from geomap import fragments
    from geomap.render.pages import page_key

    known = _known_sources(paths, digests, catalog, sources)
    articles, report.skipped = read_all(paths, max_bytes, known, encoding)
    report.articles = len(articles)
    ids = [a.id for a in articles]
    report.removed = len(set(catalog.index()) - set(ids))
    salt = None if online else _page_salt(articles_dir)
    with fragments.Store(out_dir / fragments.FILE) as store:
        keys = {a.id: page_key(salt or "", a.sha256) for a in articles}  # fragments as pages
        aside = parsing_aside(stale(articles, catalog), workers, worker)
        kept = _kept_fragments(articles, keys, catalog, store, out_dir, salt)
        assembly = fragments.Assembly(ids)
        with fragments.gc_paused():
            for article_id, part in kept.items():  # while the others are parsed
                assembly.add(article_id, part)
        with fragments.gc_frozen():
            parsed = parse_with_catalog(articles, catalog, report, workers, progress,
                                        skip=kept, aside=aside)
        with fragments.gc_frozen():
            problems = _correct(articles_dir, parsed, kept)
            report.skipped += [Skipped(articles_dir / ingest.CORRECTIONS_FILE, p.message)
                               for p in problems]
            if online is not None:
                from geomap import geocode

                geocode.place_unplaced(parsed, online)
            made = {a.id: fragments.fragment(a, [p for p in problems if p.article == a.id])
                    for a in parsed}
            if salt is not None:
                store.save({i: (keys[i], part) for i, part in made.items()})
            for article_id, part in made.items():
                assembly.add(article_id, part)
            report.outputs = write_outputs(assembly, parsed, out_dir, salt,
                                           {a.id: a.sha256 for a in articles if a.id in kept})
            store.retain(ids)
            catalog.retain(ids)
            report.mentions = assembly.placed
            catalog.set_meta("last_sources",
                             orjson.dumps(_sources(articles, digests, known)).decode())
            catalog.set_meta("last_build", orjson.dumps({
                "fingerprint": fingerprint, "articles": report.articles,
                "mentions": report.mentions,
                "skipped": [[str(s.path), s.reason] for s in report.skipped]}).decode())


def _kept_fragments(articles: list[Article], keys: Mapping[str, str], catalog: Catalog,
                    store: fragments.Store, out_dir: Path,
                    salt: str | None) -> dict[str, fragments.Fragment]:
    """The fragments that hold for articles as they are now, by id: stored under the same key,
    of an article the catalog holds as parsed now, whose page the previous outputs hold (none
    without a ``salt``: every output is made anew)."""
    from geomap.render.pages import ARTICLES_DIR, manifest, page_key, page_name, pages_in

    if salt is None or not (out_dir / "index.html").exists():
        return {}
    stored, version = catalog.index(), pipeline_version()
    pages, present = manifest(out_dir / ARTICLES_DIR), pages_in(out_dir / ARTICLES_DIR)
    current = {a.id for a in articles if stored.get(a.id) == (a.sha256, version)
               and (name := page_name(a.id)) in present
               and pages.get(name) == page_key(salt, a.sha256)}
    return store.load({i: k for i, k in keys.items() if i in current})


def _correct(articles_dir: Path, parsed: list[Article],
             kept: Mapping[str, fragments.Fragment]) -> list[corrections.Problem]:
    """Apply the corrections to the articles ``parsed``; the problems of every row, those of
    ``kept`` articles as their fragments keep them."""
    if not (articles_dir / ingest.CORRECTIONS_FILE).is_file():
        return []
    from geomap import corrections

    return corrections.problems(articles_dir, parsed, {
        i: [corrections.Problem(line, i, message) for line, message in part["problems"]]
        for i, part in kept.items()})
