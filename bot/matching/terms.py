"""From normalised words to matching terms: stems, filler weights, clitic variants and transliteration keys.

`normalise()` makes spelling variants equal; this module goes one step further for the matcher only, so
the crisis check and small talk keep their plain normalised words. Stemming uses the Snowball algorithms
through PyStemmer (C, ~2 µs a word); Ukrainian has no Snowball stemmer and gets a light suffix stripper;
Cyrillic words of unknown language are tried under both. Everything works on normalised tokens on both
sides (FAQ and question), so the stemmers only need to be consistent, not perfect.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from typing import Protocol

import Stemmer

from bot.matching.normalise import listed_words
from bot.matching.stopwords import FILLER, STOP

FILLER_FACTOR = 0.25  # weight left to a request verb or politeness word

_STEMMER_NAMES = {
    "de": "german",
    "en": "english",
    "tr": "turkish",
    "ru": "russian",
    "uk": "russian",
    "ar": "arabic",
    "fa": "persian",
}
_SCRIPT_LANGUAGES = {"latin": ("de", "en", "tr"), "cyrillic": ("ru", "uk"), "arabic": ("ar", "fa")}


class _StemWord(Protocol):
    def stemWord(self, word: str) -> str: ...


def _by_length(suffixes: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """Endings grouped by length, longest first: a word's ending of each length is one set lookup, where a loop
    over every ending was a third of the index build."""
    sizes = sorted({len(s) for s in suffixes}, reverse=True)
    return tuple((size, frozenset(s for s in suffixes if len(s) == size)) for size in sizes)


class PersianStemmer:
    """Light Persian stemming on normalised letters: plural, possessive and comparative endings, the verb
    prefix mi-/nemi-. Snowball's Persian stemmer expects unnormalised letters and cut "درخواست" to "درخو";
    this one measured slightly better on the dev set (fa top-1)."""

    _PREFIXES = ("نمي", "مي")
    _ENDINGS = _by_length(  # longest ending first
        (
            *("هايي", "هاي", "ها", "ترين", "تر", "ان", "ات", "يي", "اي"),
            *("ي", "م", "ت", "ش", "مان", "تان", "شان", "ام", "اش"),
        )
    )

    def stemWord(self, word: str) -> str:
        for prefix in self._PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        for size, endings in self._ENDINGS:
            if len(word) - size >= 3 and word[-size:] in endings:
                return word[:-size]
        return word


class UkrainianStemmer:
    """Light Ukrainian stemming on normalised letters (і/ї→и, є→е, й→и): reflexive -ся/-сь, then the longest
    verb, noun or adjective ending. Snowball has no Ukrainian stemmer; the Russian one left "отримують",
    "отримувати" and "отримує" as three different words."""

    LOCATIVE_RG = "рзи"  # locative of -рг: "у Гайнсберзі", "у Вегберзі"; the one ending that changes letters
    _REFLEXIVE = ("ся", "сь")
    _PAST = frozenset(("ла", "ли", "ло", "ав", "ив"))
    _ENDINGS = _by_length(  # longest ending first
        (
            *("ости", "ист", "ост"),
            *(
                "уваня",
                "юваня",
                "аня",
                "еня",
                "иня",
                "увати",
                "ювати",
                "овати",
                "ити",
                "ати",
                "яти",
                "ути",
                "ти",
                "ть",
            ),
            *("ують", "юють", "ають", "яють", "ють", "ять", "уть", "ать", "ить"),
            *("уе", "юе", "ае", "яе", "емо", "имо", "ете", "ите", "ую", "юю"),
            *("ала", "али", "ало", "ила", "или", "ило", "ла", "ли", "ло", "ав", "ив"),
            *("ами", "ями", "ого", "ему", "ому", "ими", "ових", "ови", "ов", "ев"),
            *("ах", "ях", "ою", "ею", "ям", "ам", "ом", "ем", "ии", "им", "их", "ои"),
            *("а", "я", "о", "у", "ю", "и", "е", "ь"),
        )
    )

    def stemWord(self, word: str) -> str:
        if word.endswith(self.LOCATIVE_RG):
            word = word[:-2] + "г"
        for suffix in self._REFLEXIVE:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        for size, endings in self._ENDINGS:
            suffix = word[-size:]
            if suffix in endings and len(word) - size >= (4 if suffix in self._PAST else 3):  # "школа": no "шко-"
                return word[:-size]
        return word


_CUSTOM: dict[str, _StemWord] = {"fa": PersianStemmer(), "uk": UkrainianStemmer()}
_STEMMERS: dict[str, _StemWord] = {
    lang: _CUSTOM.get(lang) or Stemmer.Stemmer(name) for lang, name in _STEMMER_NAMES.items()
}

STOP_BY_LANGUAGE = {lang: frozenset(listed_words(words)) for lang, words in STOP.items()}
STOP_WORDS = frozenset().union(*STOP_BY_LANGUAGE.values())


def script_of(token: str) -> str:
    first = token[0]
    if "\u0600" <= first <= "\u06ff":
        return "arabic"
    if "\u0400" <= first <= "\u04ff":
        return "cyrillic"
    if first.isascii() or "\u00c0" <= first <= "\u024f":
        return "latin"
    return "other"


_LANGUAGE_SCRIPT = {language: script for script, languages in _SCRIPT_LANGUAGES.items() for language in languages}


def script_of_language(language: str | None) -> str | None:
    return _LANGUAGE_SCRIPT.get(language or "")


@lru_cache(maxsize=50_000)
def stem(token: str, language: str | None) -> str:
    """The stem under the language's stemmer; a language of another script falls back to the token's script.
    Remembered (bounded): building the index stems every word of every example."""
    script = script_of(token)
    languages = _SCRIPT_LANGUAGES.get(script, ())
    if not languages or token.isdigit():
        return token
    if language not in languages:
        language = languages[0]
    return str(_STEMMERS[language or languages[0]].stemWord(token))


@lru_cache(maxsize=50_000)
def stems(token: str) -> tuple[str, ...]:
    """The token's stems under every stemmer of its script (a question's language may be wrong or mixed)."""
    script = script_of(token)
    if token.isdigit() or script not in _SCRIPT_LANGUAGES:
        return (token,)
    return tuple(dict.fromkeys(str(_STEMMERS[lang].stemWord(token)) for lang in _SCRIPT_LANGUAGES[script]))


FILLER_STEMS = frozenset(s for words in FILLER.values() for w in listed_words(words) for s in stems(w))


def _may_be_cyrillic_filler(reading: str) -> bool:
    """Whether a Cyrillic reading can stem to a filler stem. Both Cyrillic stemmers only cut endings (Ukrainian's
    "-рзи" -> "-рг" aside), so a stem is a start of the word: most readings start with no filler stem at all, and
    are not stemmed. Reading every Latin word of the examples this way was a fifth of the index build."""
    return reading.endswith(UkrainianStemmer.LOCATIVE_RG) or any(
        reading[:end] in FILLER_STEMS for end in range(1, len(reading) + 1)
    )


@lru_cache(maxsize=50_000)
def is_filler(token: str) -> bool:
    """A request verb or politeness word in any inflection ("bekommt", "bekomme", "bekommen"), also Russian or
    Ukrainian in Latin letters ("iskat", "poluchit")."""
    if any(s in FILLER_STEMS for s in stems(token)):
        return True
    return script_of(token) == "latin" and any(
        s in FILLER_STEMS for r in cyrillic_readings(token) if _may_be_cyrillic_filler(r) for s in stems(r)
    )


def reads_as(token: str, words: frozenset[str]) -> bool:
    """A Latin-letter word that, read as Russian or Ukrainian, is one of `words` ("gde" among the stop words)."""
    return script_of(token) == "latin" and any(r in words for r in cyrillic_readings(token))


def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of one language; all of them when the language is unknown."""
    return STOP_BY_LANGUAGE.get(language or "", STOP_WORDS)


# Arabic proclitics (w-, b-, l-, f-, k- and their combinations with al-) and Persian affixes: tried only when
# the word as written is unknown, so a word that merely starts with such a letter is never cut.
_AR_PREFIXES = (
    *("وبال", "وال", "بال", "فال", "كال", "عال", "هال", "ولل", "لل", "ال", "وب", "ول", "وك", "فب", "فل"),
    *("و", "ب", "ل", "ف", "ك", "ع"),
    *("بي", "بت", "بن", "من", "رح", "ح"),  # dialect verb prefixes: "بيقدر", "بتفوت", "منسجل", "رح يخلص"
)
_AR_SUFFIXES = ("هم", "ها", "نا", "كم", "ني", "لي", "لك", "له", "ه", "ك", "و")  # pronouns: "معو", "دفعلي"
_FA_PREFIXES = ("مي", "نمي", "ب", "ن")
_FA_SUFFIXES = ("هاي", "هايي", "ها", "اي", "يي", "ي", "م", "ت", "ش", "مان", "تان", "شان", "ام", "است", "ست")


@lru_cache(maxsize=50_000)
def clitic_variants(token: str) -> tuple[str, ...]:
    """Arabic-script words with clitics or Persian affixes stripped, longest remainder first."""
    if script_of(token) != "arabic" or len(token) < 4:
        return ()
    found: list[str] = []
    for prefix in _AR_PREFIXES + _FA_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            found.append(token[len(prefix) :])
    bases = [token, *found]
    for base in bases:
        for suffix in _FA_SUFFIXES + _AR_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                found.append(base[: -len(suffix)])
    # normalise() cut a leading "ال" from the FAQ's words: do the same for what a clitic uncovered ("لالاقي")
    found += [v[2:] for v in found if v.startswith("ال") and len(v) >= 5]
    return tuple(dict.fromkeys(v for v in found if v != token))


# -- transliteration keys ---------------------------------------------------------------------------------
# German loanwords written in Arabic, Persian or Cyrillic letters ("اوسبیلدونگ", "кіта", "جوب سنتر") and the
# Latin originals are reduced to one consonant skeleton: vowels dropped, similar sounds merged.

_LATIN_RULES = (
    ("tsch", "J"),
    ("dsch", "J"),
    ("sch", "S"),
    ("ch", "H"),
    ("ck", "K"),
    ("qu", "KF"),
    ("ph", "F"),
    ("th", "T"),
    ("tz", "S"),
    ("ts", "S"),
    ("ce", "Se"),
    ("ci", "Si"),
    ("z", "S"),
)
_LATIN_LETTERS = str.maketrans(
    {
        "b": "B",
        "p": "B",
        "d": "T",
        "t": "T",
        "g": "K",
        "k": "K",
        "c": "K",
        "q": "K",
        "x": "KS",
        "s": "S",
        "f": "F",
        "v": "F",
        "w": "F",
        "l": "L",
        "m": "M",
        "n": "N",
        "r": "R",
        "j": "J",
        "h": "",
    }
)
_OTHER_LETTERS = str.maketrans(
    {
        # Arabic / Persian (after normalise: پ→ب, چ→ج, ژ→ز, گ→غ, ک→ك)
        "ب": "B",
        "ت": "T",
        "ط": "T",
        "د": "T",
        "ض": "T",
        "ث": "S",
        "س": "S",
        "ص": "S",
        "ز": "S",
        "ذ": "S",
        "ظ": "S",
        "ش": "S",
        "ج": "J",
        "ح": "H",
        "خ": "H",
        "ه": "",
        "ك": "K",
        "ق": "K",
        "غ": "K",
        "ف": "F",
        "و": "",
        "ل": "L",
        "م": "M",
        "ن": "N",
        "ر": "R",
        "ا": "",
        "ي": "",
        "ع": "",
        "ء": "",
        # Cyrillic (after normalise: ё→е, і/ї/й/ы→и, ґ→г, ъ→ь)
        "б": "B",
        "п": "B",
        "д": "T",
        "т": "T",
        "г": "K",
        "к": "K",
        "х": "H",
        "с": "S",
        "з": "S",
        "ц": "S",
        "ш": "S",
        "щ": "S",
        "ж": "S",
        "ч": "J",
        "ф": "F",
        "в": "F",
        "л": "L",
        "м": "M",
        "н": "N",
        "р": "R",
    }
)
_NOT_CONSONANT = re.compile("[^A-Z]")
MIN_SKELETON = 4  # shorter skeletons collide too often ("kita" -> KT, "педиатр" -> BTR like "abitur")


def latin_skeleton(token: str) -> str:
    for old, new in _LATIN_RULES:
        token = token.replace(old, new)
    key = _NOT_CONSONANT.sub("", token.translate(_LATIN_LETTERS))
    return _single(key)


def other_skeletons(token: str) -> tuple[str, ...]:
    """Arabic-script "و" is a vowel inside a word but German "w" at its start ("وونگلد", Wohngeld)."""
    key = _single(_NOT_CONSONANT.sub("", token.translate(_OTHER_LETTERS)))
    if token.startswith("و"):
        return (key, "F" + key)
    return (key,)


def _single(key: str) -> str:
    """Each run of one consonant class once ("SS" -> "S"). groupby, not re.sub with a template: the template
    was parsed on every call and cost a tenth of the index build."""
    return "".join(letter for letter, _ in groupby(key))


# -- Russian and Ukrainian in Latin letters ---------------------------------------------------------------
# People on a phone without a Cyrillic keyboard write "gde poluchit kindergeld" or "shcho robyty z dopomogoyu".
# A Latin word the index does not know is read back into (normalised) Cyrillic and looked up there. Only the
# usual informal spellings are covered; "h" is "х" in Russian spellings and "г" in Ukrainian ones, so both.

_CYRILLIC_SEQUENCES = (
    ("shch", ("щ",)),
    ("sch", ("щ",)),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("ts", ("ц",)),
    ("tz", ("ц",)),
    ("ya", ("я",)),
    ("ja", ("я",)),
    ("yu", ("ю",)),
    ("ju", ("ю",)),
    ("ye", ("е",)),
    ("je", ("е",)),
    ("yo", ("е",)),
    ("jo", ("е",)),
    ("yi", ("и",)),
    ("ji", ("и",)),
    ("a", ("а",)),
    ("b", ("б",)),
    ("v", ("в",)),
    ("w", ("в",)),
    ("g", ("г",)),
    ("h", ("х", "г")),
    ("d", ("д",)),
    ("e", ("е",)),
    ("z", ("з",)),
    ("i", ("и",)),
    ("y", ("и",)),
    ("j", ("и",)),
    ("k", ("к",)),
    ("q", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("f", ("ф",)),
    ("c", ("ц",)),
    ("x", ("кс",)),
)
MAX_READINGS = 4
_LATIN_VOWELS = frozenset("aeiouy")
# the sequences by their first letter, in the order above (longest first): the reading looks at a handful of
# candidates per letter instead of all of them, which took a fifth off the index build
_SEQUENCES_BY_LETTER: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    letter: tuple(pair for pair in _CYRILLIC_SEQUENCES if pair[0][0] == letter)
    for letter in dict.fromkeys(latin[0] for latin, _ in _CYRILLIC_SEQUENCES)
}


@lru_cache(maxsize=50_000)
def cyrillic_readings(token: str) -> tuple[str, ...]:
    """A Latin-letter word read as Russian or Ukrainian ("pomogite" -> "помогите"); () for words with other
    letters (digits, accents). At most MAX_READINGS, the Russian reading of "h" first, and "-t" also as the
    infinitive's "-ть"."""
    readings = [""]
    i = 0
    while i < len(token):
        for latin, cyrillic in _SEQUENCES_BY_LETTER.get(token[i], ()):
            if token.startswith(latin, i):
                if latin[0] in "yj" and len(latin) == 2 and i and token[i - 1] not in _LATIN_VOWELS:
                    cyrillic = (*cyrillic, "ь" + cyrillic[0])  # "ubyet", "semya": "убьет", "семья"
                readings = [r + c for r in readings for c in cyrillic][:MAX_READINGS]
                i += len(latin)
                break
        else:
            return ()
    if token.endswith("t"):  # an infinitive without its soft sign: "zapisat", "poluchit"
        readings += [r + "ь" for r in readings]
    if token.endswith(("tsya", "tsa")):  # the reflexive "-ться"/"-тся": "zapisatsya", "ne prosnutsya"
        bases = dict.fromkeys(r[: -len(e)] for r in readings for e in ("цья", "ця", "ца") if r.endswith(e))
        readings = [b + e for b in bases for e in ("ться", "тся")] + readings
    return tuple(readings[:MAX_READINGS])


def forget() -> None:
    """Empty every memo of this module (stems, fillers, clitics, readings): benchmarks measure a cold start."""
    for memo in (stem, stems, is_filler, clitic_variants, cyrillic_readings):
        memo.cache_clear()
