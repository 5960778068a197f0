"""Word lists that tell place names from ordinary words and people's names, in one
:class:`Lexicon` loaded once per process (into :class:`geomap.stages.resources.Resources`): an
English dictionary (PyPI ``english-words``), word frequencies (:mod:`.frequency`, PyPI
``wordfreq``) and the US census lists of given names and surnames (PyPI ``names``). Each is kept in
the cache folder in a form that loads in milliseconds."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import marisa_trie

from geomap.cache import Artefact
from geomap.gazetteer import frequency
from geomap.gazetteer.index import LOOKUP_CACHE_SIZE

DEMONYM_ENDINGS = ("ian", "ean", "ish", "ese", "ern", "ic", "i")
COMMON_NAME_PERCENT = 0.05  # of the census population: Mark, Kelly, Robin are names before a surname
FREQUENT_NAME_PERCENT = 0.5  # James, Paul, George, Elizabeth: a person's before a surname, whatever
# else they name (not Virginia, 0.43)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The word lists of one language (English): what recognition asks of a word."""

    lowercase: marisa_trie.Trie  # words a dictionary writes in lower case: pool, reading
    proper: marisa_trie.Trie  # words it also writes capitalised, as names: Michigan, Turkey
    given_names: frozenset[str]  # lower-cased: james, charlotte, dennis
    common_given_names: frozenset[str]  # borne by one person in 2,000: mark, kelly, robin
    frequent_given_names: frozenset[str]  # borne by one person in 200: paul, george, elizabeth
    surnames: frozenset[str]  # lower-cased: graham, williams, hilton
    frequencies: marisa_trie.RecordTrie  # :func:`geomap.gazetteer.frequency.table`

    def is_common_word(self, surface: str) -> bool:
        """Whether a capitalised surface is also an ordinary English word (or its plural: Lakes)."""
        word = surface.lower()
        return word in self.lowercase or (word.endswith("s") and word[:-1] in self.lowercase)

    def is_person_name(self, word: str) -> bool:
        """Whether a word is a census given name or surname."""
        return word.lower() in self.given_names or word.lower() in self.surnames

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)  # recognition asks it of the same words over and over
    def zipf(self, word: str) -> float:
        """:func:`geomap.gazetteer.frequency.zipf` of a word."""
        return frequency.zipf(word, self.frequencies)


def load() -> Lexicon:
    """The English lexicon, from the cache folder (each list built there first if missing)."""
    return Lexicon(lowercase_words(), proper_nouns(),
                   _census_names("dist.male.first", "dist.female.first"),
                   _census_names("dist.male.first", "dist.female.first",
                                 min_percent=COMMON_NAME_PERCENT),
                   _census_names("dist.male.first", "dist.female.first",
                                 min_percent=FREQUENT_NAME_PERCENT),
                   _census_names("dist.all.last"), frequency.table())


def lowercase_words() -> marisa_trie.Trie:
    """English words a dictionary writes in lower case (Webster's 2nd, PyPI ``english-words``):
    ``pool``, ``reading``, ``telegram`` are; ``texas``, ``moscow``, ``bucha`` are not."""
    return _dictionary_words("lowercase", str.islower)


def proper_nouns() -> marisa_trie.Trie:
    """Words the same dictionary also writes capitalised, as names: ``Michigan``, ``Montana``,
    ``Turkey``; not ``Pool``, ``Reading``, ``Man``."""
    return _dictionary_words("proper", str.istitle)


def _dictionary_words(kind: str, keep: Callable[[str], bool]) -> marisa_trie.Trie:
    """The words of Webster's 2nd that ``keep`` selects, as a trie in the cache folder: it loads
    in milliseconds, the word list in a fifth of a second."""
    def build() -> marisa_trie.Trie:
        from english_words import get_english_words_set

        return marisa_trie.Trie(w for w in get_english_words_set(["web2"], lower=False) if keep(w))

    return Artefact(f"{kind}-words", ".marisa", build, dump=marisa_trie.Trie.tobytes,
                    load=lambda path: marisa_trie.Trie().mmap(str(path)), code=(__name__,),
                    packages=("english-words", "marisa-trie")).get()


def _census_names(*files: str, min_percent: float = 0.0) -> frozenset[str]:
    """Names of the US Census lists shipped by PyPI ``names`` (1990 census), lower-cased; those
    borne by at least ``min_percent`` of the people, if given. Kept in the cache folder one per
    line, which reads in a tenth of the time the lists take to parse."""
    def build() -> frozenset[str]:
        folder = resources.files("names")
        rows = (line.split() for f in files
                for line in (folder / f).read_text("ascii").splitlines())
        return frozenset(row[0].lower() for row in rows if row and float(row[1]) >= min_percent)

    return Artefact(f"census-{'+'.join(files)}-{min_percent}", ".txt", build,
                    dump=lambda names: "\n".join(sorted(names)),
                    load=lambda path: frozenset(path.read_text("ascii").split("\n")),
                    code=(__name__,), packages=("names",)).get()
