"""The parse pipeline, in spaCy's spirit: one ordered list of stages (:data:`STAGES`), each a
callable ``stage(article, resources) -> article`` that adds what it finds to the article:

    language -> split -> recognise -> resolve -> events

(:func:`language_stage` the language it is read in, :mod:`.split` passages, :mod:`.recognise` spans of place names, :mod:`.resolve` mentions resolved
to places, :mod:`.events` events). What the stages read besides the article — the gazetteer, the
event taxonomy, the resolution weights — is loaded once per process into one
:class:`~geomap.stages.resources.Resources`.
"""
from __future__ import annotations

from collections.abc import Callable

from geomap import languages
from geomap.models import Article
from geomap.stages import events, recognise, resolve, split
from geomap.stages.resources import Resources, resources

Stage = Callable[[Article, Resources], Article]


def language_stage(article: Article, res: Resources) -> Article:
    """The language stage: the language the article is read in, unless given
    (:func:`geomap.languages.detect`)."""
    article.lang = article.lang or languages.detect(article.text)
    return article


STAGES: tuple[Stage, ...] = (language_stage, split.stage, recognise.stage, resolve.stage,
                             events.stage)


def parse_article(article: Article, res: Resources | None = None) -> Article:
    """Run every stage over one article, in place; returns it."""
    res = res or resources()
    for stage in STAGES:
        article = stage(article, res)
    return article


def parse_text(text: str, article_id: str = "text") -> Article:
    """Parse a string as an article (for notebooks and tests)."""
    return parse_article(Article(id=article_id, path="", text=text, sha256=""))


def warm_up_parse() -> None:
    """Import the parse stages and load the gazetteer (what a parse worker does first)."""
    parse_text("Kyiv.")
