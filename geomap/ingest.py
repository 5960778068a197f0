"""Read articles: plain text, Markdown (with optional YAML front matter) and HTML.

Metadata (``title``, ``source``, ``url``, ``published``) comes from a sidecar file with the same
stem and a ``.yaml`` suffix, from Markdown front matter, or from the HTML page itself; a sidecar
wins. The article id is its file name; the text is kept exactly as decoded (line endings
included), so offsets into it are meaningful.

Bad input is refused file by file with a message naming the file: over the size limit, binary,
empty, no text in an HTML page. Text that is not UTF-8 is decoded with the encoding detected
(charset-normalizer) and a warning says so. Two files with the same text are one article: the
first by name is read, the other skipped with a message, so nothing is counted twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.models import Article

ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                    ".html": "html", ".htm": "html"}
SIDECAR_SUFFIX = ".yaml"  # beside the article, same stem: its metadata
META_FIELDS = ("title", "source", "url", "published")
CORRECTIONS_FILE = "corrections.csv"  # in the articles folder; see geomap.corrections
FEEDS_FILE = "feeds.txt"  # in the articles folder: the feeds `geomap follow` reads; not an article
MAX_BYTES = 5_000_000  # default size limit of an article file (about 30 s of parsing)
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Tried first, as news sites use them; short texts fit many encodings, and ties go to the earliest.
COMMON_ENCODINGS = ("cp1252", "cp1251", "cp1250", "koi8_r", "koi8_u", "cp1253", "cp1254", "cp1257",
                    "iso8859_15", "iso8859_2", "iso8859_5")
MAX_CHAOS = 0.2  # charset-normalizer's mess ratio above which a decoding is not believed
MAX_CONTROL_SHARE = 0.01  # control characters in more of the text than this: binary
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Unicode Cc but \t\n\v\f\r

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # charset-normalizer and frontmatter are imported where needed: a build that
    from charset_normalizer import CharsetMatch  # reads no file needs neither


@dataclass
class Skipped:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str


def find_articles(folder: Path) -> list[Path]:
    """Article files directly in ``folder``, sorted by name; raises if it is not a folder."""
    return scan_folder(folder)[0]


def scan_folder(folder: Path) -> tuple[list[Path], set[str]]:
    """:func:`find_articles`, and the names of the sidecars the folder holds (so that a build
    need not ask for each article's); raises if it is not a folder."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    names, sidecars = [], set()
    with os.scandir(folder) as entries:
        for e in entries:
            suffix = os.path.splitext(e.name)[1]
            if suffix == SIDECAR_SUFFIX:
                sidecars.add(e.name)
            elif e.is_file() and suffix.lower() in ARTICLE_SUFFIXES and e.name != FEEDS_FILE:
                names.append(e.name)
    return [folder / name for name in sorted(names)], sidecars


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


def decode(raw: bytes, path: Path) -> str:
    """The text of a file: UTF-8 (or UTF-16/32 with a BOM; the BOM is dropped), else the
    encoding detected, with a warning naming it; binary data raises :class:`InputError`."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return _checked_text(_decode_as(raw, codec, path), path)
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: binary file, not an article")
    try:
        return _checked_text(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    text, encoding = detect(raw, path)
    log.warning("%s: not UTF-8; read as %s (detected)", path, encoding)
    return _checked_text(text, path)


def _decode_as(raw: bytes, codec: str, path: Path) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: starts with a {codec} byte-order mark but is not {codec}") from e


def detect(raw: bytes, path: Path) -> tuple[str, str]:
    """``(text, encoding)`` of bytes that are not UTF-8, by charset-normalizer: the common news
    encodings first, then any it knows."""
    import charset_normalizer

    for isolation in (list(COMMON_ENCODINGS), None):
        matches = [m for m in charset_normalizer.from_bytes(raw, cp_isolation=isolation)
                   if m.chaos <= MAX_CHAOS]
        if matches:
            best = min(matches, key=_rank)
            return str(best), best.encoding
    raise InputError(f"{path}: not text in any encoding geomap knows; save it as UTF-8")


def _rank(match: CharsetMatch) -> tuple[float, float, int]:
    """Least mess, then most coherent, then the most common encoding."""
    names = [match.encoding, *match.could_be_from_charset]
    common = min((COMMON_ENCODINGS.index(n) for n in names if n in COMMON_ENCODINGS),
                 default=len(COMMON_ENCODINGS))
    return round(match.chaos, 2), -round(match.coherence, 2), common


def _checked_text(text: str, path: Path) -> str:
    """``text``, unless control characters show it is binary data."""
    controls = len(CONTROL_CHARACTERS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: binary file, not an article")
    return text


def _normalise_meta(meta: dict, path: Path) -> dict:
    out = {}
    for key in META_FIELDS:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10] if key == "published" else value.isoformat()
        if not isinstance(value, (str, int, float)):
            raise InputError(f"{path}: metadata field {key!r} must be text")
        out[key] = str(value)
    return out


def sidecar_path(path: Path) -> Path:
    """Where the metadata sidecar of an article file is (it may not exist)."""
    return path.with_suffix(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict:
    """Metadata from ``<stem>.yaml`` beside the article, or ``{}``."""
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    import yaml  # here: a build that reads no sidecar does not import it

    try:
        meta = yaml.load(sidecar.read_text("utf-8"),  # libyaml when present: ~10x faster
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"{sidecar}: not valid YAML metadata: {e}") from e
    if not isinstance(meta, dict):
        raise InputError(f"{sidecar}: metadata must be a mapping of fields")
    return _normalise_meta(meta, sidecar)


def _from_markdown(raw_text: str, path: Path) -> tuple[str, dict]:
    import yaml

    try:
        import frontmatter

        post = frontmatter.loads(raw_text)
    except yaml.YAMLError as e:
        raise InputError(f"{path}: front matter is not valid YAML: {e}") from e
    return post.content, _normalise_meta(post.metadata, path)


def _from_html(raw_text: str, path: Path) -> tuple[str, dict]:
    import trafilatura

    extracted = trafilatura.bare_extraction(raw_text, with_metadata=True, include_comments=False,
                                            include_tables=False)
    doc = extracted.as_dict() if extracted else {}
    if not doc.get("text"):
        raise InputError(f"{path}: no article text found in the HTML")
    meta = {"title": doc.get("title"), "source": doc.get("sitename"), "url": doc.get("url"),
            "published": doc.get("date")}
    return doc["text"], _normalise_meta(meta, path)


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


def read_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """One article from a file; raises :class:`InputError` with a clear message if it can't be."""
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: not an article file ({', '.join(sorted(ARTICLE_SUFFIXES))})")
    raw = read_bytes(path, max_bytes)
    text = decode(raw, path)
    meta: dict = {}
    if kind == "markdown":
        text, meta = _from_markdown(text, path)
    elif kind == "html":
        text, meta = _from_html(text, path)
    if not text.strip():
        raise InputError(f"{path}: empty article")
    meta |= read_sidecar(path)
    sha = hashlib.sha256(raw + repr(sorted(meta.items())).encode()).hexdigest()
    return Article(id=path.name, path=str(path), text=text, sha256=sha, **meta)


def text_key(article: Article) -> str:
    """Identifies an article's text: two files with the same text are one article."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def read_articles(paths: list[Path], max_bytes: int = MAX_BYTES,
                  known: Mapping[Path, tuple[str, str]] | None = None) -> tuple[list[Article], list[Skipped]]:
    """Every article that can be read, once per text; the other files, each with its reason.

    A file in ``known`` (its content hash and :func:`text_key`, from an earlier read of the same
    bytes) is not read again: its article holds only id, path and hash, to be filled from a
    catalog.
    """
    articles: list[Article] = []
    skipped: list[Skipped] = []
    first: dict[str, Article] = {}
    known = known or {}
    for path in paths:
        if path in known:
            sha256, key = known[path]
            article = Article(id=path.name, path=str(path), text="", sha256=sha256)
        else:
            try:
                article = read_article(path, max_bytes)
            except InputError as e:
                skipped.append(Skipped(path, str(e)))
                continue
            key = text_key(article)
        if key in first:
            skipped.append(Skipped(path, f"{path}: same text as {first[key].id}; read once"))
        else:
            first[key] = article
            articles.append(article)
    return articles, skipped


def require_some(paths: list[Path], articles: list[Article], skipped: list[Skipped]) -> None:
    """Raise if there were files and none of them could be read: nothing to build."""
    if paths and not articles:
        reasons = "; ".join(s.reason for s in skipped[:3]) + ("; …" if len(skipped) > 3 else "")
        raise InputError(f"none of the {len(paths)} files could be read ({reasons})")
