"""Resolution in context: an article of one name ranks its spans as the rounds of context do."""
from __future__ import annotations

import pytest

from geomap.models import Article
from geomap.stages import recognise, resolve, split
from geomap.stages.resources import resources


def keyed_spans(text: str, lang: str = "en") -> tuple[list, dict, dict, resolve.Context]:
    """What :func:`geomap.stages.resolve.resolve` ranks for ``text``: its keyed spans, the
    distinct ones, their candidates and the fixed context."""
    res = resources()
    article = recognise.stage(split.stage(Article(id="a", path="", text=text, sha256="",
                                                  lang=lang), res), res)
    theatre = frozenset().union(*(t.admin1 for t in res.theatres.of(text, lang)))
    keyed = [(resolve._span_key(s), s) for _, s in article.spans]
    distinct: dict = {}
    for key, span in keyed:
        distinct.setdefault(key, span)
    cands = {key: resolve._candidates(span, res.gazetteer, theatre) for key, span in distinct.items()}
    fixed = resolve._fixed_context(distinct, cands, res.weights, theatre, res.theatres.fronts)
    return keyed, distinct, cands, fixed


@pytest.mark.parametrize(("text", "lang"), [
    ("Springfield voted on Tuesday. The Springfield council met again.", "en"),
    ("Alexandria's mayor spoke. In Alexandria, the road reopened.", "en"),
    ("The Kharkiv region was shelled; Kharkiv lost power. KHARKIV stayed dark.", "en"),
    ("Вночі окупанти обстріляли Харків. Харків залишився без світла.", "uk"),
])
def test_an_article_of_one_name_ranks_its_spans_as_the_rounds_of_context_do(text, lang):
    keyed, distinct, cands, fixed = keyed_spans(text, lang)
    assert len({span.text.lower() for span in distinct.values()}) == 1
    gaz = resources().gazetteer
    assert resolve._settled_rankings(keyed, distinct, cands, fixed, gaz) == \
        resolve._rounds(keyed, distinct, cands, fixed, gaz)


def test_an_article_of_two_names_is_ranked_in_rounds_of_context():
    keyed, distinct, cands, fixed = keyed_spans("Alexandria and Douglas County wait for snow.")
    assert len({span.text.lower() for span in distinct.values()}) == 2
    gaz = resources().gazetteer
    rounds = resolve._rounds(keyed, distinct, cands, fixed, gaz)
    in_fixed = resolve._rankings(distinct, cands, resolve._context([], gaz, fixed, {}, True))
    assert resolve._settled_rankings(keyed, distinct, cands, fixed, gaz) == rounds != in_fixed
