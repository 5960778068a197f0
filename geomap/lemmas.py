"""simplemma's lemmatizer and language detector over its dictionaries kept as marisa tries in
the cache folder, built once per language in under a second: a trie loads in a millisecond, the
shipped dictionary in 0.3 s (Ukrainian and Russian ones in seconds)."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

from marisa_trie import HUGE_CACHE, BytesTrie
from simplemma import Lemmatizer
from simplemma.language_detector import LanguageDetector
from simplemma.strategies import DefaultStrategy, LemmatizationStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieWrapDict

from geomap.cache import Artefact


class Dictionaries:
    """simplemma's dictionaries (a ``DictionaryFactory``) as marisa tries in the cache folder;
    each language's loaded once per process."""

    def __init__(self) -> None:
        self._loaded: dict[str, Mapping[str, str]] = {}

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang not in self._loaded:
            self._loaded[lang] = _dictionary(lang)
        return self._loaded[lang]


def _dictionary(lang: str) -> Mapping[str, str]:
    def build() -> BytesTrie:
        shipped = DefaultDictionaryFactory().get_dictionary(lang)
        return BytesTrie(((word, base.encode()) for word, base in shipped.items()),
                         cache_size=HUGE_CACHE)

    return TrieWrapDict(Artefact(f"simplemma-{lang}", ".marisa", build, dump=BytesTrie.tobytes,
                                 load=lambda path: BytesTrie().mmap(str(path)), code=(__name__,),
                                 packages=("simplemma", "marisa-trie")).get())


DICTIONARIES = Dictionaries()  # the process's: loaded language by language on first use


@cache
def lemmatizer() -> Lemmatizer:
    """simplemma's lemmatizer over :data:`DICTIONARIES`."""
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=DICTIONARIES))


@lru_cache(maxsize=65536)  # a news vocabulary fits
def lemma(word: str, lang: str = "en") -> str:
    """The lemma of a lower-case word in a language. For a word of ASCII letters that
    simplemma's dictionary holds, the dictionary's lemma is its answer (the first it looks for):
    it is read there without simplemma's other steps."""
    if word.isascii() and word.isalpha() and word.islower():
        found = DICTIONARIES.get_dictionary(lang).get(word)
        if found is not None:
            return found
    return lemmatizer().lemmatize(word, lang)


def proportions(text: str, langs: tuple[str, ...]) -> dict[str, float]:
    """The share of the words of ``text`` simplemma finds in each language's dictionary."""
    return dict(_detector(langs).proportion_in_each_language(text))


@cache
def _detector(langs: tuple[str, ...]) -> LanguageDetector:
    """simplemma's language detector of ``langs`` over :data:`DICTIONARIES`, each word's lemma
    in each language remembered: article after article asks it of the same words."""
    return LanguageDetector(langs, lemmatization_strategy=_RememberedLemmas(
        DefaultStrategy(dictionary_factory=DICTIONARIES)))


class _RememberedLemmas(LemmatizationStrategy):
    """A lemmatization strategy whose lemma of each word in each language is worked out once."""

    def __init__(self, strategy: LemmatizationStrategy) -> None:
        self._lemma = lru_cache(maxsize=65536)(strategy.get_lemma)  # a news vocabulary fits

    def get_lemma(self, token: str, lang: str) -> str | None:
        return self._lemma(token, lang)
