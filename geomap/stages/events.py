"""The events stage: what each passage reports (type), where it happened and when.

Runs after resolve. For each passage (sentence):

- **type** — the trigger words of ``data/event_types.yaml`` in the article's language are
  matched on lemmas (simplemma's in English, pymorphy3's in Ukrainian and Russian); a
  trigger inside quotation marks (rhetoric, not a report) or in the scope of a modal or
  conditional ("could deliver", "if … vote") weighs less, and one far from the event's location
  slightly less; the heaviest type wins if it weighs at least :data:`MIN_SCORE`. A leading
  background clause ("After X happened, …") is left out: it recalls an event, it does not report
  one. At most one event per passage.
- **locations** — the passage's resolved mentions that name where something happened: after a
  locative preposition ("in/near/around/into/at X", adjectives between: "into Russian-occupied
  Luhansk"), before a place noun ("X region", "X and Y provinces"), after "city/areas/direction of", or
  after a removal verb ("withdrew from X", "evacuated from X"); a list ("the Donetsk, Luhansk and Kherson regions")
  shares its cue. Actors are not locations: possessives ("Russia's"), compounds ("Washington-
  based", "Moscow-backed") and a place followed by a statement or pledge verb ("Washington said",
  "Slovenia this week promising tanks").
- **date** — the date expression nearest the main trigger (:mod:`geomap.stages.dates`), else the first
  of the next sentence of the same paragraph; "since 2014" marks a standing situation, which
  lowers the confidence instead of dating the event.

What marks a location, a quotation or a modal scope is a language's :class:`Grammar`: English's
here, Ukrainian and Russian's in :mod:`geomap.stages.events_cyrillic`; each language's triggers
and grammar are its :class:`Vocabulary`, made on first use (:class:`Vocabularies`).
"""
from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from geomap import lemmas
from geomap.kinds import SETTLEMENT_WORDS, kind_of
from geomap.languages import ENGLISH, LANGUAGES
from geomap.models import Article, Event, Passage
from geomap.stages.dates import DateMention, find_dates, parse_published
from geomap.stages.tokens import TOKEN, any_word, word_starts, words
from geomap.taxonomy import EventType, event_types

if TYPE_CHECKING:
    from geomap.gazetteer.morphology import Morphology
    from geomap.stages.resources import Resources

MIN_SCORE = 1.0          # weight of triggers a passage needs to report an event
MIN_CONFIDENCE = 0.35    # events less certain than this are not reported
DAMPED = 0.3             # weight factor of triggers in quotations and modal scopes
MAX_GAP = 1              # words allowed between the words of a trigger phrase

READ_WORDS = 1 << 16     # words a vocabulary remembers whether they start a trigger
_LOCATIVE = {"in", "into", "near", "around", "at", "outside", "inside", "across", "throughout",
             "towards", "toward", "along", "nearby"}
_NOT_MODIFIER = {"as", "that", "which", "who", "whom", "whose", "where", "when", "while", "to",
                 "of", "for", "by", "with", "from", "on", "than", "but", "if", "is", "are", "was",
                 "were", "be", "been", "has", "have", "had", "will", "would", "could", "not"}
_PREFIX_WORDS = 3        # words that may stand between a locative preposition and the place
_PLACE_NOUN_AFTER = re.compile(r"^\s+(?:region|province|oblast|district|area|city|town|village|"
                               r"raion|county|state)s?\b", re.I)
_PLACE_NOUN_BEFORE = re.compile(r"\b(?:city|town|village|region|province|areas?|outskirts|suburbs|"
                                r"districts?|oblast|port|airport|outside|vicinity|direction|"
                                r"cent(?:er|re)|heart|streets|edge|parts?|residents|control)\s+of\s+"
                                r"(?:the\s+)?$", re.I)  # "in the direction of", "residential areas of",
# "struck the centre of Chernihiv"
_POSSESSIVE = ("'s", "’s")
_WORD_OR_SIGN = re.compile(r"[\w’'-]+|[^\w\s]")
_WORD_START = re.compile(r"[\w’']")
_UNKNOWN_TOWN_BEFORE = re.compile(r"(?:[A-Z][\w’'/.-]*|\d[\w/]*)(?:\s+(?:[A-Z][\w’'/.-]*|\d[\w/]*|"
                                  r"imeni|im\.))*\s*,\s*$")  # "near Mine 6/7, " before "Donetsk"
_REMOVAL_BEFORE = re.compile(r"\b(?:withdr\w+|retreat\w*|evicted|expelled|driven|pushed|ousted|"
                             r"fled|flee\w*|evacuat\w*)\s+(?:out\s+)?(?:from|of)\s+(?:the\s+)?$", re.I)
_ACTOR_AFTER = re.compile(r"^(?:['’]s?\b|-\w)")
_STATEMENT_LEMMAS = {"say", "promise", "pledge", "announce", "warn", "state", "claim", "deny",
                     "tell", "urge", "vow", "insist", "accuse", "add", "agree", "sign", "call",
                     "recognise", "recognize", "demand", "threaten", "offer", "send"}
_STATEMENT_WINDOW = 3    # words after a place in which a statement verb makes it an actor
_OBJECT_GAP = re.compile(r"\s+(?:with\s+(?:[a-z][\w-]*\s+){1,3})?"
                         r"(?:(?:the|a|an|of|on|at|over|control|village|town|city|settlement|"
                         r"attacks?|strikes?|systems?)\s+){0,2}$")  # "shelled with heavy weapons X"  # "rocket attack on Kyiv"; not
# "to", "by": "defeats to Russia", "aid given to Ukraine"
_CLAUSE_END = re.compile(r"[,;:.()\[\]]")
_COORDINATION = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
                           r"(?:(?:\w+ly|[\w’']+-[\w-]+)\s+){0,2}$")
_BACKGROUND = re.compile(r"^\W*(?:After|Following|Before|Since|As|While|Once|When)\b[^,;]*[,;]")
_QUOTE = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
_MODAL = re.compile(any_word(("could", "would", "might", "may", "should", "if", "unless",
                             "whether")) + r"[^,;.]*", re.I)


@dataclass(frozen=True)
class Trigger:
    """A trigger of the taxonomy: its lemmas, weight, whether it matches only as capitalised and
    whether it only tells a toll (see :func:`choose_type`)."""

    type: str
    phrase: str
    lemmas: tuple[str, ...]
    weight: float
    cased: bool
    toll: bool = False


@dataclass
class Hit:
    """A trigger found in a passage, at passage offsets ``start``-``end``, with its weight there."""

    trigger: Trigger
    start: int
    end: int
    weight: float


def lemma(word: str) -> str:
    """The English lemma of a lower-case word (:func:`geomap.lemmas.lemma`)."""
    return lemmas.lemma(word, ENGLISH)


def _word_lemma(word: str) -> str:
    """The lemma of a word as written."""
    return lemma(word.lower())


def _word_lemmas(word: str) -> tuple[str, ...]:
    """:func:`_word_lemma` as the one lemma an English word stands for."""
    return (_word_lemma(word),)


Triggers = dict[str, list[Trigger]]  # every trigger of the taxonomy, by the lemma of its first word
Lemmatiser = Callable[[str], str]  # the lemma of a word as written


class Grammar(Protocol):
    """How a language's passages say where an event happened and what they only recall, quote
    or suppose: read by :func:`locations`, :func:`find_triggers` and :func:`passage_event`."""

    def lemma(self, word: str) -> str:
        """The lemma of a word as written (a trigger's words are read so)."""

    def lemmas(self, word: str) -> tuple[str, ...]:
        """Every lemma a word as written may stand for, the likeliest first (a text's words are
        read so: under the likeliest that starts a trigger; a phrase's later words under any)."""

    def prefix_cue(self, before: str) -> bool:
        """Whether the text before a place puts it where something happened."""

    def noun_after(self, after: str) -> bool:
        """Whether a place noun after a place (or its list) makes it a location ("X region")."""

    def actor(self, before: str, after: str) -> bool:
        """Whether the text around a place (or its list) makes it an actor, not a location."""

    def owner_after(self, after: str) -> bool:
        """Whether the text right after one place makes it an owner ("Russia's")."""

    def object_of(self, text: str, start: int, trigger_ends: list[int]) -> bool:
        """Whether a place at ``start`` is what a trigger ending at one of ``trigger_ends`` acts on."""

    def coordinated(self, gap: str) -> bool:
        """Whether the text between two places joins them in a list."""

    def background_end(self, text: str) -> int:
        """The end of a leading background clause, or 0 if none."""

    def damped(self, text: str) -> list[tuple[int, int]]:
        """The spans of quotations and modal scopes, where triggers weigh less."""


class Vocabulary:
    """What the events stage reads one language with: its triggers, by the lemma of their first
    word, and its grammar; it remembers which words it met may start a trigger."""

    def __init__(self, triggers: Triggers, grammar: Grammar) -> None:
        self.triggers = triggers
        self.grammar = grammar
        self._read: set[str] = set()  # words as written whose lemmas were looked at
        self._starting: set[str] = set()  # those of them one of whose lemmas starts a trigger

    def starting(self, said: set[str]) -> set[str]:
        """The words of ``said`` (as written) one of whose lemmas is a trigger's first: each
        word is lemmatised once, the first time it is met (of the last :data:`READ_WORDS`)."""
        read, starting = self._read, self._starting
        if len(read) > READ_WORDS:
            self._read, self._starting = read, starting = set(), set()
        new = said - read
        if new:
            firsts = self.triggers.keys()
            starting.update(w for w in new if not firsts.isdisjoint(self.grammar.lemmas(w)))
            read |= new  # after: a word read is known to start a trigger or not
        return said & starting


def triggers_by_first_lemma(types: Mapping[str, EventType] | None = None, lang: str = ENGLISH,
                            lemmatise: Lemmatiser = _word_lemma) -> Triggers:
    """Every trigger of the event types (by default the package's, :mod:`geomap.taxonomy`) in
    language ``lang``, indexed by the ``lemmatise``-d form of its first word."""
    index: dict[str, list[Trigger]] = {}
    for etype in (event_types() if types is None else types).values():
        for phrase, weight in etype.triggers.get(lang, ()):
            lemmas = tuple(lemmatise(w) for w in TOKEN.findall(phrase))
            t = Trigger(etype.name, phrase, lemmas, weight, phrase[:1].isupper(),
                        phrase in etype.toll.get(lang, ()))
            index.setdefault(lemmas[0], []).append(t)
    return index


class Vocabularies(Mapping[str, Vocabulary]):
    """The :class:`Vocabulary` of each language geomap reads, made on first use: a Ukrainian or
    Russian one lemmatises with that language's morphology (``morphology``, by language code),
    which an English parse never loads."""

    def __init__(self, morphology: Mapping[str, Morphology],
                 types: Mapping[str, EventType] | None = None) -> None:
        self._morphology = morphology
        self._types = types
        self._made: dict[str, Vocabulary] = {}

    def __getitem__(self, lang: str) -> Vocabulary:
        if lang not in self._made:
            grammar = ENGLISH_GRAMMAR if lang == ENGLISH else _cyrillic_grammar(self._morphology[lang])
            triggers = triggers_by_first_lemma(self._types, lang, grammar.lemma)
            if lang != ENGLISH:
                grammar.know_triggers(triggers)
            self._made[lang] = Vocabulary(triggers, grammar)
        return self._made[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


def _cyrillic_grammar(morph: Morphology) -> Grammar:
    from geomap.stages.events_cyrillic import Cyrillic  # here: an English parse never needs it

    return Cyrillic(morph)


def _matches_case(trigger: Trigger, word: str, first: bool) -> bool:
    """Lower-case triggers do not match names ("March", "Storm Shadow"), bar a sentence start."""
    return trigger.cased == word[:1].isupper() or (first and not trigger.cased)


def _phrase_end(trigger: Trigger, said: list[str], i: int,
                lemmas: Callable[[str], tuple[str, ...]]) -> int | None:
    """The index of the word after ``trigger`` matched from word ``i`` of ``said``, or None."""
    j = i + 1
    for want in trigger.lemmas[1:]:
        hit = next((k for k in range(j, min(j + MAX_GAP + 1, len(said))) if want in lemmas(said[k])),
                   None)
        if hit is None:
            return None
        j = hit + 1
    return j


def find_triggers(text: str, vocabulary: Vocabulary) -> list[Hit]:
    """Every trigger in ``text``, with its weight damped inside quotations and modal scopes."""
    said = words(text)
    starting = vocabulary.starting(set(said))
    if not starting:
        return []  # most passages: no word can start a trigger, and no offsets are needed
    triggers, grammar = vocabulary.triggers, vocabulary.grammar
    found = []  # (trigger, index of its first word, index of the word after it)
    for i, word in enumerate(said):
        if word not in starting:
            continue
        first = next(lem for lem in grammar.lemmas(word) if lem in triggers)  # its likeliest
        # lemma that starts a trigger: "бомби" the noun, not also the verb's imperative
        for t in triggers[first]:
            j = _phrase_end(t, said, i, grammar.lemmas)
            if j is not None and _matches_case(t, word, i == 0):
                found.append((t, i, j))
    if not found:
        return []
    starts = word_starts(text, said, max(j for _, _, j in found))
    matched = [(t, starts[i], starts[j - 1] + len(said[j - 1])) for t, i, j in found]
    damped = grammar.damped(text)
    return [Hit(t, start, end, t.weight * (DAMPED if any(s <= start < e for s, e in damped) else 1.0))
            for t, start, end in matched]


def background_end(text: str) -> int:
    """The end of a leading background clause ("After X happened, …"), or 0 if none."""
    m = _BACKGROUND.match(text)
    return m.end() if m else 0


def _last_words(before: str, count: int) -> list[str]:
    """The last ``count`` words and signs of ``before`` (:data:`_WORD_OR_SIGN`), the last first;
    read from its last ``count`` runs of non-space characters, as no word or sign crosses a space."""
    return _WORD_OR_SIGN.findall(" ".join(before.rsplit(None, count)[-count:]))[:-count - 1:-1]


def _has_prefix_cue(before: str) -> bool:
    """Whether the text before a place puts it where something happened; so does the cue of a
    town the gazetteer does not know, for the region written after it ("near Pisky, Donetsk")."""
    ending = before.rstrip()[-4:].lower()  # the patterns below match only before an ending
    # "of", "the" or "from", or ","
    if ending.endswith(("of", "the", "from")) and (_PLACE_NOUN_BEFORE.search(before)
                                                   or _REMOVAL_BEFORE.search(before)):
        return True
    town = _UNKNOWN_TOWN_BEFORE.search(before) if ending.endswith(",") else None
    if town and town.start() > 0 and _has_prefix_cue(before[:town.start()]):
        return True
    for word in _last_words(before, _PREFIX_WORDS + 1):
        low = word.lower()
        if low in _LOCATIVE:
            return True
        if not _WORD_START.match(word) or low in _NOT_MODIFIER:
            return False
        if word[:1].isupper() and "-" not in word and low not in SETTLEMENT_WORDS \
                and not word.endswith(_POSSESSIVE):
            return False  # a name; not Selyshche, the kind of the settlement named next, nor
            # the place the next is part of ("in Crimea's Saky")
    return False


def _is_actor(after: str) -> bool:
    """Whether the text after a place makes it an actor: "Russia's", "Washington-based",
    "Washington said", "Slovenia this week promising"; not a statement verb past a comma ("protested
    in Kyiv, demanding")."""
    if _ACTOR_AFTER.match(after):
        return True
    clause = _CLAUSE_END.split(after, 1)[0]
    first = itertools.islice(TOKEN.finditer(clause), _STATEMENT_WINDOW)
    return any(lemma(m.group(0).lower()) in _STATEMENT_LEMMAS for m in first)


def _groups(text: str, spans: list[tuple[int, int]], grammar: Grammar) -> list[list[int]]:
    """Indexes of ``spans`` (in text order) grouped into coordinated lists ("A, B and C")."""
    groups: list[list[int]] = []
    for i, (start, _) in enumerate(spans):
        if groups and grammar.coordinated(text[spans[groups[-1][-1]][1]:start]):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _object_of(text: str, start: int, trigger_ends: list[int]) -> bool:
    """Whether a place at ``start`` is what a trigger acts on: "shelled Kharkiv", "retook the
    town Izium", "regained control over Kupiansk"; so is the region written after a town the
    gazetteer does not know ("shelled Qwertivka, Kyiv")."""
    town = _UNKNOWN_TOWN_BEFORE.search(text, 0, start) if text[:start].rstrip().endswith(",") \
        else None
    starts = (start, town.start()) if town else (start,)
    return any(end <= at and _OBJECT_GAP.match(text, end, at)
               for at in starts for end in trigger_ends)


def locations(text: str, spans: list[tuple[int, int]], trigger_ends: list[int] = (),
              grammar: Grammar | None = None) -> list[int]:
    """Indexes of the place spans of a passage that are event locations (see the module doc);
    a place right after the end of a trigger (``trigger_ends``) is one too. ``grammar``: the
    passage's language's, English's by default."""
    g = grammar or ENGLISH_GRAMMAR
    found = []
    named_after = _named_facilities(text, spans) if g is ENGLISH_GRAMMAR else set()
    for group in _groups(text, spans, g):
        first, last = spans[group[0]], spans[group[-1]]
        if g.actor(text[:first[0]], text[last[1]:]):
            continue
        shared = g.prefix_cue(text[:first[0]]) or g.noun_after(text[last[1]:]) \
            or g.object_of(text, first[0], trigger_ends)
        for i in group:
            start, end = spans[i]
            own = g.prefix_cue(text[:start]) or g.noun_after(text[end:])
            if (shared or own) and not g.owner_after(text[end:]) and i not in named_after:
                found.append(i)
    return found


_FACILITY_IN = re.compile(r"\s+(?:(?!(?:and|or|but|while|as)\b)[\w-]+\s+){0,3}?(?:plant|station|dam|airport|airfield|refinery|"
                          r"port|bridge|factory|works|base|depot|terminal)\s+(?:in|at|near|outside)"
                          r"\s+(?:the\s+)?$", re.I)


def _named_facilities(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of the places that only name a facility said to be in the next place ("the
    Zaporizhzhia Nuclear Power Plant in Enerhodar"): the event is where the facility is."""
    return {i for i in range(len(spans) - 1)
            if _FACILITY_IN.fullmatch(text, spans[i][1], spans[i + 1][0])}


class English:
    """English's :class:`Grammar`: the cues of this module."""

    lemma = staticmethod(_word_lemma)
    lemmas = staticmethod(_word_lemmas)
    prefix_cue = staticmethod(_has_prefix_cue)
    object_of = staticmethod(_object_of)
    background_end = staticmethod(background_end)

    @staticmethod
    def noun_after(after: str) -> bool:
        return bool(_PLACE_NOUN_AFTER.match(after))

    @staticmethod
    def actor(before: str, after: str) -> bool:
        return _is_actor(after)

    @staticmethod
    def owner_after(after: str) -> bool:
        return bool(_ACTOR_AFTER.match(after))

    @staticmethod
    def coordinated(gap: str) -> bool:
        return bool(_COORDINATION.match(gap))

    @staticmethod
    def damped(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in _QUOTE.finditer(text)] + [m.span() for m in _MODAL.finditer(text)]


ENGLISH_GRAMMAR: Grammar = English()


def _token_distance(text: str, a: int, b: int) -> int:
    """Words between two offsets of ``text``."""
    lo, hi = sorted((a, b))
    return len(TOKEN.findall(text, lo, hi))


def _nearness(text: str, hit: Hit, places: list[tuple[int, int]]) -> float:
    """1 for a trigger next to a location, down towards 0.5 far from it; 0.75 with none."""
    if not places:
        return 0.75
    d = min(_token_distance(text, hit.start, s if s > hit.start else e) for s, e in places)
    return 0.5 + 0.5 / (1 + d / 10)


def choose_type(text: str, hits: list[Hit], places: list[tuple[int, int]]) -> tuple[str, float, Hit] | None:
    """The passage's event type, its trigger weight and its main trigger, or None if too light.
    A trigger that only tells a toll counts where no other type has a trigger of full weight
    (a shelling that killed civilians is a shelling, as ACLED codes it)."""
    strong = {h.trigger.type for h in hits if not h.trigger.toll and h.trigger.weight >= 1}
    hits = [h for h in hits if not h.trigger.toll or not strong - {h.trigger.type}]
    score: dict[str, float] = {}
    ranked: dict[str, float] = {}
    for h in hits:
        score[h.trigger.type] = score.get(h.trigger.type, 0.0) + h.weight
        ranked[h.trigger.type] = ranked.get(h.trigger.type, 0.0) + h.weight * _nearness(text, h, places)
    if not ranked:
        return None
    best = max(ranked, key=lambda t: (ranked[t], score[t]))
    if score[best] < MIN_SCORE:
        return None
    main = max((h for h in hits if h.trigger.type == best), key=lambda h: h.weight)
    return best, score[best], main


def geography(article: Article, indexes: list[int]) -> dict:
    """Places, admin1 units, point and precision of an event's location mentions; the point is
    that of the most precise location (the first of equals)."""
    mentions = [article.mentions[i] for i in indexes if article.mentions[i].place]
    names, admin1, seen = [], [], set()
    for m in mentions:
        if m.place.key not in seen:
            seen.add(m.place.key)
            names.append(m.place.name)
            admin1 += [a for a in (m.place.admin1_all or [m.place.admin1]) if a and a not in admin1]
    if not mentions:
        return {"places": [], "admin1": [], "lat": None, "lon": None, "precision": None}
    primary = min(mentions, key=lambda m: kind_of(m.place.feature).precision)
    return {"places": names, "admin1": admin1, "lat": primary.place.lat, "lon": primary.place.lon,
            "precision": kind_of(primary.place.feature).precision}


def _nearest_date(dates: list[DateMention], at: int) -> DateMention | None:
    dated = [d for d in dates if d.value or d.since]
    return min(dated, key=lambda d: min(abs(d.start - at), abs(d.end - at)), default=None)


def _next_in_paragraph(article: Article, index: int) -> Passage | None:
    passages = article.passages
    if index + 1 < len(passages) and passages[index + 1].paragraph == passages[index].paragraph:
        return passages[index + 1]
    return None


@lru_cache(maxsize=256)  # the sentences of an article, asked again for the sentences after them
def _dates_in(text: str, published: datetime.date | None,
              lang: str | None) -> tuple[DateMention, ...]:
    """:func:`~geomap.stages.dates.find_dates` of a passage's text in ``lang`` (not to be
    modified)."""
    return tuple(find_dates(text, published, lang))


_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whom|whose|where)\b[^,;.]*")  # ", which
# Russian forces captured last month": its date is not that of the sentence's event


def event_date(article: Article, index: int, skip: int, at: int) -> DateMention | None:
    """The date of the event of passage ``index`` (main trigger at passage offset ``at``, the
    first ``skip`` characters and relative clauses the trigger is not in left out); else the day an earlier sentence of the paragraph
    stated ("On 13 January, …", carried to the sentences after it); else the first date of the
    next sentence of the paragraph."""
    published = parse_published(article.published)
    p = article.passages[index]
    text = article.text[p.start:p.end]
    clauses = [m.span() for m in _RELATIVE_CLAUSE.finditer(text) if not m.start() <= at < m.end()]
    dates = [d for d in _dates_in(text, published, article.lang)
             if d.start >= skip and not any(s <= d.start < e for s, e in clauses)]
    found = _nearest_date(dates, at) or _stated_before(article, index, published)
    nxt = _next_in_paragraph(article, index)
    if found is None and nxt is not None:
        later = [d for d in _dates_in(article.text[nxt.start:nxt.end], published, article.lang)
                 if d.value]
        found = later[0] if later else None
    return found


def _stated_before(article: Article, index: int, published: datetime.date | None) -> DateMention | None:
    """The last day-precise date of the sentences before passage ``index`` in its paragraph."""
    paragraph = article.passages[index].paragraph
    for k in range(index - 1, -1, -1):
        p = article.passages[k]
        if p.paragraph != paragraph:
            return None
        days = [d for d in _dates_in(article.text[p.start:p.end], published, article.lang)
                if d.value and d.precision == "day"]
        if days:
            return days[-1]
    return None


def reported(article: Article) -> tuple[str | None, str]:
    """An undated event's date: the article's publication day, precision ``reported``."""
    published = parse_published(article.published)
    return (published.isoformat(), "reported") if published else (None, "none")


def _confidence(score: float, located: bool, date: DateMention | None) -> float:
    """Heavier triggers, a location and a dated occurrence make an event more certain."""
    c = (1 - math.exp(-score)) * (1.0 if located else 0.7)
    return c * (0.5 if date is not None and date.since else 1.0)


def passage_event(article: Article, index: int, mention_ids: list[int],
                  vocabulary: Vocabulary) -> Event | None:
    """The event passage ``index`` reports, or None; ``mention_ids`` are its resolved mentions."""
    p = article.passages[index]
    text = article.text[p.start:p.end]
    hits = find_triggers(text, vocabulary)
    if not hits:
        return None
    skip = vocabulary.grammar.background_end(text)
    hits = [h for h in hits if h.start >= skip]
    if not hits:
        return None
    ids = [i for i in mention_ids if article.mentions[i].start - p.start >= skip]
    spans = [(article.mentions[i].start - p.start, article.mentions[i].end - p.start) for i in ids]
    where = [ids[k] for k in locations(text, spans, [h.end for h in hits], vocabulary.grammar)]
    place_spans = [spans[ids.index(i)] for i in where]
    chosen = choose_type(text, hits, place_spans)
    if chosen is None:
        return None
    etype, score, main = chosen
    date = event_date(article, index, skip, main.start)
    confidence = _confidence(score, bool(where), date)
    if confidence < MIN_CONFIDENCE:
        return None
    when = reported(article) if date is None or date.since else (date.value, date.precision)
    return Event(id=f"{article.id}#{p.id}:{etype}", type=etype, article=article.id, passage=p.id,
                 mentions=where, **geography(article, where), date=when[0], date_precision=when[1],
                 confidence=round(confidence, 3),
                 triggers=sorted({text[h.start:h.end] for h in hits if h.trigger.type == etype}))


def stage(article: Article, res: Resources) -> Article:
    """The events stage: what the article's passages report happened, where and when."""
    article.events = detect(article, res.vocabularies[article.lang or ENGLISH])
    return article


def detect(article: Article, vocabulary: Vocabulary) -> list[Event]:
    """The events of a parsed article (passages and resolved mentions set), in text order."""
    by_passage: dict[str, list[int]] = {}
    for i, m in enumerate(article.mentions):
        if m.place:
            by_passage.setdefault(m.passage, []).append(i)
    events: list[Event] = []
    for index, p in enumerate(article.passages):
        event = passage_event(article, index, by_passage.get(p.id, []), vocabulary)
        if event is None:
            continue
        before = events[-1] if events else None
        if not event.mentions and before and _paragraph(article, before.passage) == p.paragraph:
            if before.type == event.type:
                continue  # the same event told on: "… to hold referendums. The votes are …"
            relocate(article, event, before.mentions)  # "As a result, two were killed."
        elif not event.mentions:
            relocate(article, event, _located_before(article, index, by_passage,
                                                     vocabulary.grammar))
        events.append(event)
    return events


def _located_before(article: Article, index: int, by_passage: dict[str, list[int]],
                    grammar: Grammar) -> list[int]:
    """The location mentions of the nearest earlier sentence of passage ``index``'s paragraph
    that names where something happened ("People gathered in Kharkiv. Protesters carried …")."""
    paragraph = article.passages[index].paragraph
    for k in range(index - 1, -1, -1):
        p = article.passages[k]
        if p.paragraph != paragraph:
            break
        ids = by_passage.get(p.id, [])
        spans = [(article.mentions[i].start - p.start, article.mentions[i].end - p.start) for i in ids]
        found = locations(article.text[p.start:p.end], spans, grammar=grammar)
        if found:
            return [ids[i] for i in found]
    return []


def _paragraph(article: Article, passage: str) -> int:
    return next(p.paragraph for p in article.passages if p.id == passage)


def mention_of(article: Article, passage: str, text: str) -> int | None:
    """The index of the first resolved mention written ``text`` in ``passage``, or None."""
    return next((i for i, m in enumerate(article.mentions)
                 if m.passage == passage and m.text == text), None)


def relocate(article: Article, event: Event, indexes: list[int]) -> None:
    """Set an event's location mentions and everything derived from them."""
    event.mentions = list(indexes)
    for key, value in geography(article, indexes).items():
        setattr(event, key, value)

