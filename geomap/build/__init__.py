"""The incremental build: bring a maps folder up to date with an articles folder, parsing only
new or changed articles and writing nothing when nothing changed.

A build is a short list of named steps (:func:`build`, then :func:`_build`): tell what changed
(:mod:`.changes`), read and parse the changed articles (:mod:`.parallel`, into the
:mod:`.catalog`) and take them a batch at a time (apply the corrections, write their shares of
the outputs, :mod:`.fragments`, and their pages, keep their tallies), keep the unchanged
articles' shares, and write the outputs (:mod:`.outputs`) all or nothing (:mod:`.staging`).
"""
from __future__ import annotations

import time
from collections.abc import Container, Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from more_itertools import chunked

from geomap import ingest
from geomap.build import changes
from geomap.build.catalog import (
    Catalog,
    ParseRows,
    Source,
    catalog_path,
    open_catalog,
    parse_rows,
)
from geomap.build.parallel import (
    Made,
    Rereading,
    Workers,
    list_many,
    parse_many,
    parse_worker,
    parsing_aside,
    read_many,
    with_results,
)
from geomap.build.staging import Staging, recover
from geomap.errors import GeomapError
from geomap.ingest import Skipped
from geomap.models import Article, Correction
from geomap.stages import parse_version as pipeline_version

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from geomap import corrections
    from geomap.build import fragments
    from geomap.render.pages import PageStaging

def read_all(paths: list[Path], max_bytes: int = ingest.MAX_BYTES,
             encoding: str | None = None, workers: Workers = Workers(),
             then_parsed: bool = False,
             progress: bool = False) -> tuple[list[Article], list[Skipped]]:
    """Read every article (see :func:`ingest.read_articles`; text files that are not UTF-8 as
    ``encoding``, if given), on ``workers`` where that repays it (:func:`read_many`; with
    ``then_parsed``, all of them parsed next, with a progress bar if ``progress``); files that
    cannot be read are skipped with their reason; raises if none can be."""
    articles, skipped = ingest.read_articles(
        paths, max_bytes, encoding,
        reading=lambda unknown: read_many(unknown, workers, max_bytes, encoding, then_parsed,
                                          progress))
    ingest.require_some(paths, articles, skipped)
    return articles, skipped


def parse_paths(paths: list[Path], max_bytes: int = ingest.MAX_BYTES, workers: Workers = Workers(),
                progress: bool = False, encoding: str | None = None,
                lang: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """Read and parse files and folders of articles, without a catalog; each read in ``lang``
    if given (a sidecar's ``lang:`` wins), else in the language it is told to be in."""
    parsed, skipped = parsing_paths(paths, max_bytes, workers, progress, encoding, lang)
    return list(parsed), skipped


def parsing_paths(paths: list[Path], max_bytes: int = ingest.MAX_BYTES,
                  workers: Workers = Workers(), progress: bool = False,
                  encoding: str | None = None,
                  lang: str | None = None) -> tuple[Iterator[Article], list[Skipped]]:
    """:func:`parse_paths`, the articles parsed as they are taken from the iterator (in order)."""
    articles, skipped = reading_paths(paths, max_bytes, workers, encoding, lang, progress)
    return parse_many(articles, workers, progress), skipped


def reading_paths(paths: list[Path], max_bytes: int = ingest.MAX_BYTES,
                  workers: Workers = Workers(), encoding: str | None = None,
                  lang: str | None = None,
                  progress: bool = False) -> tuple[list[Article], list[Skipped]]:
    """The articles of files and folders read (:func:`read_all`), to be parsed next in ``lang``
    if given (a sidecar's ``lang:`` wins; with a progress bar if ``progress``); the files
    skipped."""
    articles, skipped = read_all(ingest.expand_paths(paths), max_bytes, encoding=encoding,
                                 workers=workers, then_parsed=True, progress=progress)
    for a in articles:
        a.lang = a.lang or lang
    return articles, skipped


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


def stale(ids: Iterable[str], sha256: Mapping[str, str], catalog: Catalog) -> list[str]:
    """The articles (of ``ids``, with their content hashes) the catalog does not hold as parsed
    by this version, in the order given."""
    version, stored = pipeline_version(), catalog.index()
    return [i for i in ids if stored.get(i) != (sha256[i], version)]


def claimed(articles: list[Article], catalog: Catalog) -> list[Article]:
    """Of the :func:`stale` ``articles``, those this build is to parse, not another build
    writing the catalog (nor one that stored it meanwhile)."""
    mine = set(catalog.claim([a.id for a in articles]))
    left = set(stale(mine, {a.id: a.sha256 for a in articles}, catalog))  # the index read again
    return [a for a in articles if a.id in left]


LOAD_BATCH = 256  # unchanged articles loaded from the catalog at a time


def parsed_with_catalog(ids: list[str], folder: Path, changed: list[Article], catalog: Catalog,
                        report: BuildReport, todo: list[Article], workers: Workers = Workers(),
                        progress: bool = False, skip: Container[str] = (),
                        aside: Future | None = None, made: Made | None = None,
                        reading: Rereading | None = None) -> Iterator[Article]:
    """The parsed articles (``ids``, files of ``folder``), one at a time, in no set order:
    unchanged ones loaded from the catalog (:data:`LOAD_BATCH` at a time), those of the
    ``changed`` articles (:func:`stale`) :func:`claimed` as ``todo`` parsed (and stored), and
    the others taken once the build that was parsing them is done; so that a build holds a
    batch of them at a time, not the archive. Unchanged articles whose ids are in ``skip`` are
    left out (not loaded). ``aside`` is the :func:`parsing_aside` of ``todo``, if one was
    started; ``made``, what the workers make of each article they parse (see
    :func:`parse_many`); ``reading``, how those listed without their texts are read again.
    Once all are taken, ``report`` counts those parsed here and the others."""
    version, left = pipeline_version(), {a.id for a in changed}
    unchanged = [i for i in ids if i not in left and i not in skip]
    for start in range(0, len(unchanged), LOAD_BATCH):
        for loaded in catalog.load(set(unchanged[start:start + LOAD_BATCH])).values():
            loaded.path = str(folder / loaded.id)
            yield loaded
    fresh = parse_many(todo, workers, progress, made, reading) if aside is None else \
        with_results(todo, aside.result())
    yield from stored(fresh, catalog, version, made if aside is None else None)
    mine = {a.id for a in todo}
    elsewhere = [a for a in changed if a.id not in mine]
    report.parsed = len(todo)
    if elsewhere:
        yield from _parsed_elsewhere(elsewhere, catalog, report, workers, progress, made,
                                     reading)
    report.unchanged = len(ids) - report.parsed


def _parsed_elsewhere(articles: list[Article], catalog: Catalog, report: BuildReport,
                      workers: Workers, progress: bool, made: Made | None = None,
                      reading: Rereading | None = None) -> Iterator[Article]:
    """The ``articles`` another build was parsing, once it is done: as it stored them, or
    parsed here if it did not (it was stopped, or read another text; ``report`` counts them)."""
    catalog.wait([a.id for a in articles])
    left = set(stale([a.id for a in articles], {a.id: a.sha256 for a in articles}, catalog))
    todo = [a for a in articles if a.id in left]
    version, paths = pipeline_version(), {a.id: a.path for a in articles}
    for loaded in catalog.load({a.id for a in articles if a.id not in left}).values():
        loaded.path = paths[loaded.id]
        yield loaded
    report.parsed += len(todo)
    yield from stored(parse_many(todo, workers, progress, made, reading), catalog, version,
                      made)


COMMIT_SECONDS = 1.0  # the longest a parsed article waits to be committed
COMMIT_MAX = 256  # the most articles committed at once


def stored(parsed: Iterable[Article], catalog: Catalog, version: str,
           made: Made | None = None) -> Iterator[Article]:
    """The ``parsed`` articles, each once the catalog holds it (as parsed: what is done to it
    afterwards is not stored): put into the catalog in batches, each committed on its own: the
    first article alone, then each batch as large as all before it together (at most
    ``COMMIT_MAX``), or what was parsed since the last once ``COMMIT_SECONDS`` have passed. So a
    build killed half-way keeps at least half of what it parsed, all but its last second's work
    at most, in a few commits (a dozen for a thousand articles, not a thousand). Those parsed
    with ``made`` are stored from the rows made where they were parsed."""
    def put(batch: list[Article]) -> None:
        catalog.put(batch, version, made.rows(batch) if made else None)

    batch: list[Article] = []
    committed, last = 0, time.monotonic()
    for article in parsed:
        batch.append(article)
        if len(batch) >= min(max(committed, 1), COMMIT_MAX) \
                or time.monotonic() - last >= COMMIT_SECONDS:
            put(batch)
            yield from batch
            committed, batch, last = committed + len(batch), [], time.monotonic()
    if batch:
        put(batch)
        yield from batch


def load_articles(articles_dir: Path, out_dir: Path | None = None,
                  max_bytes: int = ingest.MAX_BYTES, workers: Workers = Workers(),
                  progress: bool = False,
                  catalog_url: str | None = None,
                  encoding: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """The articles of a folder parsed, with its corrections applied: taken from the catalog of
    ``out_dir`` (or the PostGIS database at ``catalog_url``) where it holds them (the catalog is not
    changed), parsed now otherwise; ``encoding`` is that of the text files that are not UTF-8."""
    articles, skipped = read_all(ingest.find_articles(articles_dir), max_bytes, encoding=encoding,
                                 workers=workers)
    done, rules = _cached(articles, out_dir, catalog_url) if out_dir or catalog_url else ({}, [])
    todo = [a for a in articles if a.id not in done]
    done |= {a.id: a for a in parse_many(todo, workers, progress)}
    for a in articles:
        done[a.id].path = a.path
    parsed = [done[a.id] for a in articles]
    from geomap import corrections

    return parsed, skipped + corrections.apply(articles_dir, parsed, rules)


def _cached(articles: list[Article], out_dir: Path | None,
            url: str | None) -> tuple[dict[str, Article], list[corrections.Row]]:
    """The articles the catalog of ``out_dir`` (or at ``url``) holds as parsed now, by id, and
    its corrections; none if there is no catalog."""
    if url is None and not catalog_path(out_dir).exists():
        return {}, []
    from geomap import corrections

    with open_catalog(out_dir or Path("."), url=url) as catalog:
        stored, version = catalog.index(), pipeline_version()
        rules = [corrections.catalog_row(c, catalog.name) for c in catalog.corrections()]
        return catalog.load({a.id for a in articles
                             if stored.get(a.id) == (a.sha256, version)}), rules


def warm_up() -> None:
    """Load what a build will need when an article changes, the parse stages and
    the gazetteer, for a process that waits for changes (``geomap watch``). (The outputs' other
    parts are read as a build needs them: those of unchanged articles are not held in memory.)"""
    from geomap.stages.pipeline import warm_up_parse

    warm_up_parse()


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


@dataclass
class BuildOptions:
    """How to build: the ``geomap build`` options (see :func:`build`)."""

    max_bytes: int = ingest.MAX_BYTES
    rebuild: bool = False
    workers: Workers = field(default_factory=Workers)
    progress: bool = False
    online: object | None = None  # a geomap.geocode geocoder
    catalog_url: str | None = None  # a postgresql:// URL, or None for the folder's GeoPackage
    encoding: str | None = None  # of the text files that are not UTF-8 (else detected)
    map_files: str = "auto"  # the map as one file, split, or by its size (render.map.MAP_FILES)


@dataclass
class _Run:
    """One build under way: its folders, options, catalog and report, and what it found changed."""

    articles_dir: Path
    out_dir: Path
    options: BuildOptions
    catalog: Catalog
    report: BuildReport
    names: list[str]  # the article files of articles_dir, sorted
    digests: dict[str, str]  # each article file's digest, by name (see .changes)
    sources: dict[str, Source]  # what the last build recorded of each file
    rules: list[Correction]  # the catalog's corrections
    worker: ProcessPoolExecutor | None = None  # a second process for a few changed articles


def build(articles_dir: Path, out_dir: Path, max_bytes: int = ingest.MAX_BYTES, *,
          rebuild: bool = False, workers: Workers = Workers(), progress: bool = False,
          online=None, catalog_url: str | None = None, encoding: str | None = None,
          map_files: str = "auto") -> BuildReport:
    """Bring ``out_dir`` up to date with ``articles_dir``, parsing only new or changed articles and
    writing nothing when nothing changed. ``rebuild`` starts from a fresh catalog; ``online`` (a
    :mod:`geomap.geocode` geocoder) places what the gazetteer could not; ``catalog_url`` (a
    ``postgresql://`` URL) keeps the parses in PostGIS rather than in ``out_dir``; ``encoding`` is
    that of the text files that are not UTF-8 (detected if not given); ``map_files`` says
    whether the map is one file or split into a page and chunk files (``auto``: by its size;
    see :func:`geomap.render.map.split_map`)."""
    options = BuildOptions(max_bytes, rebuild, workers, progress, online, catalog_url, encoding,
                           map_files)
    names, sidecars = ingest.scan_names(articles_dir)
    report = BuildReport()
    with _output_errors(out_dir), open_catalog(out_dir, options.rebuild, options.catalog_url,
                                               building=True) as catalog:
        recover(out_dir)
        stats = changes.stat_files(articles_dir, names, sidecars)
        listed, last = changes.stats_digest(stats), changes.last_build(catalog)
        rules = catalog.corrections()
        fingerprint_of = partial(changes.sources_fingerprint, articles_dir=articles_dir,
                                 max_bytes=options.max_bytes, rules=rules,
                                 encoding=options.encoding, map_files=options.map_files)
        if options.online is None and listed is not None and listed == last.get("stats") \
                and _up_to_date(last, fingerprint_of(last["files"]), out_dir, report):
            return report  # every file as the last build found it: none looked up
        sources = catalog.sources()
        digests = changes.source_digests(articles_dir, stats, options.max_bytes, sources)
        files = changes.digests_digest(digests)
        fingerprint = fingerprint_of(files)
        built = options.online is not None or not _up_to_date(last, fingerprint, out_dir, report)
        if built:
            changed = 0 if options.online is not None else \
                changes.changed_files(digests, options.encoding, sources)
            with parse_worker(options.workers, changed, options.progress) as worker:
                listing = _build(_Run(articles_dir, out_dir, options, catalog, report, names,
                                      digests, sources, rules, worker))
            rows, gone = changes.sources_changed(digests, stats, options.encoding,
                                                 listing.sha256, listing.text_keys, sources)
        else:
            rows, gone = changes.sources_restated(sources, stats), []
        if rows or gone:
            catalog.record_sources(rows, gone)
        if built or listed != last.get("stats"):
            _record(catalog, report, fingerprint, files, listed)
    return report


@contextmanager
def _output_errors(out_dir: Path) -> Iterator[None]:
    """Turn the file system's errors into a message that says what to do."""
    try:
        yield
    except OSError as e:
        raise GeomapError(f"{out_dir}: cannot write the outputs ({e.strerror or e}); the "
                          "previous maps are unchanged, free space and build again") from e


BATCH = 256  # parsed articles made into fragments and pages at a time


def _build(run: _Run) -> _Listing:
    """The build proper, under the lock, in named steps: read what changed, start parsing it,
    add the unchanged articles' tallies meanwhile, then take the parses a batch at a time
    (correct them, write their fragments and pages, keep their tallies, let them go), write
    the outputs (appended to where they allow it). Returns its articles (the build is recorded
    once each file's row is, see :func:`build`)."""
    from geomap.build import fragments, outputs
    from geomap.render.map import split_map
    from geomap.render.pages import PageStaging, page_key

    listing = _read(run, changes.known_sources(run.digests, run.options.encoding,
                                               run.catalog.index(), run.sources))
    ids, sha256 = listing.ids, listing.sha256
    salt = None if run.options.online else changes.page_salt(run.articles_dir)
    with fragments.Store(run.out_dir / fragments.FILE) as store, \
            Staging(run.out_dir) as staging:
        unnamed = changes.unnamed_texts(run.rules)  # named by corrections naming no article
        made_from = _made_from(ids, sha256, run.rules,
                               run.catalog.where_named(unnamed) if unnamed else [])
        keys = {i: page_key(salt or "", made_from[i]) for i in ids}  # fragments as pages
        # only the articles read may be stale: the others were found held as parsed now
        changed = [listing.read[i] for i in stale(listing.read, sha256, run.catalog)]
        todo = claimed(changed, run.catalog)
        reading = Rereading(run.options.max_bytes, run.options.encoding)
        aside = parsing_aside(todo, run.options.workers, run.worker, reading)
        record = store.record() if salt is not None else {}
        pages = PageStaging(run.out_dir, staging.folder, salt or "", reuse=salt is not None)
        kept = _kept_fragments(listing, keys, run.catalog, store, record, pages,
                               run.out_dir) if salt is not None else set()
        held = outputs.held(record, run.out_dir, ids, keys, kept)
        del record  # the last build's (every article's key, its tallies): held keeps its part
        assembly = fragments.Assembly(ids)
        with fragments.gc_paused():  # while the others are parsed
            outputs.start(assembly, store, [i for i in ids if i in kept], held)
        pages.keep({i: keys[i] for i in kept})
        corrected = _Corrected(run, ids, store, kept)
        made = Made(made_where_parsed) if corrected.rules is None \
            and run.options.online is None else None  # both would change the parses first
        with fragments.gc_frozen():
            for batch in chunked(parsed_with_catalog(
                    ids, run.articles_dir, changed, run.catalog, run.report, todo,
                    run.options.workers, run.options.progress, skip=kept, aside=aside,
                    made=made, reading=reading), BATCH):
                made_from |= _made_from([a.id for a in batch], sha256, run.rules, (
                    (a.id, m.passage, m.text) for a in batch for m in a.mentions))  # as parsed
                keys |= {a.id: page_key(salt or "", made_from[a.id]) for a in batch}
                beside = {a.id: made.take(a.id) for a in batch} if made else {}
                parts = _fragments(run, batch, corrected, beside)
                store.save({i: (keys[i] if salt is not None else "", row)
                            for i, (row, _) in parts.items()})
                for article_id, (_, tally) in parts.items():
                    assembly.add(article_id, tally)
                pages.add(batch, made_from, {i: m[1] for i, m in beside.items() if m})
                _release(batch)
            run.report.skipped += corrected.problems()
            written = outputs.write(staging, assembly, store, held,
                                    split_map(run.options.map_files, len(ids)))
            run.report.outputs = staging.commit(pages.finish())
        store.set_record(outputs.recorded(written, run.out_dir, [(i, keys[i]) for i in ids])
                         if salt is not None else None)
        store.retain(ids)
        run.report.removed = run.catalog.retain(ids)
        run.report.mentions = assembly.placed
    return listing


def _release(batch: list[Article]) -> None:
    """Let go of the texts of articles whose outputs are made, and of what parsing found in
    them: the build keeps what its listing says of each (content hash, text key), not the
    articles it read, which would otherwise be held until it ends."""
    for article in batch:
        article.passages, article.mentions, article.events, article.spans = [], [], [], []
        article.text, article.styles, article.pages, article.source_map = "", [], [], []


def _made_from(ids: list[str], sha256: Mapping[str, str], rules: list[Correction],
               named: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """What each article's page and fragment are made from besides the page salt (see
    :func:`changes.made_from`): its content hash (of ``sha256``) and the catalog's corrections
    found touching it by the mentions ``named``."""
    touched = changes.corrected_by(rules, named) if rules else {}
    return {i: changes.made_from(sha256[i], touched.get(i)) for i in ids}


@dataclass
class _Listing:
    """A build's articles in the order of their names (ids): the content hash and text key of
    each, and those read now by id; the others, whose files are those the last build read and
    whose parses the catalog holds (:func:`changes.known_sources`), are not read again."""

    ids: list[str] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    text_keys: dict[str, str] = field(default_factory=dict)
    read: dict[str, Article] = field(default_factory=dict)


TEXTS_KEPT = 10_000  # files read at most whose texts a build keeps until they are parsed


def _read(run: _Run, known: Mapping[str, tuple[str, str]]) -> _Listing:
    """Read the articles but the ``known`` ones (name -> content hash and text key), each text
    once (the first file by name that has it); the report counts them and the files skipped.
    Of more than :data:`TEXTS_KEPT` files, those read are kept without their texts
    (:func:`list_many`), unless parsed on Dask, whose workers may not see the files: the parse
    reads them again. (Fewer texts take little memory, and reading them twice takes time.)"""
    unread = [run.articles_dir / name for name in run.names if name not in known]
    workers = run.options.workers
    kept = len(unread) <= TEXTS_KEPT or workers.dask or workers.scheduler
    read = read_many if kept else list_many
    results = dict(zip(  # the files not known are new or changed: parsed next
        (p.name for p in unread),
        read(unread, workers, run.options.max_bytes, run.options.encoding, then_parsed=True,
             progress=run.options.progress)))
    listing, skipped, first = _Listing(), [], {}  # first: text key -> id
    for name in run.names:
        if name in known:
            sha256, key, article = *known[name], None
        elif isinstance(result := results.pop(name), Skipped):
            skipped.append(result)
            continue
        else:
            article, key = result if isinstance(result, tuple) else \
                (result, ingest.text_key(result))
            sha256 = article.sha256
        if key in first:
            skipped.append(ingest.same_text(run.articles_dir / name, first[key]))
            continue
        first[key] = name
        listing.ids.append(name)
        listing.sha256[name], listing.text_keys[name] = sha256, key
        if article is not None:
            listing.read[name] = article
    ingest.require_some(run.names, listing.ids, skipped)
    run.report.articles, run.report.skipped = len(listing.ids), skipped
    return listing


def _fragments(run: _Run, parsed: list[Article], corrected: _Corrected,
               beside: Mapping[str, tuple[tuple[str, ...], str, ParseRows] | None]
               ) -> dict[str, tuple[tuple[str, ...], fragments.Tally]]:
    """The fragments of a batch of ``parsed`` articles, corrected (and placed online, if
    asked), each as its row (:meth:`fragments.Fragment.row`) and its tally; those made
    ``beside`` the parse (:func:`made_where_parsed`) as they were made."""
    from geomap.build import fragments

    problems = corrected.batch(parsed)
    if run.options.online is not None:
        from geomap import geocode

        geocode.place_unplaced(parsed, run.options.online)
    parts = {}
    for a in parsed:
        if made := beside.get(a.id):
            parts[a.id] = made[0], fragments.tally_of(made[0])
        else:
            part = fragments.fragment(a, [p for p in problems if p.article == a.id])
            parts[a.id] = part.row(), part.tally
    return parts


def made_where_parsed(article: Article) -> tuple[tuple[str, ...], str, ParseRows]:
    """An article's fragment (as its row, :meth:`fragments.Fragment.row`), reader page and
    catalog rows as a build makes them of its parse when there are no corrections to apply nor
    online geocoder to ask (both would change the parse first): made by the worker that parsed
    it, which sends back those, not the parse."""
    from geomap.build import fragments
    from geomap.render.pages import article_page

    return fragments.fragment(article, []).row(), article_page(article), parse_rows(article)


def _record(catalog: Catalog, report: BuildReport, fingerprint: str, files: str,
            stats: str | None) -> None:
    """Record in the catalog what the next build needs besides each file's row: this build's
    ``fingerprint``, its summary (``report``), the digest of every file's digest (``files``)
    and of every file's stat (``stats``, see :func:`changes.stats_digest`)."""
    catalog.set_meta("last_build", orjson.dumps({
        "fingerprint": fingerprint, "files": files, "stats": stats, "articles": report.articles,
        "mentions": report.mentions,
        "skipped": [[str(s.path), s.reason] for s in report.skipped]}).decode())


def _kept_fragments(listing: _Listing, keys: Mapping[str, str], catalog: Catalog,
                    store: fragments.Store, record: Mapping[str, Any], pages: PageStaging,
                    out_dir: Path) -> set[str]:
    """The ids of the articles whose fragments hold as they are now: stored under the same key
    (as the ``record`` of the outputs says, else as the ``store`` does), of an article the
    catalog holds as parsed now, whose page the previous outputs hold under that key (as
    ``pages`` found them)."""
    from geomap.render.pages import page_name

    if not (out_dir / "index.html").exists():
        return set()
    stored, version = catalog.index(), pipeline_version()
    fragment_keys = store.keys(record)
    present, known = pages.present, pages.known
    return {i for i in listing.ids if stored.get(i) == (listing.sha256[i], version)
            and fragment_keys.get(i) == keys[i]
            and (name := page_name(i)) in present and known.get(name) == keys[i]}


class _Corrected:
    """The corrections (the file's, then the catalog's) applied to a build's articles a batch
    at a time, and the problems of every row, in the order of the rows, once all are."""

    def __init__(self, run: _Run, ids: list[str], store: fragments.Store,
                 kept: set[str]) -> None:
        self.folder = run.articles_dir
        self.ids, self.kept = set(ids), kept
        self.store = store
        self.found: dict[str, list[list[str]]] = {}  # article id -> its problems (as stored)
        self.rules = None
        if run.rules or (run.articles_dir / ingest.CORRECTIONS_FILE).is_file():
            from geomap import corrections

            self.rules = [corrections.catalog_row(c, run.catalog.name) for c in run.rules]

    def batch(self, parsed: list[Article]) -> list[corrections.Problem]:
        """Apply the corrections to a batch of ``parsed`` articles; the problems of those."""
        if self.rules is None:
            return []
        from geomap import corrections

        here = {a.id for a in parsed}
        found = [p for p in corrections.problems(self.folder, parsed, rules=self.rules,
                                                 elsewhere=_Others(self.ids, here))
                 if p.article in here]
        for p in found:
            self.found.setdefault(p.article, []).append([p.source, p.origin, p.message])
        return found

    def problems(self) -> list[Skipped]:
        """The problems of every row, once every article is corrected (those of kept articles
        as their fragments keep them), as the report gives them."""
        if self.rules is None:
            return []
        from geomap import corrections

        kept = self.found | self.store.problems(self.kept)
        return [Skipped(Path(p.source), p.message) for p in corrections.problems(
            self.folder, [], _Known(self.ids, kept), self.rules)]


class _Others:
    """The ids of a build's articles but those ``here``."""

    def __init__(self, ids: set[str], here: set[str]) -> None:
        self.ids, self.here = ids, here

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.ids and article_id not in self.here


class _Known(Mapping):
    """Every article of a build (``ids``) -> the problems of corrections on it (by ``found``:
    article id -> [source, origin, message] of each)."""

    def __init__(self, ids: set[str], found: Mapping[str, list[list[str]]]) -> None:
        self.ids, self.found = ids, found

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.ids

    def __getitem__(self, article_id: str) -> list[corrections.Problem]:
        from geomap import corrections

        if article_id not in self.ids:
            raise KeyError(article_id)
        return [corrections.Problem(source, origin, article_id, message)
                for source, origin, message in self.found.get(article_id, [])]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
