"""HTML outputs: the self-contained map (``index.html``) and one reader page per article."""
from __future__ import annotations

from pathlib import Path

from geomap.models import Article
from geomap.render.map import write_map
from geomap.render.pages import write_article_pages

__all__ = ["render_site", "write_article_pages", "write_map"]


def render_site(articles: list[Article], out_dir: Path, reuse: Path | None = None,
                salt: str = "") -> list[Path]:
    """Write the map and the article pages into ``out_dir``; return the paths, map first. Pages
    unchanged since the site in ``reuse`` are taken from it (see :func:`write_article_pages`)."""
    return [write_map(articles, out_dir), *write_article_pages(articles, out_dir, reuse, salt)]
