"""The events stage's grammar of Ukrainian and Russian (a :class:`~geomap.stages.events.Grammar`):
where a passage says an event happened, and what it only recalls or supposes.

A place is where something happened after a locative preposition ("у Харкові", "на Донеччині",
"під Бахмутом", "біля Одеси", "в районе Херсона", "около Белгорода"), with adjectives,
participles, settlement and facility words between ("у захопленому росіянами Мелітополі", "в
селе Новое", "на аеродромі Мелітополя", "по аэродрому Луцка"); after a removal verb and "from"
("відступили з Херсона", "выбиты из села"); before a place or facility noun ("Бахмутський район",
"Кременчуцького НПЗ"); right after a trigger, as what it acts on ("обстріляли Харків", "удар по
Одесі", "обстріл нафтобази Луганська"). A list ("у Київській та Львівській областях") shares its
cue. A place that speaks ("Росія заявила", "Киев сообщил") has none of these cues. Triggers weigh
less in a modal or conditional scope ("може", "якщо", "если бы"); a leading clause "Після того
як …," / "После того как …," recalls an event, it does not report one. Lemmas are pymorphy3's
likeliest normal forms (:class:`~geomap.gazetteer.morphology.Morphology`): a trigger is read under its likeliest, a word
of the text under the likeliest that starts a trigger ("бою": бой, else бій).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from geomap.gazetteer.index import LOOKUP_CACHE_SIZE
from geomap.gazetteer.morphology import Morphology
from geomap.stages.recognise_cyrillic import PLACE_NOUNS
from geomap.stages.tokens import any_word

if TYPE_CHECKING:
    from geomap.stages.events import Trigger

LOCATIVE = frozenset({
    "у", "в", "во", "уві", "на", "під", "біля", "поблизу", "поряд", "неподалік", "навколо",
    "довкола", "коло", "побіля", "над", "по", "под", "возле", "около", "близ", "вблизи",
    "неподалеку", "вокруг", "рядом"})
SETTLEMENT_WORDS = frozenset({  # lemmas: "у місті X", "в районе X", "на околицях X"
    "місто", "село", "селище", "смт", "пгт", "м", "с", "г", "город", "поселок", "посёлок",
    "район", "околиця", "окраїна", "передмістя", "напрямок", "територія", "центр", "громада",
    "населений", "пункт", "окраина", "окрестность", "пригород", "направление", "территория",
    "населённый", "населенный"})
AUTHORITIES = frozenset({"ова", "ода", "вга", "мва", "міськрада", "горсовет"})
PLACE_NOUNS_AFTER = PLACE_NOUNS - AUTHORITIES  # lemmas: "Бахмутський район", "Кременчуцького
# НПЗ"; not an authority ("Харківська ОВА" says, it is not where)
FACILITY_WORDS = PLACE_NOUNS_AFTER | {  # lemmas: "на аеродромі Мелітополя", "по складу в X"
    "склад", "база", "об'єкт", "объект", "підприємство", "предприятие", "інфраструктура",
    "инфраструктура", "плотина", "дамба", "гребля", "позиція", "позиция", "будівля", "здание",
    "будинок", "дом", "електропідстанція", "электроподстанция", "летовище", "авиабаза",
    "авіабаза"}
OBJECT_GAP_WORDS = frozenset({"по", "на", "проти", "против"})
MAX_OBJECT_GAP = 2  # words between a trigger and the place it acts on
FROM = frozenset({"з", "із", "зі", "из", "изо", "с", "со"})
REMOVAL_VERBS = (  # "відступили з Херсона", "выбиты из села": the place they left
    "відступити", "відійти", "вийти", "вивести", "вибити", "витіснити", "втекти", "тікати",
    "евакуювати", "отступить", "отойти", "выйти", "вывести", "выбить", "вытеснить", "бежать",
    "эвакуировать")
PREFIX_WORDS = 3   # words that may stand between a locative preposition and the place
PREFIX_CHARS = 160  # characters before a place that hold those words (and one more)
MODIFIER_POS = frozenset({"ADJF", "ADJS", "PRTF", "PRTS", "NUMR"})

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*|\d+|[^\w\s]")
_WORD_AFTER = re.compile(r"\s([^\W\d_]+)")  # the word right after a place
_COORDINATION = re.compile(r"^(?:\s*,\s*(?:(?:і|й|та|и|або|или|а також|а также)\s+)?|"
                           r"\s+(?:і|й|та|и|або|или|а також|а также)\s+)$", re.I)
_BACKGROUND = re.compile(r"^\W*(?:Після того,? як|Перед тим,? як|Оскільки|Відколи|Коли|Поки|"
                         r"После того,? как|Перед тем,? как|Поскольку|С тех пор,? как|Когда|Пока)"
                         r"\b[^,;]*[,;]")
_MODAL = re.compile(any_word((
    "може", "можуть", "міг", "могла", "могли", "могло", "можливо", "якщо", "якби", "би", "б",
    "может", "могут", "мог", "возможно", "если", "бы")) + r"[^,;:.]*", re.I)


TAIL_CHARS = 48  # characters before a place that mostly hold the words a cue is read from


def _last_words(before: str) -> list[str]:
    """The words of ``before`` (:data:`_WORD`), or at least the last ``PREFIX_WORDS + 2`` of them,
    read from its last characters where they hold more: a word cut at the start of those
    characters is cut only in its first letters, and the words after it are as in the whole."""
    words = _WORD.findall(before, len(before) - TAIL_CHARS) if len(before) > TAIL_CHARS else []
    return words if len(words) > PREFIX_WORDS + 2 else _WORD.findall(before)


class Cyrillic:
    """The :class:`~geomap.stages.events.Grammar` of Ukrainian or Russian, over the language's
    morphology."""

    def __init__(self, morph: Morphology) -> None:
        self.morph = morph
        self.trigger_forms: frozenset[str] = frozenset()  # see :meth:`know_triggers`
        self.lemma = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self.lemma)  # by the word as written:
        self.lemmas = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self.lemmas)  # no lower() on a hit
        self._prefix_cue = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._prefix_cue)  # a group's
        # first place and the group ask the same

    def know_triggers(self, triggers: Mapping[str, list[Trigger]]) -> None:
        """Learn every written form of the triggers' words (their dictionary paradigms), so
        that :meth:`lemmas` parses no other dictionary word: a word reads under a trigger's
        lemma only if it is a form of that lemma."""
        lemmas = {lemma for found in triggers.values() for t in found for lemma in t.lemmas}
        self.trigger_forms = frozenset().union(*map(self.morph.forms, lemmas))

    @cached_property
    def removal_lemmas(self) -> frozenset[str]:
        return frozenset(self.lemma(v) for v in REMOVAL_VERBS)

    def lemma(self, word: str) -> str:
        """pymorphy3's likeliest normal form of a word as written."""
        return self.morph.lemma(word.lower())

    def lemmas(self, word: str) -> tuple[str, ...]:
        """Every normal form pymorphy3 reads a word as written under (бою: бой, бій); none for a
        dictionary word that is no form of a trigger's word (:meth:`know_triggers`), which is
        not parsed: most words of a passage. A word of Latin letters or digits is its own."""
        low = word.lower()
        if low.isascii():
            return (low,)
        if self.trigger_forms and low not in self.trigger_forms and self.morph.known(low):
            return ()
        return self.morph.normal_forms(low)

    def _modifier(self, word: str) -> bool:
        """A lower-case word that may stand between a preposition and a place: an adjective, a
        participle, a numeral or a settlement word ("у захопленому Мелітополі", "в селе")."""
        if not word.islower():
            return False
        readings = self.morph.readings(word)
        lemma = self.lemma(word)
        return lemma in SETTLEMENT_WORDS or lemma in FACILITY_WORDS \
            or any(r.pos in MODIFIER_POS for r in readings[1:2])

    def prefix_cue(self, before: str) -> bool:
        return self._prefix_cue(before[-PREFIX_CHARS:])

    def _prefix_cue(self, before: str) -> bool:
        words = _last_words(before)[::-1]
        for k, word in enumerate(words[:PREFIX_WORDS + 1]):
            if word.lower() in LOCATIVE:
                return True
            if word.lower() in FROM:
                return k + 1 < len(words) and self.lemma(words[k + 1]) in self.removal_lemmas
            if not self._modifier(word):
                return False
        return False

    def noun_after(self, after: str) -> bool:
        m = _WORD_AFTER.match(after)
        return bool(m) and self.lemma(m.group(1)) in PLACE_NOUNS_AFTER

    def actor(self, before: str, after: str) -> bool:
        return False  # a place that speaks has no cue of a location: "Росія заявила", "Киев сообщил"

    def owner_after(self, after: str) -> bool:
        return False  # the genitive of an owner ("ВС России") is no place: recognition drops it

    def object_of(self, text: str, start: int, trigger_ends: list[int]) -> bool:
        for end in trigger_ends:
            if end <= start:
                gap = text[end:start]
                words = gap.split()
                if gap[:1].isspace() and len(words) <= MAX_OBJECT_GAP and all(
                        w.lower() in OBJECT_GAP_WORDS or self.lemma(w) in SETTLEMENT_WORDS
                        or self.lemma(w) in FACILITY_WORDS for w in words):
                    return True
        return False

    def coordinated(self, gap: str) -> bool:
        return bool(_COORDINATION.match(gap))

    def background_end(self, text: str) -> int:
        m = _BACKGROUND.match(text)
        return m.end() if m else 0

    def damped(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in _MODAL.finditer(text)]
