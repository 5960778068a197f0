"""Read articles: plain text, Markdown, HTML, PDF and Word (.docx) files, one reader module per
format behind one registry (:data:`READERS`: suffix -> module, each with a ``read`` function
taking the file's bytes to a :class:`~geomap.ingest.document.Document`); text files are decoded by
:mod:`geomap.ingest.encoding`.

Metadata (``title``, ``source``, ``url``, ``published``) comes from a sidecar file with the same
stem and a ``.yaml`` suffix, from Markdown front matter, or from the file itself (an HTML page's,
a PDF's or a Word file's own title and date); a sidecar wins, and its ``encoding:`` says how to
decode a text file that is not UTF-8. The article id is its file name; its text is the plain text
read (a plain-text file's exactly as decoded, line endings included; the rendered text of the
others), so offsets into it are meaningful.

Bad input is refused file by file with a message naming the file: over the size limit, binary,
empty, no text in an HTML page (or only a menu, or boilerplate), a PDF with no text layer. Text
that is not UTF-8 is decoded with the encoding given or detected, and a warning names the one
detected. Two files with the same text are one article: the first by name is read, the other
skipped with a message, so nothing is counted twice. Files of other types in a folder are
listed once in a warning.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
import os
from collections import Counter
from collections.abc import Callable, Sized
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import InputError
from geomap.ingest.document import Document, normalise_meta
from geomap import languages
from geomap.ingest.encoding import check_encoding
from geomap.models import Article

# Suffix -> the module of geomap.ingest that reads such files (imported when first needed).
READERS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
SIDECAR_SUFFIX = ".yaml"  # beside the article, same stem: its metadata
CORRECTIONS_FILE = "corrections.csv"  # in the articles folder; see geomap.corrections
FEEDS_FILE = "feeds.txt"  # in the articles folder: the feeds `geomap follow` reads; not an article
SLOW_READERS = {"pdf"}  # readers of READERS whose files take long to read (see slow_to_read)
MAX_BYTES = 5_000_000  # default size limit of an article file

Reader = Callable[[bytes, Path, "str | None"], Document]  # bytes, path, encoding -> document

log = logging.getLogger(__name__)


@dataclass
class Skipped:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str


def reader(suffix: str) -> Reader:
    """The ``read`` function of the module that reads files of ``suffix`` (see :data:`READERS`);
    raises KeyError for a suffix geomap does not read."""
    return importlib.import_module(f"{__name__}.{READERS[suffix.lower()]}").read


def find_articles(folder: Path) -> list[Path]:
    """Article files directly in ``folder``, sorted by name; raises if it is not a folder."""
    return scan_folder(folder)[0]


def scan_folder(folder: Path) -> tuple[list[Path], set[str]]:
    """:func:`find_articles`, and the names of the sidecars the folder holds (so that a build
    need not ask for each article's); raises if it is not a folder."""
    names, sidecars = scan_names(folder)
    return [folder / name for name in names], sidecars


def scan_names(folder: Path) -> tuple[list[str], set[str]]:
    """:func:`scan_folder` as file names (a build of a large archive makes paths only of the
    files it reads)."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    names, sidecars, ignored = [], set(), Counter()
    with os.scandir(folder) as entries:
        for e in entries:
            suffix = os.path.splitext(e.name)[1]
            if suffix == SIDECAR_SUFFIX:
                sidecars.add(e.name)
            elif e.name in (CORRECTIONS_FILE, FEEDS_FILE):
                continue
            elif suffix.lower() in READERS and e.is_file():
                names.append(e.name)
            elif not e.name.startswith(".") and e.is_file():
                ignored[suffix.lower() or "(no suffix)"] += 1
    if ignored:
        _warn_ignored(folder, ignored)
    return sorted(names), sidecars


def _warn_ignored(folder: Path, ignored: Counter[str]) -> None:
    """One warning for the files of ``folder`` that are not articles, by type."""
    files = sum(ignored.values())
    kinds = ", ".join(sorted(ignored))
    log.warning("%s: ignored: %d file%s of type%s %s (articles are %s)", folder, files,
                "s" if files > 1 else "", "s" if len(ignored) > 1 else "", kinds,
                ", ".join(sorted(READERS)))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, and the article files of folders, in order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += find_articles(p)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def sidecar_path(path: Path) -> Path:
    """Where the metadata sidecar of an article file is (it may not exist)."""
    return path.with_suffix(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata from ``<stem>.yaml`` beside the article, or ``{}``; with ``encoding`` if the
    sidecar gives one, and ``lang`` (the language to read it in) if it names one geomap reads."""
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    import yaml  # here: a build that reads no sidecar does not import it

    try:
        meta = yaml.load(sidecar.read_text("utf-8"),  # libyaml when present
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"{sidecar}: not valid YAML metadata: {e}") from e
    if not isinstance(meta, dict):
        raise InputError(f"{sidecar}: metadata must be a mapping of fields")
    out = normalise_meta(meta, sidecar)
    if "lang" in out:
        try:
            languages.checked(out["lang"])
        except ValueError as e:
            raise InputError(f"{sidecar}: {e}") from e
    if meta.get("encoding") is not None:
        try:
            out["encoding"] = check_encoding(str(meta["encoding"]))
        except InputError as e:
            raise InputError(f"{sidecar}: {e}") from e
    return out


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refused before reading if there are more than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path}: {size / 1e6:.1f} MB is over the size limit of "
                             f"{max_bytes / 1e6:g} MB (--max-size)")
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e


def read_article(path: Path, max_bytes: int = MAX_BYTES, encoding: str | None = None) -> Article:
    """One article from a file; raises :class:`InputError` with a clear message if it can't be.
    ``encoding`` is that of a text file that is not UTF-8 (else it is detected); its sidecar's
    ``encoding:`` wins."""
    try:
        read = reader(path.suffix)
    except KeyError:
        raise InputError(f"{path}: not an article file ({', '.join(sorted(READERS))})") from None
    raw = read_bytes(path, max_bytes)
    sidecar = read_sidecar(path)
    given = sidecar.pop("encoding", None) or encoding
    document = read(raw, path, given)
    if not document.text.strip():
        raise InputError(f"{path}: empty article")
    meta = document.meta | sidecar
    key = raw + repr(sorted(meta.items())).encode()
    if given and document.encoding:  # the same bytes read otherwise are another article
        key += f"\0{document.encoding}".encode()
    return Article(id=path.name, path=str(path), text=document.text,
                   sha256=hashlib.sha256(key).hexdigest(), styles=document.styles,
                   pages=document.pages, source_map=document.source_map, **meta)


def text_key(article: Article) -> str:
    """Identifies an article's text: two files with the same text are one article."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def read_one(path: Path, max_bytes: int = MAX_BYTES,
             encoding: str | None = None) -> Article | Skipped:
    """:func:`read_article`, or the file skipped with its reason."""
    try:
        return read_article(path, max_bytes, encoding)
    except InputError as e:
        return Skipped(path, str(e))


def slow_to_read(path: Path) -> bool:
    """Whether reading the file takes long enough that a few repay reading them on worker
    processes: a PDF (pdfminer's layout analysis, about 0.05 s a page)."""
    return READERS.get(path.suffix.lower()) in SLOW_READERS


Reading = Callable[[list[Path]], list["Article | Skipped"]]  # files -> each read or skipped


def read_articles(paths: list[Path], max_bytes: int = MAX_BYTES,
                  encoding: str | None = None,
                  reading: Reading | None = None) -> tuple[list[Article], list[Skipped]]:
    """Every article that can be read, once per text; the other files, each with its reason.
    The files are read by ``reading`` (by default one after the other, here)."""
    read = [read_one(p, max_bytes, encoding) for p in paths] if reading is None else reading(paths)
    articles: list[Article] = []
    skipped: list[Skipped] = []
    first: dict[str, str] = {}  # text key -> id of the first article with that text
    for path, article in zip(paths, read):
        if isinstance(article, Skipped):
            skipped.append(article)
        elif (key := text_key(article)) in first:
            skipped.append(same_text(path, first[key]))
        else:
            first[key] = article.id
            articles.append(article)
    return articles, skipped


def same_text(path: Path, first: str) -> Skipped:
    """The file ``path`` skipped: it has the text of the article ``first`` (by name)."""
    return Skipped(path, f"{path}: same text as {first}; read once")


def require_some(paths: Sized, articles: Sized, skipped: list[Skipped]) -> None:
    """Raise if there were files (``paths``) and none of them could be read (no ``articles``):
    nothing to build."""
    if paths and not articles:
        reasons = "; ".join(s.reason for s in skipped[:3]) + ("; …" if len(skipped) > 3 else "")
        raise InputError(f"none of the {len(paths)} files could be read ({reasons})")
