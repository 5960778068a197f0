"""The pipeline: ingest -> split -> recognise -> resolve, and the incremental build of ``maps/``.

Each stage is a module; this one only strings them together, keeps the catalog in step with the
articles folder and writes outputs atomically (into a temporary folder, then moved into place), so
a failed or interrupted build leaves the previous maps intact.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from geomap import (__version__, corrections, events, export, gazetteer, ingest, recognise, resolve,
                    split)
from geomap.catalog import Catalog
from geomap.errors import InputError
from geomap.files import write_atomically
from geomap.ingest import Skipped
from geomap.models import Article

CATALOG_NAME = "catalog.sqlite"


PARSE_STAGES = ("ingest", "split", "names", "recognise", "resolve", "events", "dates", "models")


@cache
def pipeline_version() -> str:
    """Identifies the code and data that parse an article (the stages' sources, the event types,
    the gazetteer's sources); any change invalidates cached parses."""
    h = hashlib.sha256(f"{__version__}+{gazetteer.source_fingerprint()}".encode())
    package = Path(__file__).parent
    for path in [*(package / f"{m}.py" for m in PARSE_STAGES), events.TAXONOMY_FILE, resolve.WEIGHTS_FILE]:
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


def parse_article(article: Article) -> Article:
    """Split, recognise and resolve one article in place; returns it."""
    gaz = gazetteer.load()
    article.passages = split.split(article.text)
    spans = recognise.recognise_article(article.text, article.passages, gaz)
    article.mentions = resolve.resolve(article.id, spans, gaz)
    article.events = events.detect(article)
    return article


def parse_text(text: str, article_id: str = "text") -> Article:
    """Parse a string as an article (for notebooks and tests)."""
    return parse_article(Article(id=article_id, path="", text=text, sha256=""))


def read_all(paths: list[Path]) -> tuple[list[Article], list[Skipped]]:
    """Read every article; files that cannot be read are skipped with their reason."""
    articles, skipped = [], []
    for path in paths:
        try:
            articles.append(ingest.read_article(path))
        except InputError as e:
            skipped.append(Skipped(path, str(e)))
    return articles, skipped


def parse_paths(paths: list[Path]) -> tuple[list[Article], list[Skipped]]:
    """Read and parse files and folders of articles, without a catalog."""
    articles, skipped = read_all(ingest.expand_paths(paths))
    return [parse_article(a) for a in articles], skipped


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


def parse_with_catalog(articles: list[Article], catalog: Catalog, report: BuildReport) -> list[Article]:
    """Parsed articles, taking unchanged ones from the catalog and parsing only the rest."""
    version = pipeline_version()
    out = []
    for a in articles:
        cached = catalog.get(a.sha256, version)
        if cached is not None:
            cached.id, cached.path = a.id, a.path
            report.unchanged += 1
            out.append(cached)
        else:
            catalog.put(parse_article(a), version)
            report.parsed += 1
            out.append(a)
    return out


def _replace(src: Path, dst: Path) -> None:
    """Move a file or folder into place, replacing what was there."""
    if src.is_dir():
        old = dst.with_name(f".{dst.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if dst.exists():
            os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dst)


def write_outputs(articles: list[Article], out_dir: Path) -> list[str]:
    """Render the maps and write the exports into ``out_dir``, atomically per output."""
    from geomap.render import render_site

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".build-") as tmp:
        staging = Path(tmp)
        render_site(articles, staging)
        write_atomically(staging / "mentions.geojson", export.dumps(export.mentions_geojson(articles)))
        write_atomically(staging / "places.geojson", export.dumps(export.places_geojson(articles)))
        write_atomically(staging / "events.geojson", export.dumps(export.events_geojson(articles)))
        names = sorted(p.name for p in staging.iterdir())
        for name in names:
            _replace(staging / name, out_dir / name)
    return names


def build(articles_dir: Path, out_dir: Path) -> BuildReport:
    """Bring ``out_dir`` up to date with ``articles_dir``, parsing only new or changed articles."""
    paths = ingest.find_articles(articles_dir)
    report = BuildReport()
    articles, report.skipped = read_all(paths)
    with Catalog(out_dir / CATALOG_NAME) as catalog:
        before = catalog.members()
        parsed = parse_with_catalog(articles, catalog, report)
        report.skipped += corrections.apply(articles_dir, parsed)
        report.removed = len(set(before) - {a.id for a in parsed})
        report.outputs = write_outputs(parsed, out_dir)
        catalog.set_members({a.id: a.sha256 for a in parsed})
    report.articles = len(parsed)
    report.mentions = sum(1 for a in parsed for m in a.mentions if m.place)
    return report
