"""How a build tells what changed since the last one, without reading what did not.

The digests it keeps, each for one question:
- a file's *digest* (:func:`source_digests`): the SHA-256 of an article file's bytes and its
  sidecar's — did this file change? (stat records spare reading unchanged files, as in git);
- an article's *content hash* (``Article.sha256``, :mod:`geomap.ingest`): the text and metadata
  as read — must it be parsed again? (with the parse version, the catalog's key of a parse);
- its *text key* (:func:`geomap.ingest.text_key`): is it the same text as another file's?
- the parse *version* (:func:`geomap.stages.parse_version`): the code and data that parse;
- the *outputs version* (:func:`outputs_version`): that and the code that renders and exports;
- the *page salt* (:func:`page_salt`): what every reader page and fragment depends on besides its
  article (outputs version and the corrections file);
- an article's *corrections digest* (:func:`corrected_by`): the catalog's corrections that touch
  it; a page's key is the salt's, the content hash's and this one's (:func:`made_from`);
- the *fingerprint* (:func:`sources_fingerprint`): all of the above for the whole folder — if it
  is the last build's, nothing is to be done.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from geomap import ingest
from geomap.build.catalog import Catalog, Source
from geomap.cache import fingerprint
from geomap.models import Correction
from geomap.stages import parse_version as pipeline_version

RACY_NS = 1_000_000_000  # files changed more recently than this are hashed again next build


def stat_files(folder: Path, names: list[str],
               sidecars: Container[str]) -> dict[str, str | None]:
    """The :func:`stat_text` of each article file (``names`` of ``folder``) with its sidecar's
    (only the ``sidecars`` the folder holds, by name, are asked for); None for a file changed
    within the last second, since a change within the same tick of the clock would not show in
    its times (it is always read again)."""
    stats = {}
    recent = time.time_ns() - RACY_NS
    base = os.path.join(folder, "")
    for name in names:  # as strings: Path operations are most of the time for 100,000 files
        stat = stat_text(base + name, recent)
        if sidecars and stat is not None and (sidecar := _sidecar_name(name)) in sidecars:
            also = stat_text(base + sidecar, recent)
            stat = None if also is None else f"{stat} {also}"
        stats[name] = stat
    return stats


def stats_digest(stats: Mapping[str, str | None]) -> str | None:
    """A digest of every file's name and stat (:func:`stat_files`), or None if one has none: if
    it is the last build's, every file is as that build read it, which need not then be looked
    up file by file."""
    if None in stats.values():
        return None
    return hashlib.sha256(orjson.dumps(stats)).hexdigest()


def source_digests(folder: Path, stats: Mapping[str, str | None], max_bytes: int,
                   last: Mapping[str, Source]) -> dict[str, str]:
    """Each article file's bytes and its sidecar's, hashed together, by file name (the files of
    ``folder`` with their ``stats``; nothing is decoded: this is how a build tells what
    changed). As in git, a file whose inode, size, modification and change times are those
    recorded ``last`` time is not read again."""
    digests = {}
    base = os.path.join(folder, "")
    for name, stat in stats.items():
        record = last.get(name)
        if stat is not None and record is not None and record.stat == stat:
            digests[name] = record.digest
        else:
            digests[name] = _digest(base, name, max_bytes)
    return digests


def _digest(base: str, name: str, max_bytes: int) -> str:
    """The digest of the article file ``name`` of a folder (``base``: its path and a separator)
    and its sidecar's (which may not exist)."""
    h = hashlib.sha256(file_digest(base + name, max_bytes))
    h.update(file_digest(base + _sidecar_name(name), max_bytes))
    return h.hexdigest()


def _sidecar_name(name: str) -> str:
    """The name of an article file's sidecar (see :func:`geomap.ingest.sidecar_path`)."""
    return os.path.splitext(name)[0] + ingest.SIDECAR_SUFFIX


def stat_text(path: str, recent: int) -> str | None:
    """What tells a file unchanged without reading it: its inode, size, modification and change
    times (ns); None if it cannot be stat'ed, or was changed after ``recent`` (ns), as a change
    since may not show in them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_mtime_ns >= recent or st.st_ctime_ns >= recent:
        return None
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def digests_digest(digests: Mapping[str, str]) -> str:
    """One digest of every article file's (``digests``, by name)."""
    return hashlib.sha256(orjson.dumps(digests, option=orjson.OPT_SORT_KEYS)).hexdigest()


def sources_fingerprint(files: str, articles_dir: Path, max_bytes: int,
                        rules: list[Correction] = (), encoding: str | None = None,
                        map_files: str = "auto") -> str:
    """What the outputs depend on: every article file and its sidecar (``files``, the
    :func:`digests_digest` of their digests), the corrections (the file's and the catalog's
    ``rules``), the size limit, the encoding given to the text files that are not UTF-8, how
    the map is written (``map_files``), the code and data of the pipeline."""
    h = hashlib.sha256(
        f"{outputs_version()}\0{max_bytes}\0{encoding or ''}\0{map_files}\0{files}".encode())
    h.update(file_digest(articles_dir / ingest.CORRECTIONS_FILE, sys.maxsize))
    h.update(orjson.dumps([[c.id, *c.what()] for c in rules]))
    return h.hexdigest()


def corrected_by(rules: list[Correction], named: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Article id -> a digest of the catalog's corrections that touch it (in the order made):
    those that name it, and those that name no article and a mention it has, as ``named`` gives
    them (``(article, passage, text)``, see :meth:`Catalog.where_named`). Articles no correction
    touches are left out."""
    made = {c.id: c for c in rules}
    touching: dict[str, set[int]] = defaultdict(set)
    for c in rules:
        if c.article:
            touching[c.article].add(c.id)
    everywhere = defaultdict(list)  # text -> (passage or "", id) of corrections naming no article
    for c in rules:
        if not c.article:
            everywhere[c.mention].append((c.passage, c.id))
    for article, passage, text in named:
        touching[article].update(i for where, i in everywhere.get(text, ())
                                 if where in ("", passage))
    return {article: hashlib.sha256(orjson.dumps([[i, *made[i].what()] for i in sorted(ids)])
                                    ).hexdigest()[:16]
            for article, ids in touching.items() if ids}


def unnamed_texts(rules: list[Correction]) -> set[str]:
    """The mentions the corrections that name no article name (see :func:`corrected_by`)."""
    return {c.mention for c in rules if not c.article}


def made_from(sha256: str, corrections: str | None) -> str:
    """What an article's page and fragment are made from besides the page salt: its content hash
    and the digest of the catalog's corrections that touch it (see :func:`corrected_by`)."""
    return sha256 if corrections is None else f"{sha256}+{corrections}"


def page_salt(articles_dir: Path) -> str:
    """What every reader page depends on besides its article: the code, the corrections."""
    corrections_file = articles_dir / ingest.CORRECTIONS_FILE
    return f"{outputs_version()}:{file_digest(corrections_file, sys.maxsize).hex()}"


def file_digest(path: str | Path, max_bytes: int) -> bytes:
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
    """The parse pipeline and the code that builds, renders and exports, with the map's script
    and styles it reads (a change rewrites the outputs)."""
    code = fingerprint(code=("geomap.build", "geomap.build.fragments", "geomap.build.staging",
                             "geomap.corrections", "geomap.render.map", "geomap.render.pages",
                             "geomap.export"))
    return hashlib.sha256(f"{pipeline_version()} {code}".encode()).hexdigest()[:16]


def known_sources(digests: dict[str, str], encoding: str | None,
                  index: Mapping[str, tuple[str, str]],
                  sources: Mapping[str, Source]) -> dict[str, tuple[str, str]]:
    """The files (by name) whose bytes are those the last build read (as its ``sources`` say)
    with the same ``encoding`` given, and whose parse the catalog holds (its ``index``): their
    content hash and text key, so they need not be read again."""
    version, known = pipeline_version(), {}
    for name, digest in digests.items():
        last = sources.get(name)
        if last is not None and last.digest == digest and last.encoding == encoding \
                and last.sha256 is not None and index.get(name) == (last.sha256, version):
            known[name] = (last.sha256, last.text_key)
    return known


def sources_changed(digests: Mapping[str, str], stats: Mapping[str, str | None],
                    encoding: str | None, sha256: Mapping[str, str], text_keys: Mapping[str, str],
                    last: Mapping[str, Source]) -> tuple[list[Source], list[str]]:
    """What to write over the ``last`` record of sources for the next build: the rows of the
    files (of ``digests``) new or changed — each with its stat, digest and the ``encoding``
    given and, for those that are articles (of ``sha256``), their content hash and text key —
    and the names of the files gone."""
    rows = []
    for name, digest in digests.items():
        old, stat, article = last.get(name), stats[name], sha256.get(name)
        if old is None or old.stat != stat or old.digest != digest or old.encoding != encoding \
                or old.sha256 != article or old.text_key != text_keys.get(name):
            rows.append(Source(name, stat, digest, encoding, article, text_keys.get(name)))
    return rows, [name for name in last if name not in digests]


def sources_restated(sources: Mapping[str, Source],
                     stats: Mapping[str, str | None]) -> list[Source]:
    """The rows of the ``sources`` the last build recorded whose files' ``stats`` are not those
    recorded, with the stats now, for a build that found every file's bytes as they were (some
    may have settled since, see :func:`source_digests`)."""
    return [source._replace(stat=stats[name]) for name, source in sources.items()
            if source.stat != stats[name]]


def last_build(catalog: Catalog) -> dict[str, Any]:
    """What the last build recorded in the catalog (see :func:`_build`); empty if none."""
    return orjson.loads(catalog.get_meta("last_build") or "{}")


def changed_files(digests: dict[str, str], encoding: str | None,
                  sources: Mapping[str, Source]) -> int:
    """How many article files are new or changed since the last build (its ``sources``), or are
    to be read with another ``encoding``."""
    return sum((last := sources.get(name)) is None or last.digest != digest
               or last.encoding != encoding for name, digest in digests.items())
