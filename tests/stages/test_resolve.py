"""Resolution in context: an article of one name ranks its spans as the rounds of context do; a
round ranks again only the spans whose context changed."""
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


@pytest.mark.parametrize("text", [
    "Alexandria and Douglas County wait for snow.",
    "Springfield, Clinton and Franklin voted; Salem and Marion did not. Greene County too.",
    "Paris police said a man from Lamar County was held in Paris, Texas, near Hugo.",
    "Heorhiivka and Marinka were shelled near Donetsk; Kurakhove lost power.",
])
def test_a_round_ranks_as_if_every_span_were_ranked_again(text):
    distinct, cands, fixed = distinct_spans(text)
    gaz = resources().gazetteer
    weights = tuple(fixed.weights.items())
    first = [resolve._first_choice(key, gaz, weights) for key in distinct.keys]
    before = resolve._context(distinct, gaz, fixed, first, settled=False)
    ranked = resolve._rankings(distinct, cands, before)
    reach = resolve._reach(distinct, cands, fixed)
    for _ in range(3):
        ctx = resolve._context(distinct, gaz, fixed, [r[0][1] for r in ranked], settled=True)
        again = resolve._reranked(distinct, cands, ctx, before, ranked, reach)
        assert again == resolve._rankings(distinct, cands, ctx)
        before, ranked = ctx, again


def test_the_nearest_anchor_is_the_nearest_of_those_measured_one_by_one():
    distinct, cands, fixed = distinct_spans(
        "Springfield, Clinton and Franklin voted; Salem, Marion and Jackson did not.")
    gaz = resources().gazetteer
    ctx = resolve._context(distinct, gaz, fixed, [c[0][0] for c in cands], settled=True)
    swept, others = ctx.anchored()
    measured = 0
    for name, candidates in zip(distinct.names, cands):
        for index, primary, e in candidates:
            if not primary or e.feature not in resolve.LOCAL:
                continue
            one_by_one = min([resolve.km(e.lat, e.lon, lat, lon)
                              for other, lat, lon in set(ctx.anchors)
                              if other != name and (lat, lon) != (e.lat, e.lon)]
                             + [resolve.NEAR_KM])
            assert resolve._nearest_km(e, name, fixed.neighbours.get((name, index)), swept,
                                       others) == one_by_one
            measured += one_by_one < resolve.NEAR_KM
    assert measured  # some town has an anchor near
