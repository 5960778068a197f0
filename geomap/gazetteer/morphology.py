"""How Ukrainian and Russian inflect a word: pymorphy3's analyser of each language (PyPI
``pymorphy3`` with ``pymorphy3-dicts-uk`` and ``-ru``), asked for the nominative forms an
inflected place name can stand for ("у Харкові" -> Харків, "Нової Каховки" -> Нова Каховка,
"в Николаеве" -> Николаев). One :class:`Morphology` per language, in the parse's
:class:`~geomap.stages.resources.Resources`; its dictionary loads on first use (0.5 s), so an
English parse never loads it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from geomap.gazetteer.index import LOOKUP_CACHE_SIZE

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
MAX_FORMS = 4  # nominative readings of a word tried: pymorphy3 lists the likelier first


@dataclass(frozen=True)
class Reading:
    """One reading of a word: a nominative form, its part of speech and whether it is a
    person's name."""

    form: str
    pos: str | None
    person: bool


@dataclass(eq=False)
class Morphology:
    """pymorphy3's analyser of one language (``uk`` or ``ru``), loaded on first use."""

    lang: str

    @cached_property
    def analyser(self) -> MorphAnalyzer:
        from pymorphy3 import MorphAnalyzer

        return MorphAnalyzer(lang=self.lang)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)  # news repeats its place names
    def readings(self, word: str) -> tuple[Reading, ...]:
        """The nominative forms ``word`` (lower case) can stand for, likeliest first, the word
        itself first of all: an adjective keeps its gender and number (Нової -> нова), a noun
        its number (Сумах -> суми)."""
        out = {word: Reading(word, None, False)}
        for parse in self.analyser.parse(word):
            person = bool(PERSON_TAGS & parse.tag.grammemes)
            nominative = parse.inflect({"nomn"})
            for form in (nominative.word if nominative else None, parse.normal_form):
                if form and form not in out:
                    out[form] = Reading(form, parse.tag.POS, person)
        return tuple(out.values())[:MAX_FORMS + 1]

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def common_word(self, word: str) -> bool:
        """Whether the dictionary knows a lower-case word as an ordinary word (удар, перемога),
        not only as a name of a place or a person."""
        parses = self.analyser.parse(word)
        return any(p.is_known and not ({"Geox", "Name", "Surn", "Patr", "Orgn", "Abbr"}
                                       & p.tag.grammemes) for p in parses)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def function_word(self, word: str) -> bool:
        """Whether a lower-case word is first of all a preposition, conjunction, particle,
        interjection or pronoun (об, все, это)."""
        parses = self.analyser.parse(word)
        return bool(parses) and parses[0].tag.POS in FUNCTION_POS

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def given_name(self, word: str) -> bool:
        """Whether a word (as written) is first of all a given name or a patronymic (Віталій,
        Сергеевич)."""
        parses = self.analyser.parse(word)
        return bool(parses) and bool({"Name", "Patr"} & parses[0].tag.grammemes)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def person_first(self, word: str) -> bool:
        """Whether a word's likeliest reading is a person's name (Кім, Зеленський)."""
        parses = self.analyser.parse(word.lower())
        return bool(parses) and bool(PERSON_TAGS & parses[0].tag.grammemes)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def genitive_noun(self, word: str) -> bool:
        """Whether one of the two likeliest readings of a lower-case word is a noun in the
        genitive (России, Росії)."""
        return any("gent" in p.tag.grammemes and p.tag.POS == "NOUN"
                   for p in self.analyser.parse(word)[:2])

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def lemma(self, word: str) -> str:
        """The dictionary form of a lower-case word."""
        return self.analyser.parse(word)[0].normal_form

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def normal_forms(self, word: str) -> tuple[str, ...]:
        """Every dictionary form a lower-case word can stand for, likeliest first (бою: бой,
        бій)."""
        return tuple(dict.fromkeys(p.normal_form for p in self.analyser.parse(word)))
