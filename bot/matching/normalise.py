"""Text normalisation per script, so spelling variants of one word become one token.

Both the FAQ's example questions and incoming messages go through the same function, so a mapping
only has to be consistent, not linguistically perfect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

MAX_CHARS = 1000  # a question longer than this is cut: nobody asks an FAQ question in 4000 characters

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ې": "ي",
        "ک": "ك",
        "ؤ": "و",
        "ة": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "گ": "غ",  # German "g" is written گ in Persian and غ in Arabic transliterations
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
# "عال" is spoken "على ال" ("عالمدرسة" = to the school); only before 4+ letters, so "عالمية" stays a word
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "عال", "لل", "ال")
_CYRILLIC_MAP = str.maketrans({"ё": "е", "є": "е", "ї": "и", "і": "и", "й": "и", "ґ": "г", "ъ": "ь", "ы": "и"})
LATIN_MAP = str.maketrans({"ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"})
UMLAUT_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)")
_REPEATS = re.compile(r"(\D)\1+")  # letters typed twice ("hilfeee"); not digits: "112" is no "12", "116117" no "1617"
APOSTROPHES = re.compile("['’ʼ`´]")


def _is_invisible(char: str) -> bool:
    """Zero-width, bidi and other format/control characters that users paste by accident."""
    return unicodedata.category(char) in {"Cf", "Cc", "Cs", "Co", "Cn"}


# the accents of Latin (and, decomposed, Cyrillic "й", "ё"): combining marks below U+0370, as a character class: a
# regular expression removes them from a long text in C, where translate() with a dict looked every character up
# in Python's mapping protocol (a sixth of normalise())
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(code) for code in range(0x300, 0x370) if unicodedata.combining(chr(code))) + "]"
)
_LATIN_SPECIAL = re.compile("[" + "".join(chr(code) for code in LATIN_MAP) + "]")  # "ß", "ı", ...: rare


def strip_latin_marks(text: str) -> str:
    if text.isascii():  # nothing to decompose: most German, English and Turkish-without-letters texts
        return text
    return _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text))


def latin_letters(text: str) -> str:
    """"ß" as "ss", Turkish "ı" as "i" and the other special Latin letters of LATIN_MAP as plain ones."""
    if text.isascii():  # a flag of the string in CPython: no scan for the many texts without such a letter
        return text
    return text.translate(LATIN_MAP) if _LATIN_SPECIAL.search(text) else text


class WordChars(dict[int, int]):
    """A translate table that keeps the characters `keep` accepts and makes every other one a space. Filled per
    character on first sight, so `str.translate` does the work in C afterwards."""

    def __init__(self, keep: Callable[[str], bool]) -> None:
        super().__init__()
        self.keep = keep

    def __missing__(self, code: int) -> int:
        value = code if self.keep(chr(code)) else 0x20
        self[code] = value
        return value


# letters, digits and non-spacing marks
_WORD_CHARS = WordChars(lambda char: char.isalnum() or unicodedata.category(char) == "Mn")
_ASCII_NON_WORD = re.compile("[^0-9a-z]")  # after casefold(), ASCII letters are lower-case
_CYRILLIC_WORDS = re.compile("[\u0400-\u04ff]+(?: [\u0400-\u04ff]+)*")  # words of Cyrillic letters only


def _latin_words(words: str) -> str:
    """Latin words, one or many one space apart, as the index keeps them ("Strasse", "fuer" -> "strase", "fur").
    LATIN_MAP again: plain() applied it before NFD, and a precomposed "ǿ" becomes "ø" only after that."""
    return _REPEATS.sub(_first_letter, UMLAUT_DIGRAPHS.sub(_first_of_digraph, latin_letters(words)))


def _cyrillic_words(words: str) -> str:
    """Cyrillic words, one or many one space apart, with Ukrainian and Russian letter variants made one."""
    return _REPEATS.sub(_first_letter, words.translate(_CYRILLIC_MAP))


def _arabic_word(token: str) -> str:
    """One word of Arabic script: letter variants made one, the article or a clitic before it stripped."""
    token = token.translate(_ARABIC_MAP)
    for prefix in _ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= (4 if prefix == "عال" else 3):
            token = token[len(prefix) :]
            break
    return _REPEATS.sub(_first_letter, token)


@lru_cache(maxsize=1 << 16)
def _token(token: str) -> str:
    """One word by the script of its first letter; normalise_whole takes a whole text of one script at once."""
    first = token[0]
    if "\u0600" <= first <= "\u06ff":
        return _arabic_word(token)
    if "\u0400" <= first <= "\u04ff":
        return _cyrillic_words(token)
    if first.isascii() or "\u00c0" <= first <= "\u024f":
        return _latin_words(token)
    return _REPEATS.sub(_first_letter, token)


def _first_of_digraph(match: re.Match[str]) -> str:
    return match.group(1)[0]  # "ae" -> "a", as "ä" became "a"


def _first_letter(match: re.Match[str]) -> str:
    """The letter of a run, as a function: re.sub looked a template ("\\1") up on every call, a tenth of _token."""
    return match.group(1)


def plain(text: str) -> str:
    """Case-folded NFKC without apostrophes, Latin accents and special letters, or Arabic diacritics:
    the steps the matcher and the crisis check (bot/crisis/text.py) share before each splits words its way."""
    text = APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    text = strip_latin_marks(latin_letters(text))
    return text if text.isascii() else ARABIC_DIACRITICS.sub("", text)  # after NFD, which splits hamza-below off


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case, script-normalised, punctuation-free words separated by single spaces."""
    return normalise_whole(text[:MAX_CHARS])


def normalise_whole(text: str) -> str:
    """normalise() without its cut at MAX_CHARS and without its memo: a long text read once (an answer)."""
    text = text.replace("\u200c", " ")  # Persian zero-width non-joiner separates parts
    if not text.isprintable():  # every invisible character is unprintable; most texts have none
        text = "".join(" " if _is_invisible(c) else c for c in text)
    text = plain(text)
    if text.isascii():  # every word takes _token()'s Latin path: done on the whole text at once, in C
        return _latin_words(" ".join(_ASCII_NON_WORD.sub(" ", text).split()))  # one space apart: no run spans two
    words = " ".join(text.translate(_WORD_CHARS).split())
    if _CYRILLIC_WORDS.fullmatch(words):  # likewise _token()'s Cyrillic path: every word starts with such a letter
        return _cyrillic_words(words)
    return " ".join([_token(t) for t in words.split()])


def tokens(text: str) -> list[str]:
    return normalise(text).split()


def listed_words(listing: str) -> list[str]:
    """The normalised words of a word list written in code (stop words, cue words), each word on its own:
    normalise() cuts a text at MAX_CHARS, which once silently dropped the end of the longer lists."""
    return [token for word in listing.split() for token in normalise(word).split()]


def forget() -> None:
    """Empty every memo of this module (texts, words, characters): benchmarks measure a cold start."""
    normalise.cache_clear()
    _token.cache_clear()
    _WORD_CHARS.clear()
