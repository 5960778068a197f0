"""Choose one gazetteer entry per recognised span: a ranked choice with explainable features.

Features: the kind of place (country, first-level region, area, town and its population, capital),
whether the name is the entry's primary name or an alternate, how the name matched (exact,
transliteration variant, typo), cue words around the span ("X region", "city of X", lists of
regions), the article's own countries (a place in a country the article is about beats a namesake
abroad), and one sense per article: a name read as a region once, with a cue, is that region
wherever else the article uses it bare.
"""
from __future__ import annotations

import math
from collections import Counter

from geomap.gazetteer import Entry, Gazetteer
from geomap.models import Mention, Place
from geomap.recognise import Span

FEATURE_BASE = {"country": 4.5, "admin1": 3.5, "region": 3.0, "other": 2.5, "admin2": 2.0, "city": 0.0}
MATCH_PENALTY = {"cased": 0.0, "exact": 0.0, "loose": -0.5, "fuzzy": -1.0}
MATCH_CONFIDENCE = {"cased": 1.0, "exact": 1.0, "loose": 0.9, "fuzzy": 0.75}
WEIGHTS = {"primary": 1.0, "capital": 1.0, "population": 1 / 1.5, "region_cue": 4.0,
           "region_cue_city": -2.0, "city_cue": 3.0, "city_cue_area": -2.0, "country_share": 2.0,
           "same_sense": 3.0}


def features(e: Entry, primary: bool, span: Span, shares: Counter, sense: set[int],
             index: int) -> dict[str, float]:
    """The named contributions to an entry's score for one span."""
    f = {f"feature:{e.feature}": FEATURE_BASE[e.feature], f"match:{span.match}": MATCH_PENALTY[span.match]}
    if e.feature == "city":
        f["population"] = WEIGHTS["population"] * math.log10(e.population + 10)
        if e.capital and primary:
            f["capital"] = WEIGHTS["capital"]
    if primary:
        f["primary name"] = WEIGHTS["primary"]
    area = e.feature in ("admin1", "admin2", "region")
    if "region" in span.cues:
        f["region cue"] = WEIGHTS["region_cue"] if area else WEIGHTS["region_cue_city"]
    if "city" in span.cues:
        f["city cue"] = WEIGHTS["city_cue"] if e.feature == "city" else WEIGHTS["city_cue_area"]
    if e.country and shares.get(e.country):
        f["article country"] = WEIGHTS["country_share"] * shares[e.country]
    if index in sense:
        f["same sense in article"] = WEIGHTS["same_sense"]
    return f


def _ranked(span: Span, gaz: Gazetteer, shares: Counter, sense: set[int]) -> list[tuple[float, int, dict]]:
    scored = []
    for index, primary in span.candidates:
        f = features(gaz.entry(index), primary, span, shares, sense, index)
        scored.append((sum(f.values()), index, f))
    scored.sort(key=lambda t: (-t[0], -gaz.entry(t[1]).population, t[1]))
    return scored


def _country_shares(spans: list[Span], gaz: Gazetteer) -> Counter:
    """Each country's share of the article's places, read from the context-free best choices."""
    counts: Counter = Counter()
    for span in spans:
        best = _ranked(span, gaz, Counter(), set())[0][1]
        if gaz.entry(best).country:
            counts[gaz.entry(best).country] += 1
    total = sum(counts.values()) or 1
    return Counter({c: n / total for c, n in counts.items()})


def _region_senses(spans: list[Span], gaz: Gazetteer) -> dict[str, set[int]]:
    """Names read as an area with a region cue, by folded surface: their entries."""
    senses: dict[str, set[int]] = {}
    for span in spans:
        if "region" in span.cues:
            for index, _ in span.candidates:
                if gaz.entry(index).feature in ("admin1", "admin2", "region"):
                    senses.setdefault(span.text.lower(), set()).add(index)
    return senses


def to_place(e: Entry) -> Place:
    """The contract form of a gazetteer entry."""
    return Place(name=e.name, feature=e.feature, country=e.country, lat=e.lat, lon=e.lon,
                 admin1=e.admin1, admin1_all=list(e.admin1_all), geonameid=e.geonameid,
                 population=e.population)


def explain(f: dict[str, float]) -> list[str]:
    """Readable lines: each feature and its contribution, largest first."""
    return [f"{name} {value:+.2f}" for name, value in sorted(f.items(), key=lambda kv: -abs(kv[1]))]


def resolve(article_id: str, spans: list[tuple[str, Span]], gaz: Gazetteer) -> list[Mention]:
    """Mentions for ``(passage id, span)`` pairs of one article, each resolved in context."""
    only_spans = [s for _, s in spans]
    shares = _country_shares(only_spans, gaz)
    senses = _region_senses(only_spans, gaz)
    mentions = []
    for passage_id, span in spans:
        ranked = _ranked(span, gaz, shares, senses.get(span.text.lower(), set()))
        best_score, best, f = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else best_score - 4.0
        confidence = MATCH_CONFIDENCE[span.match] / (1.0 + math.exp(-(best_score - runner_up)))
        mentions.append(Mention(article=article_id, start=span.start, end=span.end, text=span.text,
                                passage=passage_id, place=to_place(gaz.entry(best)),
                                confidence=confidence, why=explain(f)))
    return mentions
