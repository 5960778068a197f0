"""Resolution in context: an article of one name ranks its spans as the rounds of context do."""
from __future__ import annotations

import pytest

from geomap.models import Article
from geomap.stages import recognise, resolve, split
from geomap.stages.resources import resources


def distinct_spans(text: str, lang: str = "en") -> tuple[resolve.Distinct, list, resolve.Context]:
    """What :func:`geomap.stages.resolve.resolve` ranks for ``text``: its distinct spans, their
    candidates and the fixed context."""
    res = resources()
    article = recognise.stage(split.stage(Article(id="a", path="", text=text, sha256="",
                                                  lang=lang), res), res)
    theatre = frozenset().union(*(t.admin1 for t in res.theatres.of(text, lang)))
    distinct = resolve._distinct([span for _, span in article.spans])
    cands = [resolve._candidates(span, res.gazetteer, theatre) for span in distinct.spans]
    fixed = resolve._fixed_context(distinct.spans, cands, res.weights, theatre,
                                   res.theatres.fronts)
    return distinct, cands, fixed


@pytest.mark.parametrize(("text", "lang"), [
    ("Springfield voted on Tuesday. The Springfield council met again.", "en"),
    ("Alexandria's mayor spoke. In Alexandria, the road reopened.", "en"),
    ("The Kharkiv region was shelled; Kharkiv lost power. KHARKIV stayed dark.", "en"),
    ("Вночі окупанти обстріляли Харків. Харків залишився без світла.", "uk"),
])
def test_an_article_of_one_name_ranks_its_spans_as_the_rounds_of_context_do(text, lang):
    distinct, cands, fixed = distinct_spans(text, lang)
    assert len(set(distinct.names)) == 1
    gaz = resources().gazetteer
    assert resolve._settled_rankings(distinct, cands, fixed, gaz) == \
        resolve._rounds(distinct, cands, fixed, gaz)


def test_an_article_of_two_names_is_ranked_in_rounds_of_context():
    distinct, cands, fixed = distinct_spans("Alexandria and Douglas County wait for snow.")
    assert len(set(distinct.names)) == 2
    gaz = resources().gazetteer
    rounds = resolve._rounds(distinct, cands, fixed, gaz)
    in_fixed = resolve._rankings(distinct, cands, resolve._context(distinct, gaz, fixed, [], True))
    assert resolve._settled_rankings(distinct, cands, fixed, gaz) == rounds != in_fixed
