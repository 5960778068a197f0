"""Find toponym spans: gazetteer lookup of capitalised token runs, context cues and filters.

Recall comes from the gazetteer (every name and alternate name, folded, and a looser key for
transliteration variants; one-edit typos of prominent places). Precision comes from context:
capitalisation, person and organisation cues (a relative's word before a name, a newspaper's or a
town service's after it), common English words that only name hamlets, abbreviations that are
not places (NATO), currencies (US$) and diseases (West Nile virus). Cues found here ("X region",
"city of X", "X Gov.", lists such as "Donetsk, Luhansk and Kherson regions", "Douglas and Sarpy
counties", lists of units of one country) are passed on to resolution.
"""
from __future__ import annotations

import calendar
import re
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from geomap.gazetteer import LOOKUP_CACHE_SIZE, Entry, Gazetteer
from geomap.gazetteer.index import Postings
from geomap.gazetteer.lexicon import DEMONYM_ENDINGS, Lexicon
from geomap.gazetteer.names import exact_key
from geomap.geo.distance import km
from geomap.kinds import SETTLEMENT_WORDS
from geomap.models import Article, Passage
from geomap.stages import recognise_cyrillic
from geomap.stages.spans import (
    Span,
    entry_is_prominent,
    names_country,
    only_codifier_villages,
    ukrainian_landmark,
)

if TYPE_CHECKING:
    from geomap.stages.resources import Resources

MAX_TOKENS = 6
FUZZY_MAX_ZIPF = 2.5  # a typo is a rare word
FREQUENT_ZIPF = 4.5  # Monday, Christmas, Olympic: frequent capitalised words that name hamlets
FUZZY_MIN_LENGTH = 6
DEMONYM_ZIPF = 3.0  # a hamlet's -i name this frequent in English is another word's (Sunni, Hindi)
OTHERWISE_KNOWN_ZIPF = 3.0  # a town's other name this frequent in English may be another thing's
OTHERWISE_KNOWN_MARGIN = 0.5  # … when this much more frequent than the town's own name
# (Hamas, Hamm)
OTHERWISE_KNOWN_POPULATION = 1_000_000  # a town this large is what its other names mean
# (Bangalore, Kiev)
CITY_REGION_POPULATION = 50_000  # a town this large may fill a first-level unit of its name
NEIGHBOUR_KM = 250.0  # a namesake this near a region written after it may be the town meant
ADJECTIVE_ENDINGS = ("yi", "ii", "ski")  # Slavic adjectives: Moskovskyi district, Molochnyi

_TOKEN = re.compile(r"[^\W\d_](?:(?<=[A-Z])\.(?:[A-Z]\.)++|[^\W\d_]*+(?:['’ʼ](?!s\b)[^\W\d_]++)*+)")
# a dotted abbreviation (U.S.) or a word: letters, and more after an apostrophe but a
# possessive's s. Written to begin with a letter, which lets ``re`` pass over the characters that
# cannot start a token without trying the pattern there, and with possessive repeats (a word's
# letters are never given back)
_JOIN_GAPS = frozenset(gap + end for gap in (" ", "-", "–", ". ") for end in ("", "\n"))  # what
# may join the words of a name (a final newline too, as "$" matched it)
REGION_WORDS = {"region", "oblast", "province", "governorate", "district", "state", "county",
                "prefecture", "territory", "raion", "krai", "oblast's"}
REGION_PLURALS = {"regions", "oblasts", "provinces", "governorates", "districts", "states",
                  "counties", "prefectures", "territories"}
REGION_OFFICES = {"governor", "gov", "premier", "legislature"}  # a state's or province's: "New
# York Gov. Andrew Cuomo", "Quebec Premier"
CITY_WORDS = {"city", "town", "village", "settlement", "port", "capital"}
PERSON_TITLES = {"mr", "mrs", "ms", "dr", "president", "chancellor", "minister", "senator", "sen",
                 "rep", "gen", "general", "colonel", "col", "lt", "sgt", "king", "queen", "prince",
                 "princess", "pope", "saint", "st", "judge", "governor", "mayor", "spokesman",
                 "spokeswoman", "secretary", "ambassador", "lord", "lady", "sir", "professor",
                 "prof", "coach", "captain", "capt", "officer", "commander", "leader",
                 "commissioner", "trooper", "constable", "const", "sheriff", "detective",
                 "det", "sergeant", "corporal", "cpl", "lieutenant", "admiral", "adm",
                 "superintendent", "principal", "councilman", "councilwoman", "councillor",
                 "alderman", "coroner", "reverend", "rev", "bishop", "rabbi", "imam", "pastor",
                 "chairman", "chairwoman", "director", "trustee", "treasurer", "magistrate",
                 "assemblyman", "assemblywoman"}
NEWSPAPER_HEADS = {"times", "post", "journal", "herald", "tribune", "gazette", "daily", "telegraph"}
ORG_HEADS = NEWSPAPER_HEADS | {
    "university", "ministry", "council", "institute", "party", "news", "airlines", "airways",
    "bank", "company", "corporation", "corp", "inc", "ltd", "group", "agency", "department",
    "police", "club", "fc", "united", "committee", "foundation", "association", "union",
    "federation", "school", "college", "hospital", "church", "review", "press", "television", "tv",
    "radio", "records", "energy", "motors", "airport", "stadium", "street", "avenue", "road",
    "square", "county"}
BODY_HEADS = NEWSPAPER_HEADS | {"people"}  # after any place's name, a region's too, a body's:
# the Kyiv Post, the Donetsk People's Republic, People's Militia (a possessive's "'s" is no part
# of a token)
FEATURE_HEADS = {"Park", "Lake", "Lakes", "Lakeshore", "River", "Creek", "Island", "Islands",
                 "Valley", "Sound", "Square", "National"}  # after a name: a park's, a lake's, an
# island's… ("Zion National Park", "Farallon Islands"); cue "feature"
ORG_OPENERS = {"Club", "Real", "Agence", "Radio"}  # capitalised, before a place: a club
# (Real Madrid, Real Zaragoza), agency or broadcaster named after it
NAMED_AFTER = {"imeni"}  # "named after", transliterated from Russian and Ukrainian: "Shakhta imeni
# Lenina", a mine named after Lenin (in the genitive), neither a place
DISEASE_WORDS = {"virus", "viruses", "fever", "hemorrhagic", "haemorrhagic", "encephalitis"}  # not
# "flu": the United States flu season
TOWN_SERVICES = {"police", "circuit", "selectman"}  # a town's or county's own service or office
# after its name: "Berea Police said", "Kanawha Circuit Court", "Litchfield Selectman Ann Ruiz"
_NEWSPAPER_AFTER = re.compile(r" [A-Z][a-z]+ (?:" + "|".join(
    w.capitalize() for w in sorted(NEWSPAPER_HEADS)) + r")\b")  # a newspaper's two-word name
# after a place's: the Lansing State Journal, the Sunday Times
BUILDING_WORDS = {"house", "hall", "palace", "castle", "tower", "towers", "centre", "center"}  # the
# last word of a building's name
SPEECH_VERBS = {"said", "says", "told", "added", "argued", "wrote", "asked", "replied", "noted"}
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "central", "upper", "lower", "greater", "north-eastern", "north-western",
              "south-eastern", "south-western", "northeastern", "northwestern", "southeastern",
              "southwestern"}


Token = re.Match  # a word of a passage (or a dotted abbreviation: U.S.), as _TOKEN matched it


def _capitalised(tok: Token) -> bool:
    """Whether a token begins with a capital letter."""
    return tok[0][0].isupper()


def _longest_match(text: str, toks: list[Token], i: int, gaz: Gazetteer) -> tuple[int, list, str]:
    """The longest run ``toks[i:j]`` naming a place: ``(j, candidates, match kind)``. A run goes
    on over the next word while it is a name's (capitalised, or a word inside or ending a name:
    "de", "river") after a gap a name may hold, and the gazetteer has names going on from the
    run (:meth:`Gazetteer.extensible`), asked last: a run met for the first time costs it a
    look-up in three indexes."""
    first = toks[i]
    surface = first[0]
    hits, kind = gaz.lookup(surface)
    best: tuple[int, list, str] = (i + 1, hits, kind) if hits and (
        _capitalised(first) or kind != "loose") else (i, [], "")
    end = min(i + MAX_TOKENS, len(toks))
    j = i + 1  # the run is toks[i:j]
    while j < end:
        last = toks[j]
        if text[toks[j - 1].end():last.start()] not in _JOIN_GAPS or not (
                _capitalised(last) or last[0].lower() in _INNER_WORDS
                or last[0].lower() in _TAIL_WORDS or _ELIDED.match(last[0])) \
                or not gaz.extensible(surface):
            break  # no gap of a name, no word of a name, or no name goes on
        j += 1
        surface = text[first.start():last.end()]
        hits, kind = gaz.lookup(surface)
        if hits:
            if best[1] and last[0] == "City" and not any(primary for _, primary in hits):
                continue  # "Springfield City Schools": Springfield, not a town called so elsewhere
            best = (j, hits, kind)
    return best


_INNER_WORDS = {"of", "on", "upon", "under", "de", "del", "la", "le", "les", "du", "da", "di", "am",
                "an", "im", "sur", "sous", "au", "aux", "en", "the", "and", "y", "el", "al", "do",
                "dos", "das", "des", "der", "den", "van", "von"}
_ELIDED = re.compile(r"[dl]['’][A-ZÀ-Ý]")  # a name's word after an elided article: Côte d'Ivoire
_TAIL_WORDS = {"peninsula", "river", "sea", "lake", "island", "islands", "mountains", "strait",
               "bay", "gulf", "basin", "valley", "oblast", "region", "province"}


_NOT_OPENING = re.compile(r"[^ \t\n\"'“‘(\[—-]")  # a character other than those that may open a
# sentence before its first word


def _is_sentence_start(text: str, passage: Passage, tok: Token) -> bool:
    """Whether only spaces, quotes, brackets and dashes come before a token in its passage."""
    return _NOT_OPENING.search(text, passage.start, tok.start()) is None


def _prominent(span_cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    return any(entry_is_prominent(gaz.entry(i)) for i, _ in span_cands)


def _prominent_primary(span_cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """Whether the name is the primary name of a country, a region or a large town."""
    return any(primary and entry_is_prominent(gaz.entry(i)) for i, primary in span_cands)


def _big_area(span_cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    return any(gaz.entry(i).feature != "city" for i, _ in span_cands)


def _is_proper_name(surface: str, lex: Lexicon) -> bool:
    """Whether the dictionary also gives a word capitalised, as a name (Michigan, Lombard), and it
    is not a word of direction or geography (South, Gulf) nor a given name (Mary, Kerry)."""
    word = surface.lower()
    return surface.capitalize() in lex.proper and word not in _PLACE_WORDS \
        and word not in lex.given_names


def _common_word_ok(surface: str, cands: list[tuple[int, bool]], gaz: Gazetteer,
                    lex: Lexicon) -> bool:
    """Whether a capitalised word that is also an English word is here a place.

    A dictionary word (Pool, Western, Telegram) is a place only as the primary name of a country,
    a country's part (Wales) or a large town (Turkey, Nice, Reading), or of a region when the
    dictionary also has it as a name (Michigan, Montana); a frequent capitalised word (Monday,
    Texas, Europe) also as the primary name of a region, never as a hamlet's.
    """
    dictionary_word = lex.is_common_word(surface)
    if not dictionary_word and lex.zipf(surface) < FREQUENT_ZIPF:
        return True
    for index, primary in cands:
        e = gaz.entry(index)
        if not primary and not e.name.startswith(f"{surface} "):
            continue  # the head of its own name counts: Acapulco (de Juárez)
        if e.feature == "country" or (e.feature == "city" and entry_is_prominent(e)) \
                or _part_of_a_country(e):
            return True
        if e.feature != "city" and (not dictionary_word or _is_proper_name(surface, lex)):
            return True
    return False


def _part_of_a_country(e: Entry) -> bool:
    """Whether an entry is a region of several first-level units of one country (Wales,
    Donbas), named as a country is."""
    return e.feature == "region" and e.country is not None and len(e.admin1_all) > 1


def _capitalised_to_start(word: str, cands: list[tuple[int, bool]], gaz: Gazetteer,
                          lex: Lexicon) -> bool:
    """Whether a word may be capitalised only because it starts a sentence, if it does: a
    frequent dictionary word that the dictionary does not also give as a name (Man; not Paris,
    Turkey, Saskatoon) nor a country's."""
    return (not word.isupper() and lex.is_common_word(word) and word.capitalize() not in lex.proper
            and lex.zipf(word) >= FREQUENT_ZIPF and not names_country(cands, gaz))


_KIN = ("wife", "husband", "son", "sons", "daughter", "daughters", "brother", "brothers", "sister",
        "sisters", "mother", "father", "child", "children", "baby", "grandson", "granddaughter",
        "grandchildren", "grandfather", "grandmother", "nephew", "niece", "cousin", "uncle", "aunt",
        "stepson", "stepdaughter", "fiancé", "fiancée", "fiance", "fiancee", "girlfriend",
        "boyfriend")  # a name right after a relative's word is the relative's
_KIN_BEFORE = re.compile(rf"(?=[{''.join(sorted({w[0] for w in _KIN}))}])\b(?:{'|'.join(_KIN)}),? $",
                         re.I)  # tried only where a first letter of theirs is written


NAMING_REASONS = ("organisation", "part of a name")  # a longer name's first words, which name
# the place where the article names it alone too (:func:`recognise_article`)
_NAMED_FOR_FAR_PLACES = NEWSPAPER_HEADS | {"news", "university", "college"}  # the Moscow Times,
# Harvard University: named after a place they need not be in


def _may_be_named_after_it(text: str, toks: list[Token], i: int, j: int,
                           passage: Passage) -> bool:
    """Whether the longer name that ``toks[i:j]`` starts may be named after the place it lies
    in (the Paris High School, the Cookville Volunteer Fire Department): not a newspaper's, a
    university's, a street's or a broadcaster's (the Moscow Times, the Lansing State Journal,
    Wichita Street, Radio Pyongyang)."""
    nxt = toks[j][0].lower().rstrip(".") if j < len(toks) and toks[j].start() < passage.end else ""
    prev = toks[i - 1][0] if i > 0 and toks[i - 1].start() >= passage.start else ""
    return nxt not in _NAMED_FOR_FAR_PLACES and nxt not in STREET_WORDS \
        and prev not in ORG_OPENERS \
        and not _NEWSPAPER_AFTER.match(text, toks[j - 1].end(), passage.end)


_IN_TOWN = re.compile(r"\b(?:in|near) $")
IN_TOWN_MAX_ZIPF = 4.0  # rarer than May, God, Congress


def _in_town(text: str, tok: Token, nxt: Token | None, next_gap: str, passage: Passage,
             lex: Lexicon) -> bool:
    """Whether a dictionary word that names a town reads as the town: right after "in" or
    "near", not a frequent word, a direction or a date's, and no longer name going on ("in
    Lombard", "near Hurricane"; not "in May", "in East Oxford")."""
    word = tok[0]
    return (bool(_IN_TOWN.search(text, max(passage.start, tok.start() - 8), tok.start()))
            and lex.zipf(word) < IN_TOWN_MAX_ZIPF and word.lower() not in DIRECTIONS
            and word.lower() not in _CALENDAR_WORDS
            and not (nxt and next_gap == " " and _capitalised(nxt)))


_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|from|to|of|outside|around|toward|towards),? $"
                              r"|[A-Z][\w'’.-]*(?:,| and| or|, and) $")  # or a list's:
# "Gainesville and Lindsay"


def _given_name_alone(text: str, tok: Token, name: _Name, nxt: Token | None, next_gap: str,
                      passage: Passage) -> bool:
    """Whether a common given name (Martha, Patrick, Vernon) that names no country, region or
    large town is a person's here: not after a word of location ("in Marion") or in a list of
    names ("Gainesville and Lindsay"), nor before a town's service or a region word ("Marion
    Police", "Marion County")."""
    return (name.common_given_name and not name.prominent
            and not _LOCATIVE_BEFORE.search(text, max(passage.start, tok.start() - 40), tok.start())
            and not (nxt and next_gap == " " and nxt[0].lower() in _FEATURE_WORDS))


def _better_known_otherwise(surface: str, cands: list[tuple[int, bool]], gaz: Gazetteer,
                            lex: Lexicon) -> bool:
    """Whether a word that only towns bear, and only as another of their names, is far better
    known as something else: English writes it often, and much more often than every such
    town's own name, and no town is large enough for its other names to be well known
    ("Hamas": another name of Hamm, Germany; not Kiev, Bangalore)."""
    zipf = lex.zipf(surface)
    if zipf < OTHERWISE_KNOWN_ZIPF or any(primary for _, primary in cands):
        return False
    entries = [gaz.entry(i) for i, _ in cands]
    return all(e.feature == "city" and e.population < OTHERWISE_KNOWN_POPULATION
               and lex.zipf(e.name) + OTHERWISE_KNOWN_MARGIN <= zipf for e in entries)


def _after_person_title(text: str, toks: list[Token], i: int) -> bool:
    """Whether a title (Mr, President, Minister…) precedes the span in its run of capitalised words."""
    if i == 0 or not _capitalised(toks[i - 1]):
        return False  # most spans: no run of capitalised words before them
    for k in range(i - 1, max(i - 4, -1), -1):
        tok = toks[k]
        if text[tok.end():toks[k + 1].start()].strip(".") != " " or not _capitalised(tok):
            return False
        if tok[0].lower().rstrip(".") in PERSON_TITLES:
            return True
    return False


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _name_like(token: str, gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a capitalised word before a span reads as a given name (Andrew, Dmitry, Elizabeth):
    a census given name that names no country or region (a dictionary word only if a common name:
    Mark, Robin; a common name even where it ends as a demonym does: Brian, Toni), or a word that
    is not a notable place, a direction, a day or month (Sunday Alexandria Police went…), a
    demonym, or a dictionary word such as In, After or Over."""
    word = token.lower()
    if not token[0].isupper() or token.isupper() or word in DIRECTIONS or word in _CALENDAR_WORDS \
            or word in SETTLEMENT_WORDS:
        return False  # not CBC (Toronto), In, North, Sunday, Selyshche
    hits, kind = gaz.lookup(token)
    if word in lex.common_given_names and _given_name_here(word, hits, gaz, lex):
        return True  # Brian (Gilbert), Paul (Calvert)
    if word.endswith(DEMONYM_ENDINGS):
        return False  # not Russian
    if word in lex.given_names and not lex.is_common_word(word) \
            and _given_name_here(word, hits, gaz, lex):
        return True
    if kind != "loose" and _prominent(hits, gaz):
        return False  # Kharkiv Izium, not Frank Trapani
    return not lex.is_common_word(word)  # Andrew, Dmitry; not In, After, Over


def _given_name_here(word: str, hits: list[tuple[int, bool]], gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a given name before another name is one, not the country or region it also names:
    a name borne by one person in 200 unless it is a country's (Paul, not Cape Verde's Paul),
    another unless it is first of all an area's (Virginia, Georgia)."""
    if word in lex.frequent_given_names:
        return not names_country(hits, gaz)
    return not _mainly_an_area(hits, gaz)


_FEATURE_NOUNS = {"river", "canal", "estuary"}  # lower
# case after a name: the feature, not a town named like it
_SPEAKS = re.compile(r"(?:['’]s\b|\s+(?:(?:has|had|have|will|would|also|later|then|again|"
                     r"reportedly)\s+)?(?:say|said|says|spoke|speaks|told|tells|added|adds|"
                     r"announced|stated|warned|warns|signed|signs|ordered|met|meets|meet|"
                     r"visited|visits|visit|vowed|urged|urges|insisted|claimed|claims|declared|"
                     r"called|calls)\b)")  # "Putin had met", "Putin will visit"


def _before_speaking_name(text: str, nxt: Token | None, next_gap: str, passage: Passage,
                          gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a name comes before another capitalised word that no place bears, no dictionary
    gives, and that speaks or owns: a person's given name ("Vladimir Putin spoke", "Vladimir
    Putin's decree")."""
    if nxt is None or next_gap != " " or not _capitalised(nxt) or nxt[0].isupper():
        return False
    word = nxt[0]
    return bool(_SPEAKS.match(text, nxt.end(), passage.end)) and not gaz.lookup(word)[0] \
        and not lex.is_common_word(word) and word.lower() not in _PLACE_WORDS


_FEATURE_WORDS = REGION_WORDS | _TAIL_WORDS | TOWN_SERVICES | {
    "creek", "heights", "sound", "hills", "forest", "wilderness", "canyon"}
_CALENDAR_WORDS = {name.lower() for name in (*calendar.day_name, *calendar.month_name) if name}
_PLACE_WORDS = ORG_HEADS | REGION_WORDS | CITY_WORDS | _TAIL_WORDS | DIRECTIONS


def _before_surname(name: _Name, nxt: Token | None, next_gap: str, gaz: Gazetteer,
                    lex: Lexicon) -> bool:
    """Whether a one-word span is a given name followed by a surname: Charlotte Graham, Paris
    Hilton, Anthony Williams, and Paul Taylor, a name so frequent that it is a person's even
    where it also names a region (Paul, Cape Verde); a common given name also before a word that
    no place bears and no dictionary gives (Tyler Zilverberg); not a country or another region
    (Georgia, Virginia), nor before a place word."""
    if nxt is None or next_gap != " " or not _capitalised(nxt) or not name.given_name:
        return False
    return _surname_after(nxt[0], name.common_given_name, gaz, lex) and name.given_name_here


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _surname_after(token: str, common_given: bool, gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a capitalised word after a given name reads as a surname: a census surname, or
    after a common given name a word that no place bears and no dictionary gives; not a place
    word nor a name that a country or region bears."""
    word = token.lower()
    hits = gaz.lookup(token)[0]
    surname = word in lex.surnames or (
        common_given and not token.isupper() and not hits and not lex.is_common_word(word))
    return surname and word not in _PLACE_WORDS and not _big_area(hits, gaz)


def _mainly_an_area(span_cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """Whether a name is first of all a country's or a region's (Georgia, Virginia), not a large
    town's that a small region shares (Charlotte)."""
    entries = [gaz.entry(i) for i, _ in span_cands]
    return any(e.feature == "country" for e in entries) or (
        any(e.feature != "city" for e in entries)
        and not any(e.feature == "city" and entry_is_prominent(e) for e in entries))


def _after_given_name(text: str, toks: list[Token], i: int, passage: Passage, gaz: Gazetteer,
                      lex: Lexicon) -> bool:
    """Whether a span follows a given name, with or without a middle initial: Andrew Trapani,
    James C. Verduin."""
    k = i - 1
    if k >= 1 and len(toks[k][0]) == 1 and toks[k][0].isupper() \
            and text[toks[k].end():toks[i].start()] == ". ":
        k -= 1  # a middle initial
    return (k >= 0 and toks[k].start() >= passage.start
            and text[toks[k].end():toks[k + 1].start()] == " " and _name_like(toks[k][0], gaz, lex))


class _Name:
    """What a span's surface and candidates tell whatever the text around them (a country's
    name? a common word? a person's?), each worked out when :func:`_rejected` first asks and
    kept: news repeats its names, so that most spans are of a name seen before (:func:`_name`)."""

    def __init__(self, surface: str, kind: str, cands: Postings, gaz: Gazetteer,
                 lex: Lexicon) -> None:
        self.surface, self.kind, self.cands, self.gaz, self.lex = surface, kind, cands, gaz, lex

    @cached_property
    def prominent(self) -> bool:
        return _prominent(self.cands, self.gaz)

    @cached_property
    def prominent_primary(self) -> bool:
        return _prominent_primary(self.cands, self.gaz)

    @cached_property
    def big_area(self) -> bool:
        return _big_area(self.cands, self.gaz)

    @cached_property
    def names_country(self) -> bool:
        return names_country(self.cands, self.gaz)

    @cached_property
    def better_known_otherwise(self) -> bool:
        return _better_known_otherwise(self.surface, self.cands, self.gaz, self.lex)

    @cached_property
    def person_name_only(self) -> bool:
        """A census name that is no candidate's primary name (Karen, Hamid, Fleming)."""
        return self.lex.is_person_name(self.surface) and not any(p for _, p in self.cands)

    @cached_property
    def given_name(self) -> bool:
        return self.surface.lower() in self.lex.given_names

    @cached_property
    def common_given_name(self) -> bool:
        return self.surface.lower() in self.lex.common_given_names

    @cached_property
    def given_name_here(self) -> bool:
        return _given_name_here(self.surface.lower(), self.cands, self.gaz, self.lex)

    @cached_property
    def common_word_ok(self) -> bool:
        return _common_word_ok(self.surface, self.cands, self.gaz, self.lex)

    @cached_property
    def capitalised_to_start(self) -> bool:
        return _capitalised_to_start(self.surface, self.cands, self.gaz, self.lex)

    @cached_property
    def dictionary_word(self) -> bool:
        return self.kind != "cased" and self.lex.is_common_word(self.surface)

    @cached_property
    def common(self) -> bool:
        """A dictionary word, or as frequent as Monday or Texas."""
        return self.dictionary_word or (self.kind != "cased"
                                        and self.lex.zipf(self.surface) >= FREQUENT_ZIPF)

    @cached_property
    def demonym(self) -> bool:
        return _reads_as_demonym(self.surface, self.gaz, self.lex)


_NAMES: dict[tuple[str, str], _Name] = {}  # the last :class:`_Name` of each surface and kind


def _name(surface: str, kind: str, cands: Postings, gaz: Gazetteer, lex: Lexicon) -> _Name:
    """The :class:`_Name` of a span, the one of the last span of the same surface, kind and
    candidates (the same list in nearly every case: :meth:`Gazetteer.lookup`'s and
    :func:`_fuzzy`'s are cached) if there was one; at most ``LOOKUP_CACHE_SIZE`` kept."""
    known = _NAMES.get((surface, kind))
    if known is not None and known.gaz is gaz and known.lex is lex \
            and (known.cands is cands or known.cands == cands):
        return known
    if len(_NAMES) >= LOOKUP_CACHE_SIZE:
        _NAMES.clear()
    made = _NAMES[surface, kind] = _Name(surface, kind, cands, gaz, lex)
    return made


def _rejected(text: str, toks: list[Token], i: int, j: int, name: _Name, passage: Passage,
              gaz: Gazetteer, lex: Lexicon) -> str | None:
    """Context filters: why a gazetteer hit is not a place mention here, or None if it is."""
    first, last = toks[i], toks[j - 1]
    surface, kind, cands = name.surface, name.kind, name.cands
    one = j == i + 1  # a span of one word
    if kind != "cased" and surface.isupper() and len(surface) <= 5 \
            and not (name.prominent_primary and first.start() == passage.start
                     and _opens_dateline(text, first.start(), last.end())):
        return "abbreviation"  # NATO, UN: an abbreviation the gazetteer does not know as a place
    prev = toks[i - 1] if i > 0 and toks[i - 1].start() >= passage.start else None
    nxt = toks[j] if j < len(toks) and toks[j].start() < passage.end else None
    next_gap = text[last.end():nxt.start()] if nxt else ""
    if one and kind != "cased" and len(surface) <= 4 and text.startswith(".", last.end()) \
            and not name.prominent_primary \
            and not _ends_sentence(text, surface, last, passage, cands, gaz):
        return "abbreviation"  # Gov., Sgt., Dec.: an abbreviation; not Iraq. or Ohio.
    if prev and prev[0].lower() in SPEECH_VERBS and re.match(r"[,.!?]|$", text[last.end():passage.end]):
        return "speaker"  # "…," said Georgia.
    if one and surface.lower() in SETTLEMENT_WORDS and nxt and next_gap == " " \
            and _capitalised(nxt):
        return "settlement word"  # Selyshche Zhovtneve: the kind of the settlement named next
    if _after_person_title(text, toks, i):
        return "person"  # Mr Putin, Prime Minister Liz Truss
    if one and _KIN_BEFORE.search(text, max(passage.start, first.start() - 16), first.start()) \
            and not name.big_area:
        return "person"  # his wife, Dora; her son Bryan
    if one and kind == "exact" and name.better_known_otherwise:
        return "better known otherwise"  # Hamas: another name of Hamm, far more often Hamas
    if one and kind == "exact" and name.person_name_only:
        return "person"  # Karen, Hamid, Fleming: a person's name, and only another name of a place
    if one and kind == "exact" and _given_name_alone(text, first, name, nxt, next_gap, passage):
        return "given name"  # Martha was born, Patrick de Bayser; not "in Marion", "Marion Police"
    if one and _before_surname(name, nxt, next_gap, gaz, lex):
        return "given name"  # Charlotte Graham, Paris Hilton: a person here, maybe a town elsewhere
    if one and kind != "cased" and not name.common_word_ok \
            and not _in_town(text, first, nxt, next_gap, passage, lex):
        return "common word"  # a common word: The, Western, Pool, Telegram
    if one and kind != "cased" and name.capitalised_to_start \
            and _is_sentence_start(text, passage, first):
        return "common word"  # "Man booked for assault": not Man, Côte d'Ivoire
    head = nxt[0].lower() if nxt and next_gap == " " and _capitalised(nxt) else ""
    if (head in ORG_HEADS and head not in TOWN_SERVICES and not name.big_area) \
            or head in BODY_HEADS or _NEWSPAPER_AFTER.match(text, last.end(), passage.end):
        return "organisation"  # Moscow Times, Kyiv Post; The New York Times, China Daily, the
        # Lansing State Journal
    if _after_given_name(text, toks, i, passage, gaz, lex) and not name.names_country:
        return "person"  # Denis Pushilin, Andrew Trapani: a surname
    if one and not name.names_country \
            and _before_speaking_name(text, nxt, next_gap, passage, gaz, lex):
        return "given name"  # Vladimir Putin said: a person here, a town elsewhere
    if prev and text[prev.end():first.start()] == " " and prev[0] in ORG_OPENERS:
        return "organisation"  # Agence France-Presse, Club America, Real Madrid, Radio Canada
    if nxt and next_gap == " " and nxt[0].lower() in NAMED_AFTER:
        return "part of a name"  # Shakhta imeni Lenina: a mine named after someone
    if prev and text[prev.end():first.start()] == " " and prev[0].lower() in NAMED_AFTER:
        return "person"  # Shakhta imeni Lenina: the person it is named after
    if _after_model_year(text, first, passage) and not name.big_area:
        return "vehicle"  # a 1992 Toyota Corolla, a 2001 Cadillac: a make, not a town
    if text.startswith("$", last.end()) or text[max(0, first.start() - 1):first.start()] == "$":
        return "currency"  # US$10, $US 15 billion, NZ$: a currency
    if last[0].lower() in BUILDING_WORDS and _names_building(text, toks, i, j, passage):
        return "building"  # the White House, White House spokesman, the Islamic Centre: not
        # White House, Tennessee, nor Centre, Togo
    if nxt and next_gap in (" ", "-") and nxt[0].lower() in DISEASE_WORDS:
        return "disease"  # West Nile virus, Marburg haemorrhagic fever: a disease's name
    if name.big_area and kind != "fuzzy" and not name.common:
        return None
    weak = kind == "fuzzy" or name.common or not name.prominent
    if weak and one and name.demonym:
        return "demonym"  # Canadian, Spanish: a demonym that also names a hamlet
    if weak and nxt and next_gap == " " and nxt[0].lower() in SPEECH_VERBS \
            and not _IN_TOWN.search(text, max(passage.start, first.start() - 8), first.start()):
        return "person"  # Pushilin said; not "officials in Paris said"
    if nxt and next_gap == " " and nxt[0] in _FEATURE_NOUNS:
        return "feature"  # the Oskil river: a river, not the village named after it
    area = name.big_area and kind != "fuzzy" and not name.dictionary_word \
        and not name.common_given_name
    if weak and not area and nxt and next_gap == " " and _capitalised(nxt) \
            and not gaz.lookup(nxt[0])[0] and nxt[0].lower() not in _FEATURE_WORDS \
            and nxt[0].lower().rstrip(".") not in PERSON_TITLES:
        return "part of a name"  # Florence Nightingale; not Ohio Senate, nor Catawba River
    return None


def _reads_as_demonym(word: str, gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a hamlet's name ending like a demonym reads as one (or as an adjective): any such
    ending but a bare -i (Canadian, Spanish, Chinese); a Slavic adjective's -yi, -ii, -ski
    (Moskovskyi, Molochnyi, Komsomolski); -i after the start of a country's or region's name
    (Israeli, Iraqi, Pakistani, Saudi) or on a word as frequent as a demonym (Sunni, Hindi); not a
    town's own -i (Tskhinvali, Taji, Horenychi, Teremki)."""
    lower = word.lower()
    if not lower.endswith(DEMONYM_ENDINGS) or _names_a_landmark(word, gaz):
        return False
    if not lower.endswith("i") or lower.endswith(ADJECTIVE_ENDINGS) \
            or lex.zipf(word) >= DEMONYM_ZIPF:
        return True
    return any(gaz.entry(index).feature in ("country", "admin1", "region")
               for key in gaz.keys_from(exact_key(word[:-1])) for index, _ in gaz.by_key(key))


DEMONYM_LANDMARK_POPULATION = 1_000_000  # a city this large is not read as an adjective


def _names_a_landmark(word: str, gaz: Gazetteer) -> bool:
    """Whether a word is, by its own name, a country, a capital or a city of
    ``DEMONYM_LANDMARK_POPULATION`` people: Mali, Tripoli, Shanghai are places, not adjectives
    (a region's name may be a demonym too: the Somali Region)."""
    return any(primary and (e.feature == "country" or (e.feature == "city" and (
        e.capital or e.population >= DEMONYM_LANDMARK_POPULATION)))
        for index, primary in gaz.lookup(word)[0] for e in [gaz.entry(index)])


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that) $", re.I)


def _names_building(text: str, toks: list[Token], i: int, j: int, passage: Passage) -> bool:
    """Whether a name ending in a building's word names the building: after a determiner ("the
    White House", "a White House statement") or before a title ("White House spokesman"); a lone
    building's word after another capitalised word ends that word's name ("Sunnybrook Health
    Centre")."""
    first = toks[i]
    if j == i + 1:
        prev = toks[i - 1] if i > 0 and toks[i - 1].start() >= passage.start else None
        return prev is not None and _capitalised(prev) and text[prev.end():first.start()] == " "
    nxt = toks[j] if j < len(toks) and toks[j].start() < passage.end else None
    before = max(passage.start, first.start() - 5)
    return bool(_DETERMINER_BEFORE.search(text, before, first.start())) \
        or (nxt is not None and text[toks[j - 1].end():nxt.start()] == " "
            and nxt[0].lower() in PERSON_TITLES)


_MODEL_YEAR = re.compile(r"\b[Aa]n? (?:19|20)\d\d $")  # "a 2007 ": a vehicle's model year


def _after_model_year(text: str, tok: Token, passage: Passage) -> bool:
    """Whether a name follows "a" or "an" and a year, as a vehicle's make does ("a 1992 Toyota
    Corolla", "a 2001 Cadillac")."""
    return bool(_MODEL_YEAR.search(text, max(passage.start, tok.start() - 8), tok.start()))


_NOTE_AFTER = re.compile(r"\s+[\[(]")  # a bracketed note after a sentence: "[size=no report]"


def _ends_sentence(text: str, surface: str, tok: Token, passage: Passage,
                   cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """Whether a short word before a full stop ends its sentence rather than abbreviates: another
    name of a large town ("Shelling hit Kiev."), not a region's abbreviation (Colo.) nor a title
    (Gov., Sgt.), which name hamlets at most. A bracketed note may follow the sentence in its
    passage ("…in Kiev. [size=no report]")."""
    ends = tok.end() + 1 >= passage.end or _NOTE_AFTER.match(text, tok.end() + 1, passage.end)
    return ends and surface.istitle() and not gaz.abbreviation(surface + ".") \
        and any(gaz.entry(i).feature == "city" and entry_is_prominent(gaz.entry(i)) for i, _ in cands)


def _misspelt_pair(text: str, toks: list[Token], i: int, gaz: Gazetteer,
                   lex: Lexicon) -> list[tuple[int, bool]]:
    """Candidates of a prominent place that two capitalised words misspell by one edit, where
    the first alone names a place: none if they do not."""
    if i + 1 >= len(toks) or text[toks[i].end():toks[i + 1].start()] != " " \
            or not toks[i + 1][0][1:].islower() or not _capitalised(toks[i + 1]) \
            or gaz.lookup(toks[i + 1][0])[0]:
        return []
    return _fuzzy(text[toks[i].start():toks[i + 1].end()], gaz, lex)


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _fuzzy(surface: str, gaz: Gazetteer, lex: Lexicon) -> list[tuple[int, bool]]:
    """Candidates of a prominent place one edit away (a typo: Luhanks), or none. Cached: the
    same list for the same surface, not to be modified."""
    if len(surface) < FUZZY_MIN_LENGTH or lex.is_common_word(surface) \
            or lex.zipf(surface.lower()) >= FUZZY_MAX_ZIPF:
        return []
    return gaz.typo_candidates(surface)


_NEXT_WORD = re.compile(r"\s+([\w']+)")
_UNIT_WORDS = {"oblast", "governorate", "krai"}  # words that only name a unit, even inside a name
_NAME_GOES_ON = re.compile(r" [A-Z]")
_BASED = re.compile(r"-based\b")
_TOWNS_OF = ("city", "town", "village", "port", "settlement")  # "city of X"
_REGIONS_OF = ("region", "province", "oblast", "state", "district", "governor", "premier")  # "region
# of X", "the governor of X"
_LISTS_OF = ("regions", "provinces", "oblasts", "states")  # "regions of X and Y"
_FEATURES_OF = ("lake", "island", "isle")  # "Lake X", "the island of X"
_OF_CUES = ((re.compile(rf"\b(?:(?:{'|'.join(_TOWNS_OF)}) of|"
                        + "|".join(sorted(SETTLEMENT_WORDS)) + r")\s+$", re.I), "city"),
            (re.compile(rf"\b(?:{'|'.join(_REGIONS_OF)}) of\s+$", re.I), "region"),
            (re.compile(r"\bstate of\s+$", re.I), "state"),
            (re.compile(rf"\b(?:{'|'.join(_LISTS_OF)}) of\s+$", re.I), "region_list"),
            (re.compile(r"(?:\bLake|\b[Ii]sland of|\b[Ii]sle of)\s+$"), "feature"))
_OF_CUE_WINDOW = len("settlement of") + 1  # the longest cue, and the character before its \b
_CUE_INITIALS = "".join(sorted({word[0] for word in (
    *_TOWNS_OF, *SETTLEMENT_WORDS, *_REGIONS_OF, *_LISTS_OF, *_FEATURES_OF)}))
_ANY_OF_CUE = re.compile(
    f"(?=[{_CUE_INITIALS}])(?:{'|'.join(pattern.pattern for pattern, _ in _OF_CUES)})",
    re.I)  # any of them, searched once (most spans follow none), from where one of their
# words' first letters is written


def _cues(text: str, passage: Passage, start: int, end: int) -> set[str]:
    """Cue words right before or after a span: region / city words (and "state", which a
    city-region is not: "Washington state"), a feature's word (Lake Vermont, Zion National
    Park), ``X-based``."""
    cues = set()
    m = _NEXT_WORD.match(text, end, passage.end)
    word = m.group(1).lower().removesuffix("'s") if m else ""  # "the Belgorod region's towns"
    if m and m.group(1) == "City":
        cues.add("city")  # "Quebec City", "Dublin City Council": the town
    if m and m.group(1)[0].isupper() and _NAME_GOES_ON.match(text, m.end(), passage.end) \
            and word not in REGION_OFFICES and word not in _UNIT_WORDS and not m.group(1).endswith("'s"):
        word = ""  # "London District Catholic School Board": a name's word, not London's district;
        # but "Bryansk Oblast Governor", "Kharkiv Oblast's Kupiansk district"
    if word in REGION_WORDS or word in REGION_OFFICES or _office_of(text, end, passage):
        cues.add("region")
    if word in REGION_WORDS:
        cues.add("region_word")  # the writer names the region as such, not its town
    if word == "state":
        cues.add("state")
    if word in REGION_PLURALS:
        cues.add("region_list")
    if m and m.group(1) in FEATURE_HEADS:
        cues.add("feature")
    before = _cue_window(text, passage.start, start)
    if _ANY_OF_CUE.search(before):
        cues.update(cue for pattern, cue in _OF_CUES if pattern.search(before))
    if _BASED.match(text, end, passage.end):
        cues.add("based")
    if start == passage.start and _opens_dateline(text, start, end) \
            and _DATELINE_ALONE.match(text, end):
        cues.add("dateline")  # "WASHINGTON —": the town a dateline names alone is the best known
    return cues


_POSSESSIVE_WORD = re.compile(r"['’]s\s+(\w+)")


def _office_of(text: str, end: int, passage: Passage) -> bool:
    """Whether a state's or province's office follows a name as its possessive ("Victoria's
    premier", "Georgia's governor"); not a region's word, which names a unit of the place
    ("Mexico's state of Sonora")."""
    m = _POSSESSIVE_WORD.match(text, end, passage.end)
    return bool(m) and m.group(1).lower() in REGION_OFFICES


def _cue_window(text: str, lo: int, start: int) -> str:
    """The end of ``text[lo:start]`` where a cue such as "city of " can match: the white space
    before ``start`` and the ``_OF_CUE_WINDOW`` characters before it (the whole passage start
    if nearer), so that a cue is searched without scanning the passage."""
    k = start
    while k > lo and text[k - 1].isspace():  # str.isspace is the regex's \s
        k -= 1
    return text[max(lo, k - _OF_CUE_WINDOW):start]


_LIST_GAP = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or|,?\s*&)\s+(?:[\w'’-]+\s+){0,3}$")


def _propagate_lists(text: str, spans: list[Span], gaz: Gazetteer) -> None:
    """In a coordinated list ("Donetsk, Luhansk and Kherson regions") share the list's cue; a
    list of names that all name first-level units of one country is a list of those units
    (:func:`_units_of_one_country`)."""
    groups: list[list[Span]] = []
    for s in spans:
        if groups and _LIST_GAP.match(text[groups[-1][-1].end:s.start]):
            groups[-1].append(s)
        else:
            groups.append([s])
    for g in groups:
        if (len(g) > 1 and any("region_list" in s.cues for s in g)) \
                or (len(g) >= LIST_OF_UNITS and _units_of_one_country(g, gaz)):
            for s in g:
                s.cues.update(("region", "region_list"))


LIST_TOWN_POPULATION = 50_000  # a list of names this large towns bear may be of the towns
LIST_OF_UNITS = 3  # names in a list read as units by their kind alone; not two ("Cornwall and
# Kent", towns of Connecticut named after English counties)


def _units_of_one_country(group: list[Span], gaz: Gazetteer) -> bool:
    """Whether every name of a list can mean a first-level unit of one same country, and one of
    them is no town of ``LIST_TOWN_POPULATION`` people: "Arkansas, California and Oregon",
    "Manitoba, Ontario and New Brunswick" (not towns of Missouri or Ohio); not "Kherson and
    Mykolaiv", cities that their oblasts are named after."""
    countries = None
    large_towns = 0
    for span in group:
        entries = [gaz.entry(i) for i, _ in span.candidates]
        units = {e.country for e in entries if e.feature == "admin1"}
        countries = units if countries is None else countries & units
        if not countries:
            return False
        large_towns += any(e.feature == "city" and e.population >= LIST_TOWN_POPULATION
                           for e in entries)
    return large_towns < len(group)


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _may_open_a_span(word: str, gaz: Gazetteer, lex: Lexicon) -> bool:
    """Whether a capitalised word may open a span, whatever its context: it names a place or
    begins a longer name the gazetteer has, it abbreviates a region (with its dots, without
    them, or before a full stop: B.C., NSW, Ky.), or it may be a prominent place misspelt
    (:func:`_fuzzy`). :func:`recognise` passes over every other word (Mr, Smith, Tuesday)
    without reading its context: none of its steps could find a span there."""
    return bool(gaz.lookup(word)[0]) or gaz.extensible(word) or bool(gaz.abbreviation(word)) \
        or bool(gaz.abbreviation(word + ".")) or bool(_undotted_abbreviation(word, gaz, lex)) \
        or (word[1:].islower() and bool(_fuzzy(word, gaz, lex)))


def recognise(text: str, passage: Passage, gaz: Gazetteer, lex: Lexicon,
              persons: set[str] | None = None, speakers: set[str] | None = None,
              named: list[Span] | None = None) -> list[Span]:
    """Toponym spans in one passage, left to right, not overlapping; names read as people's
    (or a vehicle's make: "a 1992 Toyota") are added to ``persons`` (and to ``speakers`` when
    they speak: "said Georgia."), and the place names that head a longer name
    (:data:`NAMING_REASONS`) to ``named``."""
    toks = list(_TOKEN.finditer(text, passage.start, passage.end))
    spans: list[Span] = []
    after = 0  # the first token after the last span
    for i in [k for k, tok in enumerate(toks) if tok[0][0].isupper()]:
        tok, word = toks[i], toks[i][0]
        if i < after or not _may_open_a_span(word, gaz, lex):
            continue
        j, cands, kind = _longest_match(text, toks, i, gaz)
        if _DOTTED.fullmatch(word) and gaz.abbreviation(word) and not _after_number(text, tok):
            j, cands, kind = i + 1, gaz.abbreviation(word), "cased"  # B.C., N.Y., N.S.W.
        elif not cands and (undotted := _undotted_abbreviation(word, gaz, lex)):
            j, cands, kind = i + 1, undotted, "cased"  # NSW
        region = _abbreviated_region(text, tok, gaz)
        if region:  # Ind. tax, D-Pa.
            start, end = tok.start(), tok.end() + 1
            spans.append(Span(start, end, text[start:end], region, "cased", {"region"}))
            continue
        if not cands and word[1:].islower() and not _is_sentence_start(text, passage, tok):
            cands, kind, j = _fuzzy(word, gaz, lex), "fuzzy", i + 1
        elif j == i + 1 and kind != "cased":
            two = _misspelt_pair(text, toks, i, gaz, lex)
            if two:  # "Bila Tservka": Bila Tserkva misspelt, not the hamlet Bila
                cands, kind, j = two, "fuzzy", i + 2
        start, end = tok.start(), toks[j - 1].end()
        reason = _rejected(text, toks, i, j, _name(text[start:end], kind, cands, gaz, lex), passage,
                           gaz, lex) if cands else "unknown"
        in_region = _in_region_named_after(text, start, end, passage, cands, gaz, reason) \
            if text.startswith(",", end, passage.end) else []  # a region follows a comma
        if in_region:
            cands, reason = in_region, None
        elif reason is None:
            cands = _the_river(text, start, end, cands, gaz) \
                or _in_country_named_after(text, end, passage, cands, gaz)
        if reason is None:
            spans.append(Span(start, end, text[start:end], cands, kind,
                              _cues(text, passage, start, end)))
            after = j
        else:
            name = text[start:end]
            if reason == "organisation":
                after = j  # not "Angeles" of the Los Angeles Times
            if reason in ("person", "speaker", "vehicle") and persons is not None:
                persons.add(name)
            if reason == "speaker" and speakers is not None:
                speakers.add(name)
            if reason in NAMING_REASONS and named is not None \
                    and _may_be_named_after_it(text, toks, i, j, passage):
                named.append(Span(start, end, name, cands, kind, _cues(text, passage, start, end)))
    spans = _with_region_abbreviations(text, passage, spans, gaz)
    spans = _with_county_lists(text, passage, spans, gaz)
    if spans and text.find(",", max(0, spans[0].start - TOWN_BEFORE), spans[-1].start) >= 0:
        # both read a town and its comma before a span, which most passages lack
        _regions_after_towns(text, spans, gaz)
        _misspelt_before_its_town(text, spans, gaz)
    _propagate_lists(text, spans, gaz)
    return spans


TOWN_BEFORE = 40  # characters before a region's name read for a town's (and its comma)
STREET_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "drive", "lane",
                "square", "highway", "way"}
_UNKNOWN_TOWN = re.compile(r"\b[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?,\s*$")


def _regions_after_towns(text: str, spans: list[Span], gaz: Gazetteer) -> None:
    """A region's name written after a town of it ("Shumy, Donetsk"), or after a capitalised
    name the gazetteer does not know ("near Horenychi, Kyiv"; not a street's: "Richmond Street,
    London city council"), is the region: a cue, and of a
    city-region and the region around it that share the name, the region around it."""
    starts = [0] + [s.end for s in spans]
    for span, after in zip(spans, starts):
        before = text[max(after, span.start - TOWN_BEFORE):span.start]
        tail = before.rstrip()  # a town's name ends with a comma here, not a list's "and,"
        town = _UNKNOWN_TOWN.search(before) \
            if tail.endswith(",") and not tail.endswith(("and,", "or,")) else None
        if town and town[0].rstrip(", ").rsplit(" ", 1)[-1].lower() not in STREET_WORDS:
            codes = _region_codes(span.candidates, gaz)
            if codes and any(gaz.entry(i).feature == "admin1" for i, _ in span.candidates):
                span.cues.add("region")
                span.candidates = [(i, p) for i, p in span.candidates
                                   if gaz.entry(i).feature != "admin1" or gaz.entry(i).admin1 in codes]
    for town, region in zip(spans, spans[1:]):
        if text[town.end:region.start].strip() != ",":
            continue
        if _big_area(town.candidates, gaz):
            _town_before_its_region(town, region, gaz)
            continue
        codes = {gaz.entry(i).admin1 for i, _ in region.candidates if gaz.entry(i).feature == "admin1"}
        towns = {gaz.entry(i).admin1 for i, _ in town.candidates}
        if codes and towns <= codes:
            region.cues.add("region")
            region.candidates = [(i, p) for i, p in region.candidates
                                 if gaz.entry(i).feature != "admin1" or gaz.entry(i).admin1 in towns]


def _misspelt_before_its_town(text: str, spans: list[Span], gaz: Gazetteer) -> None:
    """A name read only as a misspelling, written before a place with a comma, is a part of that
    place when no reading of it lies within ``NEIGHBOUR_KM`` of any reading of the place
    ("Greenlamd, Auckland": a suburb the gazetteer lacks, placed at Auckland, not Greenland);
    not in a list ("the Kharkiv, Luhanks, Kherson and Sumy regions")."""
    for before, part, place in zip([None, *spans], spans, spans[1:]):
        if part.match != "fuzzy" or text[part.end:place.start].strip() != "," \
                or before and text[before.end:part.start].strip() in (",", "and", "or"):
            continue
        if not _neighbours(part.candidates, place.candidates, gaz):
            part.candidates = list(place.candidates)


def _neighbours(cands: list[tuple[int, bool]], of: list[tuple[int, bool]],
                gaz: Gazetteer) -> list[tuple[int, bool]]:
    """The candidates that lie within ``NEIGHBOUR_KM`` of some entry ``of`` another name."""
    points = [(e.lat, e.lon) for e in (gaz.entry(i) for i, _ in of)]
    return [(i, p) for i, p in cands if any(km(lat, lon, (e := gaz.entry(i)).lat, e.lon)
                                            < NEIGHBOUR_KM for lat, lon in points)]


def _town_before_its_region(town: Span, region: Span, gaz: Gazetteer) -> None:
    """A name of a region and of its town, written before that region with its cue, is the town:
    "Kherson, Kherson oblast", "in Chernihiv, Chernihiv region"."""
    if "region" not in region.cues:
        return
    codes = {gaz.entry(i).admin1 for i, _ in region.candidates if gaz.entry(i).feature == "admin1"}
    towns = [(i, p) for i, p in town.candidates
             if gaz.entry(i).feature == "city" and gaz.entry(i).admin1 in codes]
    if towns:
        town.candidates = towns
        town.cues.add("city")


_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
_BEFORE_NOUN = re.compile(r"\. [a-z]")
_PARTY = re.compile(r"\b[DRI]-$")


def _abbreviated_region(text: str, tok: Token, gaz: Gazetteer) -> list[tuple[int, bool]]:
    """The region a word abbreviates where news writes a region so: before a noun ("Ind. tax",
    "Mass. legislators") or after a US party letter ("Sen. Bob Casey, D-Pa."); none otherwise."""
    start, end = tok.span()
    if not text.startswith(".", end) or not (
            _BEFORE_NOUN.match(text, end) or _PARTY.search(text, max(0, start - 3), start)):
        return []
    return gaz.abbreviation(tok[0] + ".")


def _undotted_abbreviation(word: str, gaz: Gazetteer, lex: Lexicon) -> list[tuple[int, bool]]:
    """The region a dotted abbreviation of three or more letters stands for, written without its
    dots ("NSW" for N.S.W.), unless the letters spell a word (ACT for A.C.T.)."""
    if len(word) < 3 or not word.isupper() or not word.isalpha() or lex.is_common_word(word):
        return []
    return gaz.abbreviation("".join(f"{letter}." for letter in word))


_DATELINE_TAIL = re.compile(r",\s|\s*\(|\s+[-—–]\s")
_DATELINE_ALONE = re.compile(r"\s*\(|\s+[-—–]+\s|,\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                             r"[a-z]*\.?\s+\d")  # no region or country after the town


def _opens_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start``-``end`` opens a line as a news dateline does: "KYIV, March
    22 (Reuters) -", "ROME (AP) —"."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(_DATELINE_TAIL.match(text, end))


def _after_number(text: str, tok: Token) -> bool:
    """Whether a token follows a number: 300 B.C. is a date, not British Columbia."""
    return bool(re.search(r"\d\s*$", text[max(0, tok.start() - 8):tok.start()]))


_AFTER_TOWN = re.compile(r",\s*([A-Z][A-Za-z]{0,3}\.(?: ?[A-Z][a-z]?\.)*)")
_DATELINE_REGION = re.compile(r"\b[A-Z][\w'’-]*,\s*([A-Z][A-Za-z]{0,3}\.(?: ?[A-Z][a-z]?\.)*)"
                              r"(?=[,;)]|\s+[-—–(]|\s*$)")
_LIST_GOES_ON = re.compile(r",\s+[A-Z]|\s+(?:and|or)\s+[A-Z]")
_REGION_NAME_AFTER = re.compile(r",\s*([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


def _in_region_named_after(text: str, start: int, end: int, passage: Passage,
                           cands: list[tuple[int, bool]], gaz: Gazetteer,
                           reason: str | None) -> list[tuple[int, bool]]:
    """The candidates of a span that lie in the first-level region written right after it, as
    news places a town ("Butte, Mont.", "Greenwood, W. Va.", "Shumy, Donetsk"; when the span was
    rejected, also "Hurricane, West Virginia") — where none does, the codifier's villages of the
    name there ("Peremoha, Kyiv": the village of Kyiv Oblast, not the quarter of the city), and
    where none is, the region itself (:func:`_region_itself`; not one read from a misspelling, nor
    in a list of towns that goes on: "Nikolaev, Zaporozhye, Lugansk and …"); none
    when no region follows or nothing of the name lies in it, or when the span itself names a
    region (a list: "Donetsk, Luhansk"). A speaker ("…," said Georgia, Ohio's …) stays
    rejected."""
    if not cands or reason == "speaker":
        return []
    m = _AFTER_TOWN.match(text, end, passage.end)
    regions = gaz.abbreviation(m.group(1)) if m else []
    misspelt = False
    if not regions and (reason is not None or not _big_area(cands, gaz)):
        m = _REGION_NAME_AFTER.match(text, end, passage.end)
        hits = gaz.lookup(m.group(1))[0] if m else []  # "Shumy, Donetsk", "Izium, Kharkiv"
        if m and not _region_codes(hits, gaz):  # a region misspelt by a letter: "Topolyne, Kherso"
            hits = [(i, p) for i, p in gaz.typo_candidates(m.group(1))
                    if gaz.entry(i).feature == "admin1"]
            misspelt = True
        regions = [(i, p) for i, p in hits if p or reason is None]
    codes = _region_codes(regions, gaz)
    if not codes:
        return []
    inside = [(i, p) for i, p in cands if gaz.entry(i).admin1 in codes]
    in_a_list = bool(m) and bool(_LIST_GOES_ON.match(text, m.end(), passage.end))
    return inside or [(i, p) for i, p in gaz.namesakes(text[start:end])
                      if gaz.entry(i).admin1 in codes] \
        or ([] if misspelt or in_a_list else _region_itself(cands, regions, codes, gaz, reason))


def _region_itself(cands: list[tuple[int, bool]], regions: list[tuple[int, bool]], codes: set[str],
                   gaz: Gazetteer, reason: str | None) -> list[tuple[int, bool]]:
    """For a town's name written before a region of a country where the name has namesakes, none
    of them in the region: those within ``NEIGHBOUR_KM`` of the region's point ("Rainsville,
    Tenn.": the town of Alabama near Tennessee; ACLED's towns of one oblast written with the
    next), and where none is (a town the gazetteer lacks: "Bovina, Missouri", "Gruver,
    Ohio"), the region, not a namesake far away. None for a name read as no place or as a region
    ("Indiana, Ill."), before a region of another country (a list: "Sealy, Devon and Cornwall"),
    or where a codifier's village of a candidate's own name lies in the region (a Russian
    spelling read loosely as a Ukrainian one: the village of that name there, which resolution
    adds in a theatre)."""
    if reason is not None or _big_area(cands, gaz):
        return []
    countries = {gaz.entry(i).country for i, _ in cands}
    units = [(i, p) for i, p in regions if (e := gaz.entry(i)).feature == "admin1"
             and e.admin1 in codes and e.country in countries]
    near = _neighbours(cands, units, gaz)
    if near:
        return near
    if any((e := gaz.entry(i)).located and e.admin1 in codes
           for name in {gaz.entry(i).name for i, _ in cands} for i, _ in gaz.namesakes(name)):
        return []
    return units


_COUNTRY_AFTER = re.compile(r",\s*([A-Z][a-z]+(?: [A-Z][a-z]+)*)(?!\w|,\s*[A-Z]| and\b| or\b)"
                            r"|\s+in\s+(?:(?:north|south|east|west|central|north-?east|north-?west|"
                            r"south-?east|south-?west)(?:ern)?\s+)?([A-Z][a-z]+(?: [A-Z][a-z]+)*)\b")
# "Somerset, England," (not a list: "Georgia, Canada and Mexico"); "Valencia in eastern Spain"


_THE_BEFORE = re.compile(r"\bthe\s+$")


def _the_river(text: str, start: int, end: int, cands: list[tuple[int, bool]],
               gaz: Gazetteer) -> list[tuple[int, bool]]:
    """The river of a name said with "the" where the gazetteer knows a river of that name and
    the name's own candidates are towns and no place word follows ("along the Dnipro": the
    Dnipro River, not the city of Dnipro; "the Dnipro region" is not), else nothing."""
    if not _THE_BEFORE.search(text, max(0, start - 5), start) \
            or any(gaz.entry(i).feature != "city" for i, _ in cands):
        return []
    m = _NEXT_WORD.match(text, end)
    if m and m.group(1).lower() in _PLACE_WORDS | _FEATURE_WORDS | REGION_OFFICES:
        return []  # "the Dnipro region", "the Dnipro city council", "the Dnipro airport"
    hits, _ = gaz.lookup(f"{text[start:end]} River")
    return [(i, p) for i, p in hits if gaz.entry(i).feature == "other"]


def _in_country_named_after(text: str, end: int, passage: Passage, cands: list[tuple[int, bool]],
                            gaz: Gazetteer) -> list[tuple[int, bool]]:
    """The candidates of a place name that lie in the country (or a country's part: England)
    written right after it ("Somerset, England": not the town of Alberta that the article's other
    places would favour), where some do; all of them where none does, where no country follows,
    where the country heads a list ("Georgia, Canada and Mexico") or where the name is a
    country's itself."""
    m = _COUNTRY_AFTER.match(text, end, passage.end)
    if not m or any(gaz.entry(i).feature == "country" for i, _ in cands):
        return cands
    countries = {e.country for i, p in gaz.lookup(m.group(1) or m.group(2))[0]
                 if p and ((e := gaz.entry(i)).feature == "country" or _part_of_a_country(e))}
    return [(i, p) for i, p in cands if gaz.entry(i).country in countries] or cands


def _region_codes(hits: list[tuple[int, bool]], gaz: Gazetteer) -> set[str]:
    """The first-level units a name after a town can mean; of a city-region and the region
    around it that share a name, the region around it ("Horenychi, Kyiv": Kyiv Oblast, not the
    city; "Spokane, Washington": the state, not the District). A city-region is the unit of a
    large town that bears the name as its own (:data:`CITY_REGION_POPULATION`), not of a town
    that the name only abbreviates (Maryland City, Maryland)."""
    codes = {gaz.entry(i).admin1 for i, _ in hits if gaz.entry(i).feature == "admin1"}
    around = codes - {e.admin1 for i, primary in hits if primary and (e := gaz.entry(i)).feature
                      == "city" and e.population >= CITY_REGION_POPULATION}
    return around if len(codes) > 1 and around else codes


def _with_region_abbreviations(text: str, passage: Passage, spans: list[Span],
                               gaz: Gazetteer) -> list[Span]:
    """Add the regions abbreviated after a town, as news datelines write them
    ("Louisville, Ky.", "Kelowna, B.C.")."""
    if not _AFTER_TOWN.search(text, passage.start, passage.end):
        return spans  # no comma and abbreviation, as most passages: a tenth of the time of
        # the dateline pattern's search
    out = []
    starts = {span.start for span in spans}
    for span in spans:
        out.append(span)
        m = _AFTER_TOWN.match(text, span.end, passage.end)
        hits = gaz.abbreviation(m.group(1)) if m and m.start(1) not in starts else []
        if hits:
            out.append(Span(m.start(1), m.end(1), m.group(1), hits, "cased", {"region"}))
            starts.add(m.start(1))
    for m in _DATELINE_REGION.finditer(text, passage.start, passage.end):
        hits = gaz.abbreviation(m.group(1)) if m.start(1) not in starts else []
        if hits:  # after a town the gazetteer does not know: "Ridge Farm, Ill., border"
            out.append(Span(m.start(1), m.end(1), m.group(1), hits, "cased", {"region"}))
    return sorted(out, key=lambda span: span.start)


_COUNTY_PLURALS = {"counties": "County", "parishes": "Parish"}
_LIST_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’-]*)?"
_COUNTY_LIST = re.compile(
    rf"(?<![\w'’.-])(?:{_LIST_NAME}(?:,\s+|,?\s+(?:and|or|&)\s+))+{_LIST_NAME}$")
_COUNTY_PLURAL = re.compile(r"\s(counties|parishes)\b")
_COUNTY_LIST_WINDOW = 240  # characters before "counties" searched for its list


def _with_county_lists(text: str, passage: Passage, spans: list[Span],
                       gaz: Gazetteer) -> list[Span]:
    """The names of a list before "counties" or "parishes" are counties ("Douglas, Sarpy and
    Lancaster counties": Douglas County, not the town of Douglas): each name that a county bears
    with the word takes the counties as its candidates, found here if the name alone was not."""
    if text.find("counties", passage.start, passage.end) < 0 \
            and text.find("parishes", passage.start, passage.end) < 0:
        return spans  # most passages: neither word, found by plain searches before the pattern
    plurals = _COUNTY_PLURAL.finditer(text, passage.start, passage.end)
    if not (first := next(plurals, None)):
        return spans  # no list of counties
    by_start = {span.start: span for span in spans}
    covered = [(span.start, span.end) for span in spans]
    added = []
    for plural in (first, *plurals):
        lo = max(passage.start, plural.start() - _COUNTY_LIST_WINDOW)
        listed = _COUNTY_LIST.search(text, lo, plural.start())
        if not listed:
            continue
        word = _COUNTY_PLURALS[plural.group(1)]
        for name in re.finditer(_LIST_NAME, text[listed.start():listed.end()]):
            start, end = listed.start() + name.start(), listed.start() + name.end()
            counties = [(i, p) for i, p in gaz.lookup(f"{name[0]} {word}")[0]
                        if gaz.entry(i).feature == "admin2"]
            span = by_start.get(start)
            if not counties or (span is None and any(a < end and start < b for a, b in covered)):
                continue
            if span is None:
                added.append(Span(start, end, name[0], counties, "exact", {"region"}))
            elif span.end == end:
                span.candidates, span.cues = counties, span.cues | {"region"}
    return sorted(spans + added, key=lambda span: span.start) if added else spans


def stage(article: Article, res: Resources) -> Article:
    """The recognition stage: the spans of the article's place names, each with its gazetteer
    candidates and cues (resolution turns them into mentions); a Ukrainian or Russian article's
    by :mod:`geomap.stages.recognise_cyrillic`."""
    countries = {theatre.country for theatre in res.theatres.of(article.text, article.lang)}
    if article.lang in res.morphology:  # Ukrainian, Russian
        article.spans = recognise_cyrillic.recognise_article(
            article.text, article.passages, res.gazetteer, res.morphology[article.lang], countries)
    else:
        article.spans = recognise_article(article.text, article.passages, res.gazetteer,
                                          res.lexicon, countries)
    return article


def recognise_article(text: str, passages: list[Passage], gaz: Gazetteer,
                      lex: Lexicon, countries: set[str]) -> list[tuple[str, Span]]:
    """``(passage id, span)`` of every toponym in an article set in ``countries`` by its words
    (:mod:`geomap.gazetteer.theatres`). One sense per article for people: a name read as a
    person's once (Mr Trapani, Andrew Trapani) is a person's everywhere, as is a vehicle's make
    ("a 1992 Toyota Corolla … the Toyota failed to yield"), unless it names a
    country and the person never speaks ("…," said Georgia.). A name that only a Ukrainian
    village of the codifier bears is a place only in an article set in Ukraine (it says Ukraine,
    Ukrainian, the OSCE SMM…) or that names one of its regions or towns (Robotyne; not Sasha in a
    story on Ohio). A name in a list of counties stays a county (:func:`_with_county_lists`).
    One sense per article for places too: a name the article gives alone as a place is that
    place where it heads a longer name (Mount Pleasant High School)."""
    persons: set[str] = set()
    speakers: set[str] = set()
    named: dict[str, list[Span]] = {}
    spans = [(p.id, s) for p in passages
             for s in recognise(text, p, gaz, lex, persons, speakers, named.setdefault(p.id, []))]
    places = {s.text for _, s in spans}
    spans = sorted(spans + [(pid, s) for pid, ss in named.items() for s in ss if s.text in places],
                   key=lambda ps: ps[1].start)
    villages = {s.text for _, s in spans if only_codifier_villages(s.candidates, gaz)}
    if villages and "UA" not in countries and not any(
            ukrainian_landmark(gaz.entry(i)) for _, s in spans for i, _ in s.candidates):
        spans = [(pid, s) for pid, s in spans if s.text not in villages]
    return [(pid, s) for pid, s in spans if s.text not in speakers
            and (s.text not in persons or names_country(s.candidates, gaz) or _county(s, gaz))]


def _county(span: Span, gaz: Gazetteer) -> bool:
    """Whether a span is read as a county by its cue ("Sarpy and Lancaster counties"), which a
    person of the name elsewhere in the article does not undo."""
    return "region" in span.cues and all(gaz.entry(i).feature == "admin2" for i, _ in span.candidates)
