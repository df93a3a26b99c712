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

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_N = r"(\d{1,2})(?!\d)"
_PERSON = (
    r"sohn|tochter|kind|kleine|kleiner|bruder|schwester|enkel|son|daughter|child|kid|boy|girl|brother|sister"
    r"|ابني|بنتي|ابنتي|ولدي|بني|اخوي|اخويا|اختي|ابنى|بنتى|پسرم|دخترم|بچه‌ام|بچه ام|بچم|برادرم|خواهرم|pesaram|dokhtaram"
    r"|сын|сыну|сына|дочь|дочке|дочери|дочка|ребенку|ребёнку|ребенок|ребёнок|брат|брату|сестре|син|сину|сина|донька"
    r"|доньці|доньку|дитина|дитині|братові|сестрі|oglum|oğlum|kizim|kızım|cocugum|çocuğum|cocuk|çocuk|kardesim|kardeşim"
)
_SELF = r"ich bin|i am|i'm|im|мне|мені|عمري|عمرى"
_CHILDREN = r"kinder|children|kids|أولاد|اولاد|بچه|детей|дітей|cocuk"  # "I have 3 kids" is no age
_HEAD = r"عمره|عمرها|عمرو|عمرهم|عمر|alter|age|aged|возраст|вік|yasinda|yaşında"
_NOT_AFTER = (
    r"\s*(?:wochen|woche|monate|monat|tage|tag|jahre(?:n)? (?:hier|in|da)|weeks|week|months|month|days|day"
    r"|years? (?:here|in|ago)|ماه|روز|هفته|سال (?:است|که)|شهر|اشهر|أشهر|يوم|ايام|أيام|اسبوع|месяц\w*|недел\w*|дн\w*"
    r"|місяц\w*|тижн\w*|лет (?:в|тут|здесь|назад)|років (?:в|у|тут|тому)|ay|hafta|gun|gün|yil|yıl|uhr|euro|€|%)"
)
_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        _N + r"\s*-?\s*(?:jahre?n?\s+alt|jährig\w*|jaehrig\w*|years?\s*-?\s*old|yrs?\s+old|yo|y/o)\b",
        _N + r"\s*(?:ساله|سالشه|سالمه|سالش|salashe|salesh|salame|saleh|sale)(?!\w)",
        _N + r"\s*(?:yas|yaş)\w*",
        _N + r"\s*(?:лет|года|годик\w*|рок\w*|рік)\s*(?:исполнилось|виповнилось)",
        r"(?:" + _HEAD + r")\s*:?\s*" + _N,
        r"(?:" + _PERSON + r")\s*(?:is|ist|est|-|,)?\s*" + _N + r"(?!" + _NOT_AFTER + r")",
        r"(?<!\w)(?:" + _SELF + r")\s+" + _N + r"(?!" + _NOT_AFTER + r")(?!\s*(?:" + _CHILDREN + r"))",
    )
)


def mentioned_ages(text: str) -> frozenset[int]:
    """The ages the text names unambiguously (empty: it names none)."""
    folded = text[:2000].translate(_DIGITS).lower()
    found: set[int] = set()
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            found.add(int(match.group(1)))
    return frozenset(found)
