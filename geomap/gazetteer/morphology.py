"""How Ukrainian and Russian inflect a word: pymorphy3's analyser of each language (PyPI
``pymorphy3`` with ``pymorphy3-dicts-uk`` and ``-ru``), asked for the nominative forms an
inflected place name can stand for ("у Харкові" -> Харків, "Нової Каховки" -> Нова Каховка,
"в Николаеве" -> Николаев). One :class:`Morphology` per language, in the parse's
:class:`~geomap.stages.resources.Resources`; its dictionary loads on first use (0.5 s), so an
English parse never loads it."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple, Protocol

from geomap.gazetteer.index import LOOKUP_CACHE_SIZE

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer
    from pymorphy3.analyzer import Parse
    from pymorphy3.tagset import OpencorporaTag

PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
MAX_FORMS = 4  # nominative readings of a word tried: pymorphy3 lists the likelier first
INFLECTED_POS = frozenset({"NOUN", "ADJF", "PRTF", "NUMR", "NPRO"})  # words with cases
AS_WRITTEN = frozenset({"nomn", "Fixd"})  # a nominative's, an indeclinable word's (ЗСУ) own
NOMINATIVE = frozenset({"nomn"})
CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen1", "gen2", "acc2",
                   "loc1", "loc2"})


def from_dictionary(parse: Parse) -> bool:
    """Whether a reading is a dictionary word's (not a guess by its ending or its prefix)."""
    return len(parse.methods_stack) == 1 and isinstance(parse.methods_stack[0][0], _dictionary_unit())


@cache
def _dictionary_unit() -> type:
    from pymorphy3.units import DictionaryAnalyzer  # here: an English parse never loads pymorphy3

    return DictionaryAnalyzer


@cache
def _guessing_units() -> tuple[type, tuple[type, ...]]:
    """pymorphy3's units that guess a word the dictionary lacks from a dictionary paradigm: by
    its ending (the paradigm's forms as they are), and by a prefix (each form after it)."""
    from pymorphy3.units import KnownPrefixAnalyzer, KnownSuffixAnalyzer, UnknownPrefixAnalyzer

    return KnownSuffixAnalyzer, (KnownPrefixAnalyzer, UnknownPrefixAnalyzer)


def paradigm_form(parse: Parse) -> tuple[str, int, int, str] | None:
    """Where a reading's forms come from: the dictionary form its paradigm is read from
    (pymorphy3's written form, paradigm and index of the form in it) and the prefix put before
    each form (a guess by a prefix: "псевдо" + кошка). A guess by the ending reads the paradigm
    of a dictionary word that ends alike, with the word's own stem. None for other guesses (by
    hyphenated parts, an unknown word's)."""
    first, *guesses = parse.methods_stack
    if not isinstance(first[0], _dictionary_unit()):
        return None
    by_ending, by_prefix = _guessing_units()
    prefix = ""
    for method in guesses:
        if isinstance(method[0], by_prefix):
            prefix = method[1] + prefix
        elif not isinstance(method[0], by_ending):
            return None
    return first[1], first[2], first[3], prefix


def part_of_speech(tag: OpencorporaTag) -> str | None:
    """``tag.POS`` as a plain string: pymorphy3's attribute works it out from the grammemes
    whenever asked and wraps it in a type whose comparisons are Python functions."""
    return _grammeme(tag, tag.PARTS_OF_SPEECH)


def _grammeme(tag: OpencorporaTag, kind: frozenset[str]) -> str | None:
    """The grammeme of a kind (a part of speech, a case…) a tag has, as pymorphy3's attribute of
    that kind picks it, or None."""
    found = kind & tag.grammemes
    return next(iter(found)) if found else None


class Reading(NamedTuple):
    """One reading of a word: a nominative form, its part of speech, whether it is a person's
    name and the lemma it is a form of."""

    form: str
    pos: str | None
    person: bool
    lemma: str


class NameForms(Protocol):
    """Which readings recognition wants the nominative of (:meth:`Morphology.readings`)."""

    def known(self, parse: Parse) -> str | None:
        """A reading's nominative where it is known without inflecting: a name's word, or ""
        where it is known to be none; None where it is not known."""

    def may_name(self, parse: Parse) -> bool:
        """Whether a reading's nominative may be a place name's word, and is worth inflecting."""


class EveryForm:
    """Every reading's nominative wanted, each inflected."""

    def known(self, parse: Parse) -> str | None:
        return None

    def may_name(self, parse: Parse) -> bool:
        return True


@dataclass(eq=False)
class Morphology:
    """pymorphy3's analyser of one language (``uk`` or ``ru``), loaded on first use. A word is
    inflected to its nominative only where ``names`` says it may be a place name's words, and
    not where ``names`` knows the nominative (recognition's
    :class:`~geomap.stages.recognise_cyrillic.CyrillicNames`)."""

    lang: str
    names: NameForms = field(default_factory=EveryForm)
    _nominatives: dict[tuple[str, frozenset[str]], str | None] = field(default_factory=dict)

    @cached_property
    def analyser(self) -> MorphAnalyzer:
        from pymorphy3 import MorphAnalyzer

        return MorphAnalyzer(lang=self.lang)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)  # news repeats its words: each is parsed once
    def parses(self, word: str) -> tuple[Parse, ...]:
        """pymorphy3's readings of a lower-case word, likeliest first; the questions below are
        all answered from them. A word with a letter Unicode gives no name (a Tangut ideograph)
        has none: pymorphy3 raises on it."""
        try:
            return tuple(self.analyser.parse(word))
        except ValueError:  # pymorphy3's shape check asks unicodedata.name() of every letter
            return ()

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def readings(self, word: str) -> tuple[Reading, ...]:
        """The nominative forms ``word`` (lower case) can stand for, likeliest first, the word
        itself first of all: an adjective keeps its gender and number (Нової -> нова), a noun
        its number (Сумах -> суми)."""
        parses = self.parses(word)
        out = {word: Reading(word, None, False, parses[0].normal_form if parses else word)}
        for parse in parses:
            if len(out) > MAX_FORMS:  # the rest would be cut: not inflected
                break
            grammemes, pos, lemma = parse.tag.grammemes, part_of_speech(parse.tag), parse.normal_form
            person = not PERSON_TAGS.isdisjoint(grammemes)
            for form in (self._nominative(parse, pos, grammemes), lemma):
                if form and form not in out:
                    out[form] = Reading(form, pos, person, lemma)
        return tuple(out.values())[:MAX_FORMS + 1]

    def _nominative(self, parse: Parse, pos: str | None, grammemes: frozenset[str]) -> str | None:
        """The nominative of a reading (its part of speech and grammemes given) in its number
        (and an adjective's gender): a singular noun's is its normal form, a word that has no
        cases (a verb, an adverb) none, a nominative's or an indeclinable word's the word
        itself, others pymorphy3's inflection, once per lemma and grammemes but the case (Нової,
        Новій, Нову: нова), and only where :attr:`names` wants it (none otherwise)."""
        if pos not in INFLECTED_POS:
            return None
        if pos == "NOUN" and "plur" not in grammemes:
            return parse.normal_form
        if not AS_WRITTEN.isdisjoint(grammemes):
            return parse.word
        key = (parse.normal_form, grammemes - CASES)
        if key not in self._nominatives:
            self._nominatives[key] = self._inflected(parse)
        return self._nominatives[key]

    def _inflected(self, parse: Parse) -> str | None:
        """The nominative of a reading that has cases: as :attr:`names` knows it, else
        pymorphy3's inflection where :attr:`names` says it may be a name's word (read off its
        paradigm, :meth:`_paradigm_nominative`, where it has one and a nominative in it)."""
        known = self.names.known(parse)
        if known is not None or not self.names.may_name(parse):
            return known or None
        found = self._paradigm_nominative(parse)
        if found is not None:
            return found
        nominative = parse.inflect({"nomn"})
        return nominative.word if nominative else None

    def _paradigm_nominative(self, parse: Parse) -> str | None:
        """What ``parse.inflect({"nomn"})`` gives a reading read off a dictionary paradigm
        (:func:`paradigm_form`: a dictionary word's, or a guess by its ending or a prefix),
        without building its lexeme (60-400 µs): of the paradigm's forms in the nominative, the
        first that shares the most grammemes with those sought (the reading's, with the
        nominative for its case), less a tenth of those either has alone, as inflection scores
        them; None where no form is in the nominative (inflection then looks further) or the
        reading is not read off a paradigm."""
        source = paradigm_form(parse)
        if source is None:
            return None
        word, para_id, idx, prefix = source
        dictionary = self.analyser.dictionary
        paradigm = dictionary.paradigms[para_id]
        size = len(paradigm) // 3
        sought = parse.tag.updated_grammemes(NOMINATIVE)
        best, best_score = None, 0.0
        for form in range(size):
            grammemes = dictionary.gramtab[paradigm[size + form]].grammemes
            if "nomn" in grammemes:
                score = len(sought & grammemes) - 0.1 * len(sought ^ grammemes)
                if best is None or score > best_score:
                    best, best_score = form, score
        if best is None:
            return None
        return prefix + dictionary.paradigm_prefixes[paradigm[2 * size + best]] \
            + dictionary.build_stem(paradigm, idx, word) + dictionary.suffixes[paradigm[best]]

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def common_word(self, word: str) -> bool:
        """Whether the dictionary knows a lower-case word as an ordinary word (удар, перемога),
        not only as a name of a place or a person."""
        return any(p.is_known and not ({"Geox", "Name", "Surn", "Patr", "Orgn", "Abbr"}
                                       & p.tag.grammemes) for p in self.parses(word))

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def function_word(self, word: str) -> bool:
        """Whether a lower-case word is first of all a preposition, conjunction, particle,
        interjection or pronoun (об, все, это)."""
        parses = self.parses(word)
        return bool(parses) and part_of_speech(parses[0].tag) in FUNCTION_POS

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def given_name(self, word: str) -> bool:
        """Whether a word (as written) is first of all a given name or a patronymic (Віталій,
        Сергеевич)."""
        parses = self.parses(word.lower())
        return bool(parses) and bool({"Name", "Patr"} & parses[0].tag.grammemes)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def person_first(self, word: str) -> bool:
        """Whether a word's likeliest reading is a person's name (Кім, Зеленський)."""
        parses = self.parses(word.lower())
        return bool(parses) and bool(PERSON_TAGS & parses[0].tag.grammemes)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def genitive_noun(self, word: str) -> bool:
        """Whether one of the two likeliest readings of a lower-case word is a noun in the
        genitive (России, Росії)."""
        return any("gent" in p.tag.grammemes and part_of_speech(p.tag) == "NOUN"
                   for p in self.parses(word)[:2])

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def adjective(self, word: str) -> bool:
        """Whether a lower-case word can be an adjective (нафтопереробному, нафтопереробний)."""
        return any(part_of_speech(p.tag) == "ADJF" for p in self.parses(word))

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def agree(self, adjective: str, word: str, kinds: frozenset[str] = frozenset({"NOUN"})) -> bool:
        """Whether a reading of a lower-case adjective agrees with a reading of ``word`` as one
        of ``kinds`` (parts of speech) in case and number, and in gender in the singular
        (Черноморского флота; not Кропивницького росіяни)."""
        nouns = [(case, number, gender) for pos, case, number, gender in self._agreement(word)
                 if pos in kinds]
        return any(case == n_case and number == n_number and (number == "plur" or gender == n_gender)
                   for pos, case, number, gender in self._agreement(adjective) if pos == "ADJF"
                   for n_case, n_number, n_gender in nouns)

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def _agreement(self, word: str) -> tuple[tuple[str | None, ...], ...]:
        """Part of speech, case, number and gender of each reading of a lower-case word (a tag
        works each out from its grammemes whenever asked)."""
        return tuple((part_of_speech(t), _grammeme(t, t.CASES), _grammeme(t, t.NUMBERS),
                      _grammeme(t, t.GENDERS)) for t in (p.tag for p in self.parses(word)))

    def lemma(self, word: str) -> str:
        """The dictionary form of a lower-case word."""
        return self.parses(word)[0].normal_form

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def known(self, word: str) -> bool:
        """Whether the dictionary has a lower-case word (a lookup, no parse): as written, else
        with the letters the language may write for others (Russian's е for ё), which
        pymorphy3's look-up of those variants finds 10 times slower."""
        return word in self.analyser.dictionary.words or self.analyser.word_is_known(word)

    def forms(self, lemma: str) -> set[str]:
        """Every written form (lower case) of the dictionary words whose normal form is
        ``lemma``, with ё also as е and an apostrophe also as ’ and ʼ, as texts write them."""
        found = {lemma} | {f.word for p in self.parses(lemma) if p.normal_form == lemma
                           for f in p.lexeme}
        return {variant for form in found for variant in (
            form, form.replace("ё", "е"), form.replace("'", "’"), form.replace("'", "ʼ"))}

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def normal_forms(self, word: str) -> tuple[str, ...]:
        """Every dictionary form a lower-case word can stand for, likeliest first (бою: бой,
        бій)."""
        return tuple(dict.fromkeys(p.normal_form for p in self.parses(word)))
