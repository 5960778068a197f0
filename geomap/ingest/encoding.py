"""Decoding the bytes of a text file: UTF-8, a byte-order mark, the encoding the user gives, or
the one charset-normalizer detects — checked.

The detector ranks the decodings of bytes by how messy and how coherent their text is; on short
texts a wrong code page can win (a Windows-1252 text with «guillemets» read as ISO-8859-2 shows
``Ťguillemetsť``, letters no language of the text writes). So its choice is checked: a decoding
with characters unusual for the language detected in it (a Latin letter outside that
language's alphabet, a letter of another script inside a word, a symbol between two letters, a
control character) loses to Windows-1252, 1251 or 1250 where one of those reads the bytes with
fewer (UTF-8, tried first, has already failed).
"""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError

if TYPE_CHECKING:  # charset-normalizer is imported where needed: UTF-8 files need none of it
    from charset_normalizer import CharsetMatch

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Tried first, as news sites use them; short texts fit many encodings, and ties go to the earliest.
COMMON_ENCODINGS = ("cp1252", "cp1251", "cp1250", "koi8_r", "koi8_u", "cp1253", "cp1254", "cp1257",
                    "iso8859_15", "iso8859_2", "iso8859_5")
ALTERNATIVES = ("cp1252", "cp1251", "cp1250")  # what a decoding with unusual characters may lose to
SAMPLE = 100_000  # characters of a decoding judged by their unusual characters
MAX_CHAOS = 0.2  # charset-normalizer's mess ratio above which a decoding is not believed
MAX_CONTROL_SHARE = 0.01  # control characters in more of the text than this: binary
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Unicode Cc but \t\n\v\f\r
IN_WORD_MARKS = "'’‘‐‑-·.&"  # non-letters at home between two letters

log = logging.getLogger(__name__)


def check_encoding(name: str) -> str:
    """``name`` if Python knows it as a text encoding; raises :class:`InputError` otherwise."""
    try:
        codecs.lookup(name)
    except (LookupError, TypeError) as e:
        raise InputError(f"unknown encoding {name!r} (examples: cp1252, cp1251, latin-1, "
                         "koi8_r)") from e
    return name


def decode(raw: bytes, path: Path, encoding: str | None = None) -> tuple[str, str | None]:
    """The text of a file and, when it is not UTF-8, the encoding it was read as: UTF-8 (or
    UTF-16/32 with a BOM; the BOM is dropped), else ``encoding`` if given, else the encoding
    detected, with a warning naming it. Binary data raises :class:`InputError`."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return _checked_text(_decode_as(raw, codec, path, "starts with a {} byte-order mark "
                                            "but is not {}"), path), None
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: binary file, not an article")
    try:
        return _checked_text(raw.decode("utf-8"), path), None
    except UnicodeDecodeError:
        pass
    if encoding is not None:
        return _checked_text(_decode_as(raw, encoding, path, "not UTF-8, nor {} as given"),
                             path), encoding
    text, detected = detect(raw, path)
    log.warning("%s: not UTF-8; read as %s (detected; --encoding or a sidecar's encoding: "
                "to read it otherwise)", path, detected)
    return _checked_text(text, path), detected


def _decode_as(raw: bytes, codec: str, path: Path, message: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: {message.format(codec, codec)} (byte {e.start})") from e


def detect(raw: bytes, path: Path) -> tuple[str, str]:
    """``(text, encoding)`` of bytes that are not UTF-8, by charset-normalizer (the common news
    encodings first, then any it knows), its choice checked (see the module's docstring)."""
    import charset_normalizer

    for isolation in (list(COMMON_ENCODINGS), None):
        matches = [m for m in charset_normalizer.from_bytes(raw, cp_isolation=isolation)
                   if m.chaos <= MAX_CHAOS]
        if matches:
            best = min(matches, key=_rank)
            return checked(raw, str(best), _name(best))
    raise InputError(f"{path}: not text in any encoding geomap knows; save it as UTF-8 or give "
                     "its encoding (--encoding, or encoding: in its sidecar)")


def checked(raw: bytes, text: str, encoding: str) -> tuple[str, str]:
    """``(text, encoding)`` as detected, unless its text has characters unusual for its language
    and one of :data:`ALTERNATIVES` reads ``raw`` with fewer (the first of the fewest)."""
    best, fewest = (text, encoding), unusual(text[:SAMPLE])
    for alternative in ALTERNATIVES:
        if not fewest:
            break
        try:
            other = raw.decode(alternative)
        except UnicodeDecodeError:
            continue
        if (count := unusual(other[:SAMPLE])) < fewest:
            best, fewest = (other, alternative), count
    return best


def _rank(match: CharsetMatch) -> tuple[float, float, int]:
    """Least mess, then most coherent, then the most common encoding."""
    return round(match.chaos, 2), -round(match.coherence, 2), _common(match)


def _common(match: CharsetMatch) -> int:
    names = [match.encoding, *match.could_be_from_charset]
    return min((COMMON_ENCODINGS.index(n) for n in names if n in COMMON_ENCODINGS),
               default=len(COMMON_ENCODINGS))


def _name(match: CharsetMatch) -> str:
    """The most common name of the encodings that read the bytes as ``match`` does."""
    index = _common(match)
    return COMMON_ENCODINGS[index] if index < len(COMMON_ENCODINGS) else match.encoding


def unusual(text: str) -> int:
    """How many characters of ``text`` are unusual for the languages charset-normalizer finds
    in it: a Latin letter outside their alphabets (their frequent letters; ASCII letters are
    usual in any), a letter of another script than a letter beside it, a symbol between two
    letters, a control character. Words wholly in another script (a Cyrillic quote in an
    English text) are usual."""
    from charset_normalizer.cd import coherence_ratio
    from charset_normalizer.constant import FREQUENCIES

    languages = [language for language, _ in coherence_ratio(text)[:3]]
    alphabet = {c for language in languages for c in FREQUENCIES.get(language, ())}
    count = 0
    for i, c in enumerate(text):
        if c.isascii() and c != "\x7f":
            continue
        before, after = text[i - 1:i], text[i + 1:i + 2]
        if c.isalpha():
            script = _script(c)
            foreign = script == "LATIN" and c.lower() not in alphabet
            mixed = any(n.isalpha() and _script(n) != script for n in (before, after))
            count += foreign or mixed
        elif unicodedata.category(c)[0] == "C" and c not in "\t\n\r\f\v":
            count += 1
        else:
            count += before.isalpha() and after.isalpha() and c not in IN_WORD_MARKS
    return count


def _script(letter: str) -> str:
    """The script a letter belongs to, as the first word of its Unicode name (LATIN,
    CYRILLIC…)."""
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0]


def _checked_text(text: str, path: Path) -> str:
    """``text``, unless control characters show it is binary data."""
    controls = len(CONTROL_CHARACTERS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: binary file, not an article")
    return text
