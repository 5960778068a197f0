"""Read articles: plain text, Markdown (with optional YAML front matter) and HTML.

Metadata (``title``, ``source``, ``url``, ``published``) comes from a sidecar file with the same
stem and a ``.yaml`` suffix, from Markdown front matter, or from the HTML page itself; a sidecar
wins. The article id is its file name; the text is kept exactly as decoded, so offsets into it
are meaningful.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from geomap.errors import InputError
from geomap.models import Article

ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                    ".html": "html", ".htm": "html"}
META_FIELDS = ("title", "source", "url", "published")


@dataclass
class Skipped:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str


def find_articles(folder: Path) -> list[Path]:
    """Article files directly in ``folder``, sorted by name; raises if it is not a folder."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


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
    """UTF-8 text (a BOM is dropped); other encodings are refused with a message naming the file."""
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: binary file, not an article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not valid UTF-8 (byte {e.start}); save it as UTF-8") from e
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


def read_sidecar(path: Path) -> dict:
    """Metadata from ``<stem>.yaml`` beside the article, or ``{}``."""
    sidecar = path.with_suffix(".yaml")
    if not sidecar.exists():
        return {}
    try:
        meta = yaml.safe_load(sidecar.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"{sidecar}: not valid YAML metadata: {e}") from e
    if not isinstance(meta, dict):
        raise InputError(f"{sidecar}: metadata must be a mapping of fields")
    return _normalise_meta(meta, sidecar)


def _from_markdown(raw_text: str, path: Path) -> tuple[str, dict]:
    try:
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


def read_article(path: Path) -> Article:
    """One article from a file; raises :class:`InputError` with a clear message if it can't be."""
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: not an article file ({', '.join(sorted(ARTICLE_SUFFIXES))})")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
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
