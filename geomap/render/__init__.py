"""HTML outputs: the self-contained map (``index.html``) and one reader page per article."""
from __future__ import annotations

from pathlib import Path

from geomap.models import Article
from geomap.render.map import write_map
from geomap.render.pages import ARTICLES_DIR, write_article_pages

__all__ = ["render_site", "write_article_pages", "write_map"]


def render_site(articles: list[Article], out_dir: Path) -> list[Path]:
    """Write the map and the article pages into ``out_dir``; return the paths, map first."""
    pages = Path(out_dir) / ARTICLES_DIR
    return [write_map(articles, out_dir), *(pages / n for n in write_article_pages(articles, out_dir))]
