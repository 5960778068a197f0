"""Where articles are read and parsed: in this process, in a process pool (``--jobs N``), or on
Dask (``--dask`` starts a LocalCluster of ``--jobs`` workers; ``--scheduler ADDRESS`` joins a
running cluster). Each gives a :class:`concurrent.futures.Executor`, so the build submits the
same tasks (:func:`parse_batch`, batches of articles) to all of them. Files are read on a process
pool too (:func:`read_many`) where that repays it; Dask's workers are sent the articles' text.
A build of many files, parsed here or on its own processes, lists them without keeping their
texts (:func:`list_many`): each is read again where it is parsed, so that this process holds
the texts of the batches in flight, not of the archive.
"""
from __future__ import annotations

import gc
import logging
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from geomap.errors import GeomapError
from geomap.ingest import MAX_BYTES, Skipped, read_one, slow_to_read, text_key
from geomap.models import Article, Event, Mention, Passage

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass(frozen=True)
class Workers:
    """How many workers parse, and on what. ``processes=False`` keeps Dask workers as threads of
    this process (fast to start; for tests and small machines). A process pool starts only for
    ``min_pool`` articles or more: each of its processes loads the gazetteer again (about a second),
    which a few articles do not repay."""

    jobs: int = 1
    dask: bool = False
    scheduler: str | None = None
    processes: bool = True
    min_pool: int = 64


@contextmanager
def executor(workers: Workers, articles: int) -> Iterator[Executor | None]:
    """An executor for ``workers`` to parse ``articles`` articles, or None to parse them in this
    process."""
    if workers.dask or workers.scheduler:
        with _dask_client(workers) as client:
            yield client.get_executor(pure=False)  # tasks named without hashing their articles
    elif workers.jobs > 1 and articles >= workers.min_pool:
        with _process_pool(workers.jobs) as pool:
            yield pool
    else:
        yield None


@contextmanager
def _process_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` processes. On Linux, where they fork, the parse stages and their
    resources are loaded here first, and wordfreq's list that parsing many articles comes to
    need: every worker starts with them loaded, in memory it shares with this process, instead
    of each importing and loading them again."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # imported when a pool is started

    forks = sys.platform == "linux"  # elsewhere the platform's own way (spawn): forks are unsafe
    if forks:
        _load_parse_stages()
    gc.freeze()  # forked workers' collections then leave this process's objects untouched
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(
                "fork" if forks else None)) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _load_parse_stages(progress: bool = False) -> None:
    """Import and load the parse stages, the gazetteer and wordfreq's list, which parsing many
    articles comes to need (done once: later calls cost a parse of one word); with
    ``progress``, first say if the gazetteer is to be indexed."""
    from geomap.gazetteer import frequency
    from geomap.gazetteer.index import announce_indexing
    from geomap.stages.pipeline import warm_up_parse

    if progress:
        announce_indexing()
    warm_up_parse()
    frequency.load_fallback()


def _forks_a_pool(workers: Workers, articles: int) -> bool:
    """Whether parsing ``articles`` on ``workers`` forks a pool of processes (:func:`executor`),
    which loads the parse stages here first."""
    return sys.platform == "linux" and not (workers.dask or workers.scheduler) \
        and workers.jobs > 1 and articles >= workers.min_pool


@contextmanager
def _dask_client(workers: Workers) -> Iterator[object]:
    """A client of the cluster at ``workers.scheduler``, or of a new LocalCluster."""
    from distributed import Client, LocalCluster

    if workers.scheduler:
        with Client(workers.scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers.jobs, threads_per_worker=1, processes=workers.processes,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


BATCH_MAX = 32  # articles per parse task (files per read task)
T = TypeVar("T")
R = TypeVar("R")  # what a worker makes of a parsed article


IN_FLIGHT_PER_JOB = 4  # parse tasks queued per worker

Parsed = tuple[str | None, list[Passage], list[Mention], list[Event], Any, Article | None]
# what parsing adds to an article: its language, passages, mentions and events; what was made
# of it beside; and the article as read again where it was parsed (see :func:`list_many`)
Listed = tuple[Article, str]  # an article without its text, and its text key: see
# :func:`listed_without_text`


def read_many(paths: list[Path], workers: Workers = Workers(), max_bytes: int = MAX_BYTES,
              encoding: str | None = None, then_parsed: bool = False,
              progress: bool = False, listed: bool = False) -> list[Any]:
    """Each file read (:func:`ingest.read_one`), in order: on a pool of ``workers.jobs``
    processes when that repays starting it (:func:`_reads_aside`), else here. The warnings of
    reading (an encoding detected) are given here, in the files' order. When the files are
    ``then_parsed`` on a pool that this process forks, the parse stages are loaded here while
    the pool reads them, not after (with ``progress``, saying if the gazetteer is indexed
    first). ``listed``: each article given as :func:`listed_without_text` (see
    :func:`list_many`)."""
    if not _reads_aside(paths, workers):
        return [_read_one(p, max_bytes, encoding, listed) for p in paths]
    from concurrent.futures import ProcessPoolExecutor  # imported when a pool is started

    batches = _batches(paths, workers.jobs)
    with ProcessPoolExecutor(min(workers.jobs, len(batches))) as pool:
        reading = pool.map(partial(read_batch, listed=listed), batches, repeat(max_bytes),
                           repeat(encoding))
        if then_parsed and _forks_a_pool(workers, len(paths)):
            _load_parse_stages(progress)
        done = list(reading)
    for _, warnings in done:
        for name, level, message in warnings:
            logging.getLogger(name).log(level, "%s", message)
    return [result for results, _ in done for result in results]


def list_many(paths: list[Path], workers: Workers = Workers(), max_bytes: int = MAX_BYTES,
              encoding: str | None = None, then_parsed: bool = False,
              progress: bool = False) -> list[Listed | Skipped]:
    """:func:`read_many`, each article given without its text, with its text key
    (:func:`listed_without_text`): the texts are not all held here at once; parsing reads each
    again (:func:`parse_batch` with a :class:`Rereading`)."""
    return read_many(paths, workers, max_bytes, encoding, then_parsed, progress, listed=True)


def _read_one(path: Path, max_bytes: int, encoding: str | None,
              listed: bool) -> Article | Listed | Skipped:
    """:func:`ingest.read_one`; with ``listed``, the article :func:`listed_without_text`."""
    read = read_one(path, max_bytes, encoding)
    return listed_without_text(read) if listed and isinstance(read, Article) else read


def listed_without_text(article: Article) -> Listed:
    """The article without its text, styles, page offsets and source map (emptied, in place),
    with its text key: what a build keeps of an article to parse until it is read again
    (:class:`Rereading`)."""
    key = text_key(article)
    article.text, article.styles, article.pages, article.source_map = "", [], [], []
    return article, key


@dataclass(frozen=True)
class Rereading:
    """How the articles listed without their texts (:func:`list_many`) are read again where they
    are parsed: as they were listed."""

    max_bytes: int = MAX_BYTES
    encoding: str | None = None

    def again(self, article: Article) -> Article:
        """The article of the file of ``article`` (listed without its text) read again; raises
        if it cannot be read any more (the file was removed or changed meanwhile, and cannot
        be read now). Changed but readable, it is the file's article as it is now."""
        read = read_one(Path(article.path), self.max_bytes, self.encoding)
        if isinstance(read, Skipped):
            raise GeomapError(f"{read.reason} (it was read before this build parsed it: was it "
                              "changed meanwhile? build again)")
        read.id, read.lang = article.id, article.lang
        return read


READ_FIELDS = ("text", "sha256", "title", "source", "url", "published", "styles", "pages",
               "source_map")  # what reading an article gives it, its id and language aside


def _reads_aside(paths: list[Path], workers: Workers) -> bool:
    """Whether reading ``paths`` on worker processes repays starting them: with ``-j`` (Dask's
    workers are sent the articles' text: they may not see the files), for two files or more,
    ``workers.min_pool`` of them or some that are slow to read (PDFs)."""
    return (workers.jobs > 1 and not workers.dask and workers.scheduler is None
            and len(paths) > 1
            and (len(paths) >= workers.min_pool or any(map(slow_to_read, paths))))


def read_batch(paths: list[Path], max_bytes: int, encoding: str | None,
               listed: bool = False) -> tuple[list[Any], list[tuple[str, int, str]]]:
    """Read a batch of files (a task for a worker process): each article (with ``listed``, as
    :func:`listed_without_text`) or skipped file, and the warnings given meanwhile (logger
    name, level, message) for the build to give."""
    logger = logging.getLogger("geomap")
    handler = _Kept()
    saved = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [handler], False
    try:
        return [_read_one(p, max_bytes, encoding, listed) for p in paths], handler.kept
    finally:
        logger.handlers, logger.propagate = saved


class _Kept(logging.Handler):
    """Keeps the messages logged to it (name, level, message)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


def parse_batch(articles: list[Article], make: Callable[[Article], Any] | None = None,
                reading: Rereading | None = None) -> list[Parsed]:
    """Parse a batch of articles (one task for a worker process or a Dask worker); returns what
    parsing found in each, so that their texts are not sent back; with ``make``, each parsed
    article's language and what ``make`` made of it there instead (its passages, mentions and
    events empty: what is made holds what the caller needs of them). With ``reading``, the
    articles listed without their texts are read again first, and what they were read as is
    sent back too (:func:`with_results` gives it to the caller's articles)."""
    from geomap.stages.pipeline import (
        parse_article,  # here: a build parsing nothing skips it
    )

    done = []
    for given in articles:
        read = reading.again(given) if reading is not None and not given.text else None
        a = parse_article(read or given)
        if make is None:
            found = (a.lang, a.passages, a.mentions, a.events, None)
        else:
            found = (a.lang, [], [], [], make(a))
        done.append((*found, _as_read(a) if read is not None else None))
    return done


def _as_read(article: Article) -> Article:
    """An article as read: the fields of :data:`READ_FIELDS` of a parsed one (a new article)."""
    return Article(id=article.id, path=article.path,
                   **{name: getattr(article, name) for name in READ_FIELDS})


def render_batch(articles: list[Article], render: Callable[[Article], R]) -> list[R]:
    """Parse a batch of articles and give each parsed one to ``render`` (one task for a worker
    process or a Dask worker): what is sent back is what ``render`` makes of each (the text of
    an output, say), not the parses."""
    from geomap.stages.pipeline import parse_article

    return [render(parse_article(a)) for a in articles]


def _batches(items: list[T], jobs: int) -> list[list[T]]:
    """Articles (or files) cut into batches small enough to spread over ``jobs`` workers."""
    size = max(1, min(BATCH_MAX, len(items) // (4 * jobs)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _in_flight(pool: Executor, task: Callable[[list[Article]], list[R]],
               batches: list[list[Article]], window: int) -> Iterator[list[R]]:
    """The results of ``task`` over ``batches``, in order, with at most ``window`` tasks
    submitted at a time: the workers stay busy, yet a large archive never sits whole in the
    task queue (nor, on Dask, in one oversized graph)."""
    pending: deque[Future] = deque()
    for batch in batches:
        if len(pending) == window:
            yield pending.popleft().result()
        pending.append(pool.submit(task, batch))
    while pending:
        yield pending.popleft().result()


def _batch_results(articles: list[Article], workers: Workers, progress: bool,
                   task: Callable[[list[Article]], list[R]],
                   task_here: Callable[[list[Article]], list[R]] | None = None
                   ) -> Iterator[tuple[list[Article], list[R]]]:
    """Each batch of ``articles`` with the results of ``task`` over it, in input order: on
    ``workers``, or in this process (batches of one article; ``task_here`` instead, if given);
    with ``progress``, a progress bar, after saying if the gazetteer is to be indexed first."""
    from tqdm import tqdm

    from geomap.gazetteer.index import announce_indexing

    if articles and progress:
        announce_indexing()
    with tqdm(total=len(articles), desc="parse", unit="article", disable=not progress) as bar, \
            executor(workers, len(articles)) as pool:
        batches = ([[a] for a in articles] if pool is None else
                   _batches(articles, max(workers.jobs, 2)))
        results = (map(task_here or task, batches) if pool is None else
                   _in_flight(pool, task, batches, IN_FLIGHT_PER_JOB * max(workers.jobs, 2)))
        for batch, done in zip(batches, results):
            yield batch, done
            bar.update(len(batch))


def parse_many(articles: list[Article], workers: Workers = Workers(),
               progress: bool = False, made: Made | None = None,
               reading: Rereading | None = None) -> Iterator[Article]:
    """Parse articles on ``workers``, yielding each as parsed, in input order; with ``progress``,
    a progress bar, after saying if the gazetteer is to be indexed first. With ``made``, what
    its function makes of each parsed article is made by the worker that parsed it and kept in
    ``made`` until taken, and the article comes without its passages, mentions and events
    (what was made stands for them); parsing in this process makes nothing and gives the parse
    (the caller makes it when it needs it, rather than hold it meanwhile). With ``reading``,
    those listed without their texts (:func:`list_many`) are read again where they are parsed,
    and come with what they were read as."""
    task = partial(parse_batch, make=made.make if made else None, reading=reading)
    here = partial(parse_batch, reading=reading)
    for batch, parsed in _batch_results(articles, workers, progress, task, here):
        yield from with_results(batch, parsed, made)


def render_many(articles: list[Article], render: Callable[[Article], R],
                workers: Workers = Workers(), progress: bool = False) -> Iterator[list[R]]:
    """Parse articles on ``workers`` and ``render`` each where it was parsed (a module-level
    function, or a ``partial`` of one, that a worker can be sent): the renderings of each batch,
    in input order. A worker sends back only what ``render`` made, and this process does no
    more with an article than take it. With ``progress``, as :func:`parse_many`."""
    task = partial(render_batch, render=render)
    for _, rendered in _batch_results(articles, workers, progress, task):
        yield rendered


@dataclass
class Made:
    """What a worker makes of each article it parses instead of sending back the parse
    (``make``, a module-level function that a worker can be sent, returning a tuple whose last
    item is the parse as the catalog's rows), by article id, until it is taken."""

    make: Callable[[Article], tuple[Any, ...]]
    by_id: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def rows(self, articles: Iterable[Article]) -> dict[str, Any]:
        """The catalog's rows of those ``articles`` made here, by id (left until taken)."""
        return {a.id: made[-1] for a in articles if (made := self.by_id.get(a.id)) is not None}

    def take(self, article_id: str) -> Any:
        """What was made of an article, or None if nothing was (it was not parsed with it)."""
        return self.by_id.pop(article_id, None)


def with_results(articles: list[Article], parsed: list[Parsed],
                 made: Made | None = None) -> Iterator[Article]:
    """The ``articles`` given what parsing found in each (and what was made of each kept in
    ``made``), and what those read again where they were parsed were read as."""
    for article, (lang, passages, mentions, events, beside, read) in zip(articles, parsed):
        if read is not None:
            for name in READ_FIELDS:
                setattr(article, name, getattr(read, name))
        article.lang, article.passages, article.mentions, article.events = \
            lang, passages, mentions, events
        if made is not None and beside is not None:
            made.by_id[article.id] = beside
        yield article


@contextmanager
def parse_worker(workers: Workers, changed: int,
                 progress: bool = False) -> Iterator[ProcessPoolExecutor | None]:
    """A second process that starts loading the parse stages and the gazetteer at once, to parse
    the few articles a build finds changed (:func:`parsing_aside`) while this process loads the
    fragments of the others; None unless ``workers`` may use a second process on this machine
    and the ``changed`` files are some, but too few to repay a pool of ``workers.jobs``. With
    ``progress``, it first says if the gazetteer is to be indexed (the worker waits for it)."""
    if not 0 < changed < workers.min_pool or workers.jobs < 2 or workers.dask \
            or workers.scheduler:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor  # imported when a pool is started

    from geomap.gazetteer.index import announce_indexing

    if progress:
        announce_indexing()
    with ProcessPoolExecutor(1) as worker:
        worker.submit(_warm_up)
        yield worker


def _warm_up() -> None:
    """Import and load the parse stages and the gazetteer (the first task of the worker of
    :func:`parse_worker`, which imports them itself, while this process goes on without)."""
    from geomap.stages.pipeline import warm_up_parse

    warm_up_parse()


def parsing_aside(articles: list[Article], workers: Workers,
                  worker: ProcessPoolExecutor | None,
                  reading: Rereading | None = None) -> Future | None:
    """``parse_batch`` of a few ``articles`` (with ``reading``) started on ``worker``
    (:func:`parse_worker`), or None if there is none, or nothing to parse, or enough to repay a
    pool of ``workers.jobs``."""
    if worker is None or not 0 < len(articles) < workers.min_pool:
        return None
    return worker.submit(parse_batch, articles, reading=reading)
