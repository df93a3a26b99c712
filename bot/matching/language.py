"""Guess a message's language from its script and a few cue words, for users who chose none."""

from __future__ import annotations

from bot.matching.normalise import listed_words, tokens
from bot.matching.terms import STOP_BY_LANGUAGE, STOP_WORDS, cyrillic_readings

_PERSIAN_LETTERS = set("پچژگکی")
_UKRAINIAN_LETTERS = set("іїєґ")
_RUSSIAN_LETTERS = set("ыэъё")
_TURKISH_LETTERS = set("şğıİ")
_GERMAN_LETTERS = set("äöüß")

_CUE_WORDS: dict[str, str] = {
    "de": "ich wie wo was wann bin ist und nicht mein meine brauche kann muss der die das ein eine "
    "mit fur bei habe haben wir sie hilfe bitte",
    "en": "i how where what when are and not my need can must the a an with for have we you help "
    "please do does get to",
    "tr": "ben nasil nerede ne zaman var yok ve icin bir benim lazim istiyorum yardim misin mi mu "
    "nereye nasl alabilirim hangi nedir kac gerekiyor olur",
    "ru": "я как где что когда мне нужно можно и не мои мой для это есть помогите пожалуиста",
    "uk": "я як де що коли мени потрибно можна и не мии мои для це е допоможить будь ласка",
    "fa": "من چطور كجا چه كي مي خواهم ميخواهم براي است هست نيست و را از كمك لطفا",
    "ar": "انا كيف وين اين ماذا شو متى بدي اريد ممكن في من على عن هل لو سمحت مساعده",
}
_CUES = {lang: frozenset(listed_words(words)) for lang, words in _CUE_WORDS.items()}
# Turkish verb endings (present continuous, "can I"), typed without Turkish letters: "is ariyorum" has no cue word,
# and English "is" took the question for a stop word
_TURKISH_ENDINGS = ("iyorum", "uyorum", "iyoruz", "uyoruz", "iyor", "uyor", "abilirim", "ebilirim", "abilir", "ebilir")


def detect_language(text: str) -> str | None:
    """Return one of our language codes, or None when the text gives no clue (digits, emoji)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    words = set(tokens(text))
    if arabic >= max(cyrillic, latin):
        if any(c in _PERSIAN_LETTERS for c in text):
            return "fa"
        return _by_cues(words, ("ar", "fa")) or "ar"
    if cyrillic >= latin:
        if any(c in _UKRAINIAN_LETTERS for c in text.lower()):
            return "uk"
        if any(c in _RUSSIAN_LETTERS for c in text.lower()):
            return "ru"
        return _by_cues(words, ("ru", "uk")) or "ru"
    if any(c in _TURKISH_LETTERS for c in text):
        return "tr"
    cue = _by_cues(words, ("de", "en", "tr"))
    slavic, hits = _latin_slavic(words)
    if hits > _latin_cue_count(words):  # more words read as Russian/Ukrainian than as German, English or Turkish
        return slavic  # None when too few of the message's words do: then unsure rather than "en"
    if cue:
        return cue
    if any(c in _GERMAN_LETTERS for c in text.lower()):
        return "de"
    return None


def _by_cues(words: set[str], languages: tuple[str, ...]) -> str | None:
    scores = {lang: _cue_count(words, lang) for lang in languages}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return best


_LATIN_FUNCTION_WORDS = frozenset(w for w in STOP_WORDS if w.isascii()) | _CUES["de"] | _CUES["en"] | _CUES["tr"]


def _latin_slavic(words: set[str], least: int = 2, share: int = 4) -> tuple[str | None, int]:
    """Russian or Ukrainian typed in Latin letters ("gde mne poluchit", "shcho robyty yakshcho"): how many
    words read as their function words. Single letters and function words of a Latin-script language ("i",
    "ne", "to", Finglish "man") do not count. Two such words, and a quarter of all, are needed; the language
    with more words of its own wins, Russian on a tie (the chosen language wins over the guess anyway)."""
    found = 0
    ru = uk = 0
    for word in words - _LATIN_FUNCTION_WORDS:
        if len(word) < 2:  # Arabizi "w", "b"
            continue
        readings = cyrillic_readings(word)
        in_ru = any(r in STOP_BY_LANGUAGE["ru"] for r in readings)
        in_uk = any(r in STOP_BY_LANGUAGE["uk"] for r in readings)
        found += in_ru or in_uk
        ru += in_ru and not in_uk
        uk += in_uk and not in_ru
    if found < least or found * share < len(words):  # two in a long Finglish or Arabizi message are chance
        return None, found
    return ("uk" if uk > ru else "ru"), found


def latin_russian_or_ukrainian(text: str) -> bool:
    """The message may be Russian or Ukrainian typed in Latin letters: a looser test than detect_language's
    (one word in ten reading as a Russian or Ukrainian function word, and at least as many as a Latin-script
    language's cue words), for the crisis check: "muzh zaper menya v kvartire" has one such word."""
    words = set(tokens(text[:1000]))
    slavic, found = _latin_slavic(words, least=1, share=10)
    return slavic is not None and found >= _latin_cue_count(words)


def _cue_count(words: set[str], language: str) -> int:
    found = len(words & _CUES[language])
    if language == "tr":  # and the words with a Turkish verb ending that are no cue word already
        found += sum(1 for word in words - _CUES["tr"] if len(word) > 5 and word.endswith(_TURKISH_ENDINGS))
    return found


def _latin_cue_count(words: set[str]) -> int:
    """Cue words of the Latin-script language the message has most of."""
    return max(_cue_count(words, lang) for lang in ("de", "en", "tr"))
