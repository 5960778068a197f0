"""Word lists that tell place names from ordinary words and people's names: an English
dictionary (PyPI ``english-words``), word frequencies (:mod:`.frequency`, PyPI ``wordfreq``) and
the US census lists of given names and surnames (PyPI ``names``). Each is kept in the cache folder
in a form that loads in milliseconds."""
from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

import marisa_trie

from geomap.cache import cache_dir
from geomap.files import write_atomically
from geomap.gazetteer import frequency
from geomap.gazetteer.index import LOOKUP_CACHE_SIZE

DEMONYM_ENDINGS = ("ian", "ean", "ish", "ese", "ern", "ic", "i")
COMMON_NAME_PERCENT = 0.05  # of the census population: Mark, Kelly, Robin are names before a surname


@cache
def lowercase_words() -> marisa_trie.Trie:
    """English words a dictionary writes in lower case (Webster's 2nd, PyPI ``english-words``):
    ``pool``, ``reading``, ``telegram`` are; ``texas``, ``moscow``, ``bucha`` are not."""
    return _dictionary_words("lowercase", str.islower)


@cache
def proper_nouns() -> marisa_trie.Trie:
    """Words the same dictionary also writes capitalised, as names: ``Michigan``, ``Montana``,
    ``Turkey``; not ``Pool``, ``Reading``, ``Man``."""
    return _dictionary_words("proper", str.istitle)


def _dictionary_words(kind: str, keep: Callable[[str], bool]) -> marisa_trie.Trie:
    """The words of Webster's 2nd that ``keep`` selects, as a trie in the cache folder: it loads
    in milliseconds, the word list in a fifth of a second."""
    version = importlib.metadata.version("english-words")
    path = cache_dir() / f"{kind}-words-{version}.marisa"
    try:
        return marisa_trie.Trie().mmap(str(path))
    except RuntimeError:  # marisa's error for a file missing or damaged: build it
        pass
    from english_words import get_english_words_set

    words = marisa_trie.Trie(w for w in get_english_words_set(["web2"], lower=False) if keep(w))
    write_atomically(path, words.tobytes())
    return words


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def zipf(word: str) -> float:
    """:func:`geomap.gazetteer.frequency.zipf` of a word, cached: recognition asks it of the same words
    over and over."""
    return frequency.zipf(word)


def is_common_word(surface: str) -> bool:
    """Whether a capitalised surface is also an ordinary English word (or its plural: Lakes)."""
    word, words = surface.lower(), lowercase_words()
    return word in words or (word.endswith("s") and word[:-1] in words)


@cache
def _census_names(*files: str, min_percent: float = 0.0) -> frozenset[str]:
    """Names of the US Census lists shipped by PyPI ``names`` (1990 census), lower-cased; those
    borne by at least ``min_percent`` of the people, if given. Kept in the cache folder one per
    line, which reads in a tenth of the time the lists take to parse."""
    version = importlib.metadata.version("names")
    path = cache_dir() / f"census-{version}-{'+'.join(files)}-{min_percent}.txt"
    try:
        return frozenset(path.read_text("ascii").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    folder = resources.files("names")
    rows = (line.split() for f in files for line in (folder / f).read_text("ascii").splitlines())
    found = frozenset(row[0].lower() for row in rows if row and float(row[1]) >= min_percent)
    write_atomically(path, "\n".join(sorted(found)))
    return found


def given_names() -> frozenset[str]:
    """Given names (James, Charlotte, Dennis): the census lists of men's and women's first names."""
    return _census_names("dist.male.first", "dist.female.first")


def common_given_names() -> frozenset[str]:
    """Given names that one person in 2,000 bears (Mark, Peter, Kelly, Robin), dictionary words
    or not."""
    return _census_names("dist.male.first", "dist.female.first", min_percent=COMMON_NAME_PERCENT)


def surnames() -> frozenset[str]:
    """Surnames (Graham, Williams, Hilton): the census list of last names."""
    return _census_names("dist.all.last")


def is_person_name(word: str) -> bool:
    """Whether a word is a census given name or surname."""
    return word.lower() in given_names() or word.lower() in surnames()
