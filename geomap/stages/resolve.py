"""Choose one gazetteer entry per recognised span: a ranked choice with explainable features.

Features: the kind of place (country, first-level region, area, town and its population, capital),
whether the name is the entry's primary name or an alternate, how the name matched (exact,
transliteration variant, typo), cue words around the span ("X region", "city of X", lists of
regions), the countries of the article's other places (a place in a country the article is about
beats a namesake abroad), regions it names, towns and counties nearby, a place that another of its
names can mean nearby (Alexandria and Douglas County, Minnesota), and one sense per
article: a name read as a region once, with a cue, is that region wherever else the article uses
it bare. The context is read from each span's first choice, then again from the choices made in
that context, so that namesakes settle together (Huntsville and Walker County, Texas). A town in the theatre the article's words set it in
(:mod:`geomap.gazetteer.theatres`: "the OSCE SMM observed…" in the Donbas) beats its namesakes,
and of those in the theatre, or in a region of it that the article names ("Heorhiivka, Donetsk"),
one near its front (the line of contact) beats those far from it.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from geomap.gazetteer import Entry, Gazetteer
from geomap.gazetteer.index import national_capitals
from geomap.gazetteer.names import exact_key
from geomap.geo.distance import km, km_apart_in_longitude, km_to_line
from geomap.kinds import FEATURES, LOCAL, REGIONS
from geomap.languages import ENGLISH
from geomap.models import Article, Mention, Place
from geomap.stages import streets
from geomap.stages.spans import Span

if TYPE_CHECKING:
    from geomap.stages.resources import Resources

MATCH_CONFIDENCE = {"cased": 1.0, "exact": 1.0, "loose": 0.9, "fuzzy": 0.75}


NEAR_KM = 150.0
KM_PER_DEGREE_LAT = 111.19  # a degree of latitude apart is at least this far: a cheap bound
LAT_BAND = (NEAR_KM + 1.0) / KM_PER_DEGREE_LAT  # degrees of latitude beyond which no place is near
CONTEXT_ROUNDS = 2  # rounds in a settled context; a third changes nothing on the dev corpora
TOWN_NAMES_REGION = 50_000
TOWN_ADJECTIVE_REGIONS = frozenset({"UA", "RU", "BY"})  # countries whose oblasts are named by an
# adjective of their centre (Запорізька область, Мурманская область): the bare noun is the town;
# elsewhere a state's or province's bare name is the unit too ("in New York since April")
THEATRE_TOWN_SHARE = 0.1  # a theatre's town this share of a large namesake's size is its own
FIRST_CHOICES_CACHED = 1 << 14  # span keys whose context-free choice is kept
OTHERWISE_KNOWN_POPULATION = 1_000_000  # a town this large is what its other names mean
POPULOUS_COUNTRY = 50_000_000  # a country this populous is what its name means, said bare
FRONT_KM = 30.0  # a town in a theatre this near its front gains, the more the nearer
Front = tuple[tuple[float, float], ...]  # a theatre's front: a line of (lat, lon) points
Fronts = tuple[tuple[frozenset[str], Front], ...]  # each theatre's units and front
Anchor = tuple[str, float, float]  # a town the article names: its name, lower-case, and point


@dataclass
class Context:
    """What the rest of the article says, read from context-free first choices."""

    countries: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> its places'
    # countries, counted
    all_countries: Counter = field(default_factory=Counter)  # country -> places of the article
    setting: frozenset[str] = frozenset()  # the countries of the article's theatres: counted
    # among its places' countries, as if it named them
    senses: dict[str, set[int]] = field(default_factory=dict)  # name -> region entries (cued)
    regions: dict[str, set[str]] = field(default_factory=dict)  # unit the article names -> names used
    in_theatre: set[int] = field(default_factory=set)  # towns in the article's theatre, see below
    front_km: dict[int, float] = field(default_factory=dict)  # towns of a theatre near its
    # front, km to it
    anchors: list[Anchor] = field(default_factory=list)  # the towns chosen
    named_like_town: dict[int, int] = field(default_factory=dict)  # regions whose large town
    # has their name -> the people of the largest such town
    region_towns: set[int] = field(default_factory=set)  # those towns
    unit_people: dict[str, int] = field(default_factory=dict)  # first-level unit -> people of
    # the largest town of it chosen
    city_regions: set[int] = field(default_factory=set)  # of those, the ones a region of another
    # kind shares the name with, see :func:`_city_regions`
    named_like_unit: set[int] = field(default_factory=set)  # small towns named like a unit, see
    # :func:`_small_towns_named_like_a_unit`
    named_like_country: set[int] = field(default_factory=set)  # towns named like a country,
    # see :func:`_towns_named_like_a_country`, or like the capital or a town of a million of a
    # country the article names, see :func:`_towns_named_like_a_main_town`
    near_other_names: dict[int, float] = field(default_factory=dict)  # entry -> km, see below
    best_known: set[int] = field(default_factory=set)  # the most populous town of each name a
    # dateline gives alone ("WASHINGTON —"), see :func:`_best_known_town`
    shares: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)  # memo of
    # :meth:`share`; contexts that compare equal rank alike
    towns: list[Anchor] | None = field(default=None, compare=False)  # memo of
    # :meth:`distinct_anchors`
    weights: Mapping[str, float] = field(default_factory=dict, compare=False)  # of the features

    def share(self, country: str, name: str) -> float:
        """The share of the article's places under other names that lie in ``country``."""
        key = (country, name)
        if key not in self.shares:
            own = self.countries.get(name, {})
            total = sum(self.all_countries.values()) - sum(own.values())
            here = self.all_countries[country] - own.get(country, 0)
            self.shares[key] = here / total if total else 0.0
        return self.shares[key]

    def names_a_larger_town(self, e: Entry, index: int) -> bool:
        """Whether the article names a town of ``e``'s region larger than the town that bears
        the region's name (``e`` that region or that town; Montreal beside a bare Quebec): the
        name means the region, as Canada's press writes Quebec."""
        people = e.population if index in self.region_towns else self.named_like_town.get(index, 0)
        return self.unit_people.get(e.admin1, 0) > people

    def distinct_anchors(self) -> list[Anchor]:
        """The anchors without repeats (a town the article names twice is anchored twice)."""
        if self.towns is None:
            self.towns = list(dict.fromkeys(self.anchors))
        return self.towns


_FEATURE_KEYS = {feature: f"feature:{feature}" for feature in FEATURES}  # weight names, made once
_MATCH_KEYS = {match: f"match:{match}" for match in MATCH_CONFIDENCE}


def features(e: Entry, primary: bool, span: Span, ctx: Context, index: int,
             name: str) -> dict[str, float]:
    """The named contributions to an entry's score for one span (``name``: its text, lower-case)."""
    w = ctx.weights
    feature_key, match_key = _FEATURE_KEYS[e.feature], _MATCH_KEYS[span.match]
    f = {feature_key: w[feature_key], match_key: w[match_key]}
    feature = e.feature
    if feature == "city":
        f["population"] = w["population"] * math.log10(e.population + 10)
        if index in ctx.region_towns and ctx.names_a_larger_town(e, index):
            f["a larger town of its region named"] = w["named_like_town"]
        if e.capital and primary:
            f["capital"] = w["capital"]
    if primary and feature in LOCAL and index not in ctx.named_like_unit \
            and index not in ctx.named_like_country:
        _neighbourhood(f, e, name, ctx, index)  # a namesake in the article's region; not a
        # village that borrows the name, nor a small town named like a state (California, Pa.)
    in_theatre = index in ctx.in_theatre
    if in_theatre:
        f["in the article's theatre"] = w["theatre"]
    if index in ctx.front_km and (in_theatre or e.admin1 in ctx.regions):
        f["near the theatre's front"] = w["front"] * (1 - ctx.front_km[index] / FRONT_KM)
    if primary:
        f["primary name"] = w["primary"]
    cues = span.cues
    if cues:
        if "region" in cues:
            f["region cue"] = w["region_cue"] if feature in REGIONS else w["region_cue_city"]
            if feature == "admin1" and (index in ctx.city_regions
                                        or "state" in cues and index in ctx.named_like_town):
                f["a town bears the name"] = w["named_like_town"]  # "Washington state",
                # "Washington, Oregon": the state, not the District its town fills
        if "city" in cues:
            f["city cue"] = w["city_cue"] if feature == "city" else w["city_cue_area"]
        if "dateline" in cues and index in ctx.best_known:
            f["dateline"] = w["dateline"]
    elif feature == "admin1" and index in ctx.named_like_town \
            and not ctx.names_a_larger_town(e, index):
        f["a town bears the name"] = w["named_like_town"]
    share = ctx.share(e.country, name) if e.country and index not in ctx.named_like_country else 0.0
    if share:
        f["article country"] = w["country_share"] * share
    if ctx.senses and index in ctx.senses.get(name, ()):
        f["same sense in article"] = w["same_sense"]
    return f


def _neighbourhood(f: dict[str, float], e: Entry, name: str, ctx: Context, index: int) -> None:
    """Add to ``f`` the bonuses of a town in a region the article names, near a place another of
    its names can mean, or near the article's other towns."""
    named = ctx.regions.get(e.admin1)
    if named and (len(named) > 1 or name not in named):  # not by the town's own name
        f["region named in article"] = ctx.weights["region_named"]
    other = ctx.near_other_names.get(index, NEAR_KM)
    if other < NEAR_KM:
        f["near a place of another name"] = ctx.weights["near_other_name"] * (1 - other / NEAR_KM)
    if ctx.anchors:
        near = _nearest_km(e, name, ctx.distinct_anchors())
        if near < NEAR_KM:
            f["near other places"] = ctx.weights["near"] * (1 - near / NEAR_KM)


def _nearest_km(e: Entry, name: str, anchors: list[Anchor]) -> float:
    """Kilometres to the nearest anchor under another name and at another point, or ``NEAR_KM``
    if none is nearer; anchors further in latitude alone than the nearest so far are skipped
    without a distance."""
    near = NEAR_KM
    for other, lat, lon in anchors:
        if abs(lat - e.lat) * KM_PER_DEGREE_LAT <= near + 1.0 and other != name \
                and (lat, lon) != (e.lat, e.lon):
            near = min(near, km(e.lat, e.lon, lat, lon))
    return near


Candidates = list[tuple[int, bool, Entry]]
SpanKey = tuple  # :func:`_span_key`: spans with equal keys rank their candidates alike


def _candidates(span: Span, gaz: Gazetteer, theatre: frozenset[str] = frozenset(),
                setting: frozenset[str] = frozenset()) -> Candidates:
    """A span's candidates with their entries (made once by the gazetteer), and the codifier's
    villages of its name, or of its candidates' names (Jevhenivka, a spelling GeoNames gives a
    Yevhenivka elsewhere: the Yevhenivka there), in the ``theatre``'s units or, after a
    settlement's word (село Прогрес), in the countries of the article's ``setting``, which a town
    of that name elsewhere hides from recognition (Orikhove, Luhansk Oblast, beside Orikhove in
    Crimea; Prohres beside Progress, Pennsylvania) — unless the name is a large town's or a region's, which no village's namesake hides (New
    York, not Niu-York)."""
    cands = [(index, primary, gaz.entry(index)) for index, primary in span.candidates]
    setting = setting if "city" in span.cues else frozenset()
    if (theatre or setting) and not _prominent(cands):
        known = {index for index, _ in span.candidates}
        names = dict.fromkeys([span.text, *(e.name for _, _, e in cands)])
        for name in names:
            for index, primary in gaz.namesakes(name):
                if index not in known and (e := gaz.entry(index)).located \
                        and (e.admin1 in theatre or e.country in setting):
                    cands.append((index, primary, e))
                    known.add(index)
    return cands


def _prominent(cands: Candidates) -> bool:
    """Whether a candidate is a country, a region or a town of ``TOWN_NAMES_REGION`` people or
    more that bears the name (see :func:`_bearers`)."""
    return any(e.feature not in LOCAL for _, _, e in cands) \
        or any(e.population >= TOWN_NAMES_REGION for _, _, e in _bearers(cands))


def _bearers(cands: Candidates) -> Candidates:
    """The candidates whose own (primary) name the name is, or all where none is: a large town
    that a name means only as another of its names, a former one (Melitopol, once
    Novooleksandrivka), hides no town that bears it now."""
    return [c for c in cands if c[1]] or cands


def _in_theatre(cands: Candidates, theatre: frozenset[str]) -> set[int]:
    """The towns and counties among a name's candidates that lie in the ``theatre``'s units,
    where none of them is :func:`_prominent`; where the largest is a large town elsewhere, those
    with at least ``THEATRE_TOWN_SHARE`` of its people (Pervomaisk, Luhansk Oblast, in the Donbas,
    not its namesake of twice its size elsewhere; but New York, not Niu-York), and none where it
    is the theatre's own (Luhansk, not the village Luhanske)."""
    if not theatre or any(e.feature not in LOCAL for _, _, e in cands):
        return set()
    inside = {index: e.population for index, _, e in cands if e.admin1 in theatre}
    if not inside:
        return set()
    largest = max(_bearers(cands), key=lambda c: c[2].population)
    if largest[2].population < TOWN_NAMES_REGION:
        return set(inside)
    if largest[0] in inside:
        return set()
    return {index for index, people in inside.items()
            if people >= THEATRE_TOWN_SHARE * largest[2].population}


def _ranked(span: Span, cands: Candidates, ctx: Context) -> list[tuple[float, int, dict]]:
    """``(score, entry index, features)`` of each candidate, best first."""
    name = span.text.lower()
    scored = []
    for index, primary, e in cands:
        f = features(e, primary, span, ctx, index, name)
        scored.append((sum(f.values()), index, f))
    if len(scored) > 1:
        population = {index: e.population for index, _, e in cands}
        scored.sort(key=lambda t: (-t[0], -population[t[1]], t[1]))
    return scored


def _regions_named_like_their_town(name: str, cands: Candidates) -> dict[int, int]:
    """Candidate regions that a large town inside them shares the name with (Mykolaiv, Kharkiv;
    said bare, such a name means the town) -> the people of the largest such town; not a town
    named "``name`` City" after its region (Oklahoma City: a bare Oklahoma is the state)."""
    people: dict[str, int] = {}
    after_region = f"{name} city"
    for _, _, e in cands:
        if e.feature == "city" and e.population >= TOWN_NAMES_REGION and e.admin1 \
                and e.name.lower() != after_region:
            people[e.admin1] = max(people.get(e.admin1, 0), e.population)
    return {i: people[e.admin1] for i, _, e in cands
            if e.feature == "admin1" and e.admin1 in people}


def _best_known_town(cands: Candidates) -> set[int]:
    """The most populous town among a name's candidates, if it has ``TOWN_NAMES_REGION`` people
    or more: a news dateline gives a town alone only where readers know it without its region
    (AP's rule), else it writes the region after it ("JOPLIN, Mo. —")."""
    towns = [(e.population, i) for i, _, e in _bearers(cands) if e.feature == "city"]
    people, index = max(towns, default=(0, -1))
    return {index} if people >= TOWN_NAMES_REGION else set()


def _region_towns(cands: Candidates) -> set[int]:
    """The large towns among the candidates that share the name with a candidate region they lie
    in (Québec, in Quebec)."""
    units = {e.admin1 for _, _, e in cands if e.feature == "admin1"}
    return {i for i, _, e in cands
            if e.feature == "city" and e.population >= TOWN_NAMES_REGION and e.admin1 in units}


def _city_regions(cands: Candidates, named: Mapping[int, int]) -> set[int]:
    """The regions ``named`` like their large town (:func:`_regions_named_like_their_town`) among
    a name's candidates that also name a region of another kind: with a region cue, the name
    means that other ("Washington, Pennsylvania and California": the state, not the District)."""
    if any(e.feature == "admin1" and i not in named for i, _, e in cands):
        return set(named)
    return set()


def _small_towns_named_like_a_unit(cands: Candidates, named: Mapping[int, int]) -> set[int]:
    """The small towns among a name's candidates that bear, as their own name, the name of a
    first-level unit of their own country that no large town fills (California, Pennsylvania,
    named after the state; not Paris, Texas, beside the city-region of Paris, nor London,
    Kentucky, an ocean away from London's): what the article names near them is no sign that it
    means them rather than the unit (``named``: the regions named like their large town)."""
    if named:
        return set()
    countries = {e.country for _, primary, e in cands if primary and e.feature == "admin1"}
    return {i for i, primary, e in cands if primary and e.feature == "city"
            and e.country in countries and e.population < TOWN_NAMES_REGION}


def _towns_named_like_a_country(cands: Candidates) -> set[int]:
    """The towns and counties among a name's candidates when the name is a populous country's
    own (Mexico, Missouri; China, Texas; Goodyear, Arizona, once called Egypt): the article's
    other places lying in their country or near them are no sign that it means them rather than
    the country. A smaller country's name is a town's often enough in local news that they are
    (Lebanon, Indiana; Palestine, Texas). So too where the name is a region of several countries'
    (a hamlet of Maryland called Middle East)."""
    if not any(primary and (e.feature == "country" and e.population >= POPULOUS_COUNTRY
                            or e.feature == "region" and e.country is None)
               for _, primary, e in cands):
        return set()
    return {i for i, _, e in cands if e.feature in LOCAL}


def _named_countries(cands: list[Candidates]) -> set[str]:
    """The countries that the article's names can mean by their own names (Syria)."""
    return {e.country for candidates in cands for _, primary, e in candidates
            if primary and e.feature == "country" and e.country}


def _main_town_of(e: Entry, primary: bool, countries: set[str]) -> bool:
    """Whether ``e`` is a town of a million people in one of ``countries`` (St. Petersburg,
    Russia, under any of its names), or by its own name the capital of one (not of a territory
    whose towns GeoNames files under another country's units: San Juan, Puerto Rico)."""
    return e.country in countries and e.feature == "city" \
        and (e.population >= OTHERWISE_KNOWN_POPULATION
             or primary and e.capital and (e.country, exact_key(e.name)) in national_capitals())


def _towns_named_like_a_main_town(cands: Candidates, countries: set[str]) -> set[int]:
    """The towns among a name's candidates other than the capital or a town of a million of a
    country the article names (:func:`_main_town_of`; Damascus, Maryland, in an article that
    names Syria, written from Washington; St. Petersburg, Florida, in one that names Russia):
    the article's places near them or in their country are no sign that it means them rather
    than that town."""
    if not any(_main_town_of(e, primary, countries) for _, primary, e in cands):
        return set()
    return {i for i, primary, e in cands
            if e.feature in LOCAL and not _main_town_of(e, primary, countries)}


def _fixed_context(distinct: list[Span], cands: list[Candidates], weights: Mapping[str, float],
                   theatre: frozenset[str], fronts: Fronts = (),
                   setting: frozenset[str] = frozenset()) -> Context:
    """What does not depend on the choices: the region senses that cues give names, the
    regions named like their large town, the towns near a place of another name, the
    ``theatre``'s units, how near their theatres' ``fronts`` towns lie, and the countries of
    the article's ``setting``."""
    ctx = Context(weights=weights, setting=setting)
    countries = _named_countries(cands)
    for span, candidates in zip(distinct, cands):
        if "region" in span.cues:
            ctx.senses.setdefault(span.text.lower(), set()).update(_region_senses(span, candidates))
        named = _regions_named_like_their_town(span.text.lower(), candidates)
        ctx.named_like_town |= named
        ctx.region_towns |= _region_towns(candidates)
        ctx.city_regions |= _city_regions(candidates, named)
        ctx.named_like_unit |= _small_towns_named_like_a_unit(candidates, named)
        ctx.named_like_country |= _towns_named_like_a_country(candidates)
        ctx.named_like_country |= _towns_named_like_a_main_town(candidates, countries)
        ctx.in_theatre |= _in_theatre(candidates, theatre)
        if "dateline" in span.cues:
            ctx.best_known |= _best_known_town(candidates)
    ctx.near_other_names = _near_other_names([span.text.lower() for span in distinct], cands)
    ctx.front_km = _near_front(cands, fronts)
    return ctx


def _region_senses(span: Span, cands: Candidates) -> list[int]:
    """The regions a cued span gives its name for the rest of the article: not an oblast named
    after a large town of its country (:data:`TOWN_ADJECTIVE_REGIONS`) where the writer added the
    region's word to tell it from the town (after "Zaporizhzhia region" or "the Kyiv region", a
    bare "Zaporizhzhia" or "Kyiv" is still the city), unless the span is one of a list of regions
    ("the Donetsk, Luhansk and Zaporizhzhia regions": an article about the oblasts as units)."""
    told_apart = "region_word" in span.cues and "region_list" not in span.cues
    towns = {e.country for _, _, e in cands if told_apart and e.feature == "city"
             and e.population >= TOWN_NAMES_REGION and e.country in TOWN_ADJECTIVE_REGIONS}
    return [index for index, _, e in cands if e.feature in REGIONS and e.country not in towns]


def _near_front(cands: list[Candidates], fronts: Fronts) -> dict[int, float]:
    """Entry -> km to its theatre's front, for the towns of a theatre nearer it than
    ``FRONT_KM`` among a name's candidates that :func:`_in_theatre` would prefer (New York stays
    New York in an article that names Donetsk Oblast)."""
    near: dict[int, float] = {}
    for candidates in cands:
        for units, front in fronts:
            inside = _in_theatre(candidates, units)
            entries = {index: e for index, _, e in candidates} if inside else {}
            for index in inside:
                d = km_to_line(entries[index].lat, entries[index].lon, front)
                if d < FRONT_KM:
                    near[index] = min(d, near.get(index, FRONT_KM))
    return near


def _near_other_names(names: list[str], cands: list[Candidates]) -> dict[int, float]:
    """Entry -> km to the nearest town or county that a span of another name can mean, where
    nearer than ``NEAR_KM``: namesakes that lie together settle together (Alexandria and
    Douglas County, Minnesota). A sweep over the points sorted by latitude."""
    if len(set(names)) < 2:
        return {}  # no pair of names
    points = sorted({(e.lat, e.lon, name, index)
                     for name, candidates in zip(names, cands)
                     for index, primary, e in candidates if primary and e.feature in LOCAL})
    cos_lat = [math.cos(math.radians(lat)) for lat, _, _, _ in points]
    nearest: dict[int, float] = {}
    for a, (lat, lon, name, index) in enumerate(points):
        reach = lat + LAT_BAND
        for b, (lat2, lon2, name2, index2) in enumerate(islice(points, a + 1, None), a + 1):
            if lat2 > reach:
                break
            if name2 == name or (lat2, lon2) == (lat, lon) \
                    or km_apart_in_longitude(lon, lon2, min(cos_lat[a], cos_lat[b])) > NEAR_KM + 1.0:
                continue
            d = km(lat, lon, lat2, lon2)
            if d < NEAR_KM:
                if d < nearest.get(index, NEAR_KM):
                    nearest[index] = d
                if d < nearest.get(index2, NEAR_KM):
                    nearest[index2] = d
    return nearest


def _span_key(span: Span) -> SpanKey:
    """Spans with equal keys rank their candidates alike in any context."""
    return span.text, span.match, frozenset(span.cues), tuple(span.candidates)


@dataclass
class Distinct:
    """An article's spans numbered by their keys (:func:`_span_key`), which are hashed once."""

    keys: list[SpanKey] = field(default_factory=list)  # of each distinct span
    spans: list[Span] = field(default_factory=list)  # the first span of each key
    names: list[str] = field(default_factory=list)  # each distinct span's text, lower-case
    of_spans: list[int] = field(default_factory=list)  # each span's number


def _distinct(spans: list[Span]) -> Distinct:
    """The spans' :class:`Distinct`."""
    distinct = Distinct()
    numbers: dict[SpanKey, int] = {}
    for span in spans:
        key = _span_key(span)
        number = numbers.setdefault(key, len(numbers))
        if number == len(distinct.spans):
            distinct.keys.append(key)
            distinct.spans.append(span)
            distinct.names.append(span.text.lower())
        distinct.of_spans.append(number)
    return distinct


Rankings = list[list[tuple[float, int, dict]]]  # of each distinct span: :func:`_ranked`


def _rankings(distinct: Distinct, cands: list[Candidates], ctx: Context) -> Rankings:
    """The ranking of each distinct span in ``ctx``."""
    return [_ranked(span, candidates, ctx) for span, candidates in zip(distinct.spans, cands)]


Choices = list[int]  # the entry each distinct span chooses


@lru_cache(maxsize=FIRST_CHOICES_CACHED)
def _first_choice(key: SpanKey, gaz: Gazetteer, weights: tuple[tuple[str, float], ...]) -> int:
    """The entry a span of ``key`` chooses out of context, which no article changes: cached, as
    news repeats its place names. The ``weights`` (as items) are part of the cache key, as
    ``bench/fit_weights.py`` changes them."""
    text, match, cues, candidates = key
    span = Span(0, len(text), text, list(candidates), match, set(cues))
    return _ranked(span, _candidates(span, gaz), Context(weights=dict(weights)))[0][1]


def _context(distinct: Distinct, gaz: Gazetteer, fixed: Context, choices: Choices,
             settled: bool) -> Context:
    """The article's countries, named regions and towns, from the ``choices`` of its spans
    (``fixed`` adds the region senses). Its towns are those of one candidate, or once the choices
    are ``settled`` (made in context), every town and county chosen."""
    ctx = Context(senses=fixed.senses, named_like_town=fixed.named_like_town,
                  region_towns=fixed.region_towns,
                  city_regions=fixed.city_regions,
                  named_like_unit=fixed.named_like_unit,
                  named_like_country=fixed.named_like_country,
                  near_other_names=fixed.near_other_names, best_known=fixed.best_known,
                  weights=fixed.weights,
                  in_theatre=fixed.in_theatre, front_km=fixed.front_km, setting=fixed.setting)
    ctx.all_countries.update(fixed.setting)
    if not choices:
        return ctx
    chosen = [gaz.entry(index) for index in choices]
    for number in distinct.of_spans:
        e, name = chosen[number], distinct.names[number]
        if e.country:
            counts = ctx.countries.setdefault(name, {})
            counts[e.country] = counts.get(e.country, 0) + 1
            ctx.all_countries[e.country] += 1
        if e.feature == "admin1" and e.admin1:
            ctx.regions.setdefault(e.admin1, set()).add(name)
        if e.feature == "city" and e.admin1 and e.population > ctx.unit_people.get(e.admin1, 0):
            ctx.unit_people[e.admin1] = e.population
        if e.feature in LOCAL and (settled or len(distinct.spans[number].candidates) == 1):
            ctx.anchors.append((name, e.lat, e.lon))
    return ctx


def _settled_rankings(distinct: Distinct, cands: list[Candidates], fixed: Context,
                      gaz: Gazetteer) -> Rankings:
    """The spans' rankings in the article's context (:func:`_rounds`). The spans of an article
    of one name (many a short report) rank alike in any context, which reads only the article's
    other names: they are ranked once, in the fixed context."""
    if len(set(distinct.names)) < 2:
        return _rankings(distinct, cands, _context(distinct, gaz, fixed, [], settled=True))
    return _rounds(distinct, cands, fixed, gaz)


def _rounds(distinct: Distinct, cands: list[Candidates], fixed: Context,
            gaz: Gazetteer) -> Rankings:
    """The spans' rankings in the context read from context-free choices and then
    ``CONTEXT_ROUNDS`` times from the choices made in it. A round that gives the context it was
    made in would give it again: the rankings in that context are final."""
    weights = tuple(fixed.weights.items())
    first = [_first_choice(key, gaz, weights) for key in distinct.keys]
    ctx = _context(distinct, gaz, fixed, first, settled=False)
    for _ in range(CONTEXT_ROUNDS):
        rankings = _rankings(distinct, cands, ctx)
        choices = [ranked[0][1] for ranked in rankings]
        settled = _context(distinct, gaz, fixed, choices, settled=True)
        if settled == ctx:
            return rankings
        ctx = settled
    return _rankings(distinct, cands, ctx)


def to_place(e: Entry) -> Place:
    """The contract form of a gazetteer entry."""
    return Place(name=e.name, feature=e.feature, country=e.country, lat=e.lat, lon=e.lon,
                 admin1=e.admin1, admin1_all=list(e.admin1_all), geonameid=e.geonameid,
                 population=e.population, located=e.located)


TIES = ("near other places", "region named in article", "near a place of another name",
        "in the article's theatre", "article country")  # features that tie a town to the
# article's other places: near them, in their region or in their country


def _a_features_own(span: Span, e: Entry, f: dict[str, float]) -> bool:
    """Whether a name beside a feature's word ("Lake Cunningham", "Zion National Park", "the
    island of Java") is the feature's own, which the gazetteer lacks, rather than the small town
    ``e`` chosen for it (with features ``f``): so unless the article's places tie the town to it
    (near them or in their country: a river named like a town on it). A region or a large town
    is more often what holds the feature (the island of Bohol, the Bekaa Valley, the Las Vegas
    Valley)."""
    return "feature" in span.cues and e.feature == "city" and e.population < TOWN_NAMES_REGION \
        and not any(tie in f for tie in TIES)


def _only_another_name_far_off(span: Span, cands: Candidates, e: Entry,
                               f: dict[str, float]) -> bool:
    """Whether the town ``e`` chosen (with features ``f``) bears the name only as another of its
    names, as every candidate does, lies neither near the article's places nor in their
    countries, is no town of a million (Bombay), and no cue word says the span is a place ("Anbar
    province"): a name the gazetteer lacks, or no place's, rather than that far town's
    (Twickenham, once Huntsville's name; TfL, Teófilo Otoni's code). A village that bears the
    name as its own (Topolyne of the codifier) is no other name."""
    key = exact_key(span.text)
    return e.feature == "city" and e.population < OTHERWISE_KNOWN_POPULATION and not span.cues \
        and not any(primary or exact_key(c.name) == key for _, primary, c in cands) \
        and not any(tie in f for tie in TIES)


def explain(f: dict[str, float]) -> list[str]:
    """Readable lines: each feature and its contribution, largest first."""
    return [f"{name} {value:+.2f}" for name, value in sorted(f.items(), key=lambda kv: -abs(kv[1]))]


def stage(article: Article, res: Resources) -> Article:
    """The resolution stage: the article's spans (:func:`geomap.stages.recognise.stage`) resolved
    in context into its mentions."""
    theatres = res.theatres.of(article.text, article.lang)
    theatre = frozenset().union(*(t.admin1 for t in theatres))
    english = (article.lang or ENGLISH) == ENGLISH
    article.mentions = resolve(article.id, article.spans, res.gazetteer, res.weights, theatre,
                               res.theatres.fronts, frozenset(t.country for t in theatres), english)
    if english:  # street names are read in English only
        article.mentions = streets.with_streets(article.text, article.passages, article.mentions)
    article.spans = []
    return article


def resolve(article_id: str, spans: list[tuple[str, Span]], gaz: Gazetteer,
            weights: Mapping[str, float], theatre: frozenset[str] = frozenset(),
            fronts: Fronts = (), setting: frozenset[str] = frozenset(),
            english: bool = True) -> list[Mention]:
    """Mentions for ``(passage id, span)`` pairs of one article, each resolved in context
    (``theatre``: the first-level units its words set it in; ``fronts``: every theatre's units
    and front; ``setting``: the countries of its theatres). Of an ``english`` article's names,
    one that is only another name of a far town is left out
    (:func:`_only_another_name_far_off`); the gazetteer has Ukrainian and Russian names only as
    other names (Херсон)."""
    distinct = _distinct([span for _, span in spans])
    cands = [_candidates(span, gaz, theatre, setting) for span in distinct.spans]
    fixed = _fixed_context(distinct.spans, cands, weights, theatre, fronts, setting)
    rankings = _settled_rankings(distinct, cands, fixed, gaz)
    explained = [explain(ranked[0][2]) for ranked in rankings]
    far_names_left_out = english and len(set(distinct.names)) > 1
    mentions = []
    for (passage_id, span), number in zip(spans, distinct.of_spans):
        ranked = rankings[number]
        best_score, best, best_features = ranked[0]
        if _a_features_own(span, gaz.entry(best), best_features) \
                or far_names_left_out and _only_another_name_far_off(span, cands[number],
                                                                gaz.entry(best), best_features):
            continue
        runner_up = ranked[1][0] if len(ranked) > 1 else best_score - 4.0
        confidence = MATCH_CONFIDENCE[span.match] / (1.0 + math.exp(-(best_score - runner_up)))
        mentions.append(Mention(article=article_id, start=span.start, end=span.end, text=span.text,
                                passage=passage_id, place=to_place(gaz.entry(best)),
                                confidence=confidence, why=list(explained[number])))
    return mentions
