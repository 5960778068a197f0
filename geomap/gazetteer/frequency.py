"""How frequent an English word or phrase is, on wordfreq's Zipf scale, without importing wordfreq
for the words it lists: their frequencies are kept as a trie in the cache folder, which maps in a
millisecond where wordfreq's import and word list take a third of a second, more than parsing an
article. Texts of Latin letters and some punctuation are cut into wordfreq's tokens here
(its rules for those characters, checked against wordfreq by the tests); what the table cannot
answer exactly (digits but numbers between spaces, other punctuation, marks, a stray apostrophe)
goes to wordfreq itself.
"""
from __future__ import annotations

import math
import re
import unicodedata

import marisa_trie

from geomap.cache import Artefact

LANGUAGE = "en"
_ASCII_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")  # most texts: their words are the tokens
_LETTERS = "[a-zß-öø-ɏḁ-ỿ\u0307]"  # Latin letters as case folding leaves them (İ: i, dot)
_TEXT = re.compile(rf"(?:{_LETTERS}|['\u2018\u2019 ./-])+")  # the texts cut into tokens here
_QUOTES = "'\u2018\u2019"  # not part of a token at its ends
_UNCURLED = str.maketrans("\u2018\u2019", "''")  # as wordfreq straightens them, once cut
_BREAKS = re.compile(rf"[ /-]+|\.(?!{_LETTERS})|(?<!{_LETTERS})\.")  # a period between two
# letters is inside a token ("d.c"), any other ends it
_TOKEN = re.compile(rf"{_LETTERS}+(?:['.]{_LETTERS}+)*")  # kept whole: "o'brien", "f.b.i"
_ELISION = re.compile(  # a token of its own: "l'", "d'", "qu'" before a vowel or h, as wordfreq's
    rf"({_LETTERS}{_LETTERS}?)'(?=[aehiouyáéíóúàèìòùâêîôûåïöœ])")
NUMBER_DIGITS = 4  # numbers this long or shorter are in the table, each with its own frequency
_DIGIT = re.compile(r"[0-9]")
_NUMBER = re.compile(rf"[0-9]{{1,{NUMBER_DIGITS}}}")
_FORMAT = "<d"  # the frequency wordfreq stores, as it stores it
_MINIMUM = 10 ** 0 / 1e9  # wordfreq's floor for zipf_frequency's default minimum of 0


def zipf(text: str, table: marisa_trie.RecordTrie) -> float:
    """``wordfreq.zipf_frequency(text, "en")``, the same float; ``table`` is :func:`table`'s."""
    words = _tokens(text)
    if words is None:
        from wordfreq import zipf_frequency

        return zipf_frequency(text, LANGUAGE)
    one_over = 0.0
    for word in words:  # wordfreq's formula: 1 / f = 1 / f1 + 1 / f2 + ...
        found = table.get(word)
        if not found:
            return _zipf(_MINIMUM)
        one_over += 1.0 / found[0][0]
    freq = max(1.0 / one_over, _MINIMUM)
    return _zipf(round(freq, math.floor(-math.log(freq, 10)) + 3))  # to 3 significant digits


def _tokens(text: str) -> list[str] | None:
    """wordfreq's English tokens of a text, or None if it is not one this module cuts as wordfreq
    does (:func:`_word_tokens`; numbers of up to four digits between spaces:
    :func:`_tokens_around_numbers`)."""
    if _ASCII_WORDS.fullmatch(text):
        return text.lower().split(" ")
    if _DIGIT.search(text):
        return _tokens_around_numbers(text)
    return _word_tokens(text)


def _tokens_around_numbers(text: str) -> list[str] | None:
    """The tokens of a text that holds digits ("Paris 04 Hôtel-de-Ville"): a number of up to
    :data:`NUMBER_DIGITS` digits between spaces (or the text's ends) is a token of its own, as
    Unicode's word breaks make it, and the words between the spaces are cut as
    :func:`_word_tokens` cuts them (spaces always end a token); None for any other digit."""
    tokens = []
    for chunk in text.split(" "):
        if _NUMBER.fullmatch(chunk):
            tokens.append(chunk)
        elif chunk:
            words = _word_tokens(chunk)
            if words is None:
                return None
            tokens += words
    return tokens or None


def _word_tokens(text: str) -> list[str] | None:
    """wordfreq's English tokens of a text without digits, or None if it is not one this module
    cuts as wordfreq does: in NFC and case-folded (Straße: strasse), Latin letters, spaces,
    hyphens, slashes, periods and apostrophes. Tokens end at spaces, hyphens, slashes and periods
    not between two letters ("D.C.": d.c) and lose the quotes at their ends; one or two letters
    and a straight apostrophe before a vowel or h are a token of their own ("d'Or": d, or;
    "O'Brien" and "d’Or" are one); curly apostrophes are straightened once the text is cut
    ("I’ll": i'll)."""
    folded = (text if text.isascii() else unicodedata.normalize("NFC", text)).casefold()
    if not _TEXT.fullmatch(folded):
        return None
    tokens = []
    for chunk in _BREAKS.split(folded):
        chunk = chunk.strip(_QUOTES)
        while elided := _ELISION.match(chunk):
            tokens.append(elided[1])
            chunk = chunk[elided.end():]
        if chunk:
            tokens.append(chunk.translate(_UNCURLED))
    if not tokens or not all(_TOKEN.fullmatch(t) for t in tokens):
        return None  # two apostrophes together, an apostrophe next to a period
    return tokens


def load_fallback() -> None:
    """Import wordfreq and read its list now, as :func:`zipf` does for the first word its table
    cannot answer (half a second): before worker processes fork, so that they share it."""
    from wordfreq import zipf_frequency

    zipf_frequency("a", LANGUAGE)


def _zipf(freq: float) -> float:
    """wordfreq's Zipf value of a frequency, to the hundredth."""
    return round(math.log(freq, 10) + 9, 2)


def table() -> marisa_trie.RecordTrie:
    """wordfreq's English frequencies of its words of Latin letters (and apostrophes inside
    them), from the cache folder (built there first if missing or damaged: a second, once)."""
    return Artefact(f"wordfreq-{LANGUAGE}", ".marisa", _build_table,
                    dump=marisa_trie.RecordTrie.tobytes,
                    load=lambda path: marisa_trie.RecordTrie(_FORMAT).mmap(str(path)),
                    code=(__name__,), packages=("wordfreq", "marisa-trie")).get()


def _build_table() -> marisa_trie.RecordTrie:
    from wordfreq import get_frequency_dict

    freqs = get_frequency_dict(LANGUAGE, "best")
    words = ((word, freq) for word, freq in freqs.items() if _TOKEN.fullmatch(word))
    return marisa_trie.RecordTrie(_FORMAT, (
        (word, (freq,)) for word, freq in (*words, *_number_frequencies(freqs))))


def _number_frequencies(freqs: dict[str, float]) -> list[tuple[str, float]]:
    """wordfreq's frequency of each number of up to :data:`NUMBER_DIGITS` digits as a token:
    the frequency its list gives the number's digits made zeros ("04": "00"), spread by its
    estimate of how often those particular digits come (Benford's law; a year's curve for four
    digits), or a single digit's own."""
    from wordfreq.numbers import digit_freq, smash_numbers

    numbers = (str(n).zfill(width) for width in range(1, NUMBER_DIGITS + 1)
               for n in range(10 ** width))
    found = []
    for number in numbers:
        smashed = smash_numbers(number)
        if smashed in freqs:
            freq = freqs[smashed]
            found.append((number, freq if smashed == number else freq * digit_freq(number)))
    return found
