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
from geomap.build.catalog import Catalog
from geomap.cache import fingerprint
from geomap.models import Correction
from geomap.stages import parse_version as pipeline_version

RACY_NS = 1_000_000_000  # files changed more recently than this are hashed again next build


def source_digests(folder: Path, names: list[str], max_bytes: int, seen: dict[str, list],
                   sidecars: Container[str]) -> tuple[dict[str, str], dict[str, list]]:
    """Each article file's bytes and its sidecar's, hashed together, by file name (the files
    ``names`` of ``folder``; nothing is decoded: this is how a build tells what changed), and
    the stat records to keep for the next build. As in git, a file whose inode, size,
    modification and change times are those ``seen`` last time is not read again; a file
    changed within the last second is always read next time, since a change within the same
    tick of the clock would not show in its times. Only the ``sidecars`` the folder holds (by
    name) are asked for."""
    digests, stats = {}, {}
    recent = time.time_ns() - RACY_NS
    base = os.path.join(folder, "")
    for name in names:  # as strings: Path operations are most of the time for 5,000 files
        file = base + name
        sidecar = _sidecar_name(name) if sidecars else None
        key = [_stat_key(file), _stat_key(base + sidecar) if sidecar in sidecars else None]
        last = seen.get(name)
        if last and last[0] == key:
            digest = last[1]
        else:
            h = hashlib.sha256(file_digest(file, max_bytes))
            h.update(file_digest(base + (sidecar or _sidecar_name(name)), max_bytes))
            digest = h.hexdigest()
        digests[name] = digest
        if _settled(key[0], recent) and _settled(key[1], recent):
            stats[name] = [key, digest]
    return digests, stats


def _sidecar_name(name: str) -> str:
    """The name of an article file's sidecar (see :func:`geomap.ingest.sidecar_path`)."""
    return os.path.splitext(name)[0] + ingest.SIDECAR_SUFFIX


def _settled(key: list[int] | None, recent: int) -> bool:
    """Whether a file of this stat key (:func:`_stat_key`; None: there is none) was last changed
    before ``recent`` (ns), so that a change since will show in its times."""
    return key is None or max(key[2], key[3]) < recent


def with_encoding(digests: dict[str, str], encoding: str) -> dict[str, str]:
    """The ``digests`` of files to be read with an ``encoding`` given: unlike those read without
    (or with another), so that a build given one reads every file again."""
    return {name: hashlib.sha256(f"{digest}\0{encoding}".encode()).hexdigest()
            for name, digest in digests.items()}


def _stat_key(path: str | Path) -> list[int] | None:
    """What tells a file unchanged without reading it (inode, size, modification and change
    times in ns), or None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def sources_fingerprint(digests: dict[str, str], articles_dir: Path, max_bytes: int,
                        rules: list[Correction] = (), map_files: str = "auto") -> str:
    """What the outputs depend on: every article file and its sidecar (``digests``), the
    corrections (the file's and the catalog's ``rules``), the size limit, how the map is
    written (``map_files``), the code and data of the pipeline."""
    h = hashlib.sha256(f"{outputs_version()}\0{max_bytes}\0{map_files}".encode())
    h.update(orjson.dumps(digests, option=orjson.OPT_SORT_KEYS))
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


def known_sources(digests: dict[str, str], index: Mapping[str, tuple[str, str]],
                  sources: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """The files (by name) whose bytes are those the last build read (its ``sources``, see
    :func:`sources_record`), and whose parse the catalog holds (its ``index``): their content
    hash and text key, so they need not be read again."""
    version, known = pipeline_version(), {}
    for name, digest in digests.items():
        last = sources.get(name)
        if last is not None and last[0] == digest and index.get(name) == (last[1], version):
            known[name] = (last[1], last[2])
    return known


def sources_record(ids: list[str], digests: dict[str, str], sha256: Mapping[str, str],
                   text_keys: Mapping[str, str]) -> dict[str, list[str]]:
    """What the next build needs to know of each article file (named by the article's id, of
    ``ids``): its bytes' digest, the article's content hash and its text key."""
    return {i: [digests[i], sha256[i], text_keys[i]] for i in ids}


def last_build(catalog: Catalog) -> dict[str, Any]:
    """What the last build recorded in the catalog (see :func:`_build`); empty if none."""
    return orjson.loads(catalog.get_meta("last_build") or "{}")


def last_sources(catalog: Catalog) -> dict[str, list[str]]:
    """What the last build recorded of each article file (:func:`sources_record`); kept apart from
    :func:`last_build`, which a build that finds nothing changed reads alone."""
    return orjson.loads(catalog.get_meta("last_sources") or "{}")


def changed_files(digests: dict[str, str], sources: dict[str, list[str]]) -> int:
    """How many article files are new or changed since the last build (its ``sources``)."""
    return sum((sources.get(name) or [None])[0] != digest for name, digest in digests.items())
