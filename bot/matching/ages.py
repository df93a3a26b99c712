"""Ages a question mentions ("my son is 9", "عمره ٨", "pesaram 11 salashe", "cocuk 17 yas"), for entries that
serve one age group (`ages:` in the FAQ).

Why: school for a newly arrived child, school at 16 to 18, a Kita place and the youth integration course share
almost all their words; what tells them apart is often only the age. On the labelled choose sets about one in
ten such questions that named an age went to the wrong group or was only suggested. Only unambiguous forms
count: an age unit that is no duration ("9 Jahre alt", "ساله", "yas"), or a number right after a child or the
writer ("Tochter 10", "сину 16", "ich bin 34"). "seit 2 Jahren hier" and "5 лет в Германии" name no age.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGIT = re.compile(r"\d")  # any script's digits
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# the word before a number that makes it someone's age ("Tochter 10", "сину 16", "pesaram 11")
_PERSON = _set(
    "sohn tochter kind kleine kleiner bruder schwester enkel son daughter child kid boy girl brother sister"
    " ابني بنتي ابنتي ولدي بني اخوي اخويا اختي ابنى بنتى پسرم دخترم بچم برادرم خواهرم pesaram dokhtaram"
    " сын сыну сына дочь дочке дочери дочка ребенку ребёнку ребенок ребёнок брат брату сестре син сину сина донька"
    " доньці доньку дитина дитині братові сестрі oglum oğlum kizim kızım cocugum çocuğum cocuk çocuk kardesim"
    " kardeşim"
)
_LINKS = frozenset({"is", "ist", "est"})  # "my son is 7"
_HEAD = _set("عمره عمرها عمرو عمرهم عمر alter age aged возраст вік yasinda yaşında")
_SELF = frozenset({("ich", "bin"), ("i", "am"), ("i", "m"), ("", "im"), ("", "мне"), ("", "мені"), ("", "عمري")})
_CHILDREN = r"kinder|children|kids|أولاد|اولاد|بچه|детей|дітей|cocuk"  # "I have 3 kids" is no age
_WORDS = re.compile(r"\w+")
_NOT_AFTER = (
    r"\s*(?:wochen|woche|monate|monat|tage|tag|jahre(?:n)? (?:hier|in|da)|weeks|week|months|month|days|day"
    r"|years? (?:here|in|ago)|ماه|روز|هفته|سال (?:است|که)|شهر|اشهر|أشهر|يوم|ايام|أيام|اسبوع|месяц\w*|недел\w*|дн\w*"
    r"|місяц\w*|тижн\w*|лет (?:в|тут|здесь|назад)|років (?:в|у|тут|тому)|ay|hafta|gun|gün|yil|yıl|uhr|euro|€|%)"
)
_NUMBER = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
_UNIT_AFTER = re.compile(
    r"\s*-?\s*(?:jahre?n?\s+alt|jährig|jaehrig|years?\s*-?\s*old|yrs?\s+old|yo\b|y/o)"
    r"|\s*(?:ساله|سالشه|سالمه|سالش|salashe|salesh|salame|saleh|sale)(?!\w)"
    r"|\s*(?:yas|yaş)"
    r"|\s*(?:лет|года|годик\w*|рок\w*|рік)\s*(?:исполнилось|виповнилось)"
)
_NOT_AN_AGE = re.compile(_NOT_AFTER)
_NOT_SELF = re.compile(r"\s*(?:" + _CHILDREN + r")")
_REACH = 30  # characters looked at before and after a number


@lru_cache(maxsize=64)
def mentioned_ages(text: str) -> frozenset[int]:
    """The ages the text names unambiguously (empty: it names none). Each number is judged by the words right
    around it: most questions name no number at all, and the rest only a few. Remembered for the last texts: the
    hybrid matcher asks for the same question's ages twice (lexical ranking, then the semantic shares)."""
    text = text[:2000]
    if _DIGIT.search(text) is None:
        return frozenset()
    folded = text.translate(_DIGITS).lower()
    found: set[int] = set()
    for number in _NUMBER.finditer(folded):
        after = folded[number.end() : number.end() + _REACH]
        words = _WORDS.findall(folded[max(0, number.start() - _REACH) : number.start()])[-2:]
        last, previous = (words[-1] if words else ""), (words[-2] if len(words) > 1 else "")
        person = last in _PERSON or (last in _LINKS and previous in _PERSON)
        writer = ((previous, last) in _SELF or ("", last) in _SELF) and not _NOT_SELF.match(after)
        if _UNIT_AFTER.match(after) or last in _HEAD or ((person or writer) and not _NOT_AN_AGE.match(after)):
            found.add(int(number.group(1)))
    return frozenset(found)
