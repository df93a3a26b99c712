"""Greetings and thanks are not questions: answering them from the FAQ would be a wrong answer."""

from __future__ import annotations

import enum

from bot.matching.normalise import normalise


class SmallTalk(enum.Enum):
    GREETING = "greeting"
    THANKS = "thanks"


_GREETINGS = [
    "hallo",
    "hi",
    "hey",
    "hello",
    "moin",
    "servus",
    "guten",
    "tag",
    "morgen",
    "abend",
    "salam",
    "salaam",
    "selam",
    "merhaba",
    "mrhaba",
    "marhaba",
    "привет",
    "здравствуите",
    "добрии",
    "день",
    "вечер",
    "привит",
    "вітаю",
    "доброго",
    "дня",
    "слава",
    "مرحبا",
    "السلام",
    "عليكم",
    "سلام",
    "اهلا",
    "هلا",
    "درود",
    "صباح",
    "الخير",
    "مساء",
    "سلام",
    "عليكم",
    "hola",
    "bonjour",
]
_THANKS = [
    "danke",
    "dankeschon",
    "vielen",
    "dank",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "merci",
    "спасибо",
    "спасиба",
    "дякую",
    "дуже",
    "благодарю",
    "teşekkürler",
    "tesekkurler",
    "tesekkur",
    "teşekkür",
    "sagol",
    "sağol",
    "شكرا",
    "مشكور",
    "يسلمو",
    "ممنون",
    "مرسی",
    "مرسي",
    "متشکرم",
    "تشكر",
]
_GREETING_WORDS = frozenset(normalise(w) for w in _GREETINGS)
_THANKS_WORDS = frozenset(normalise(w) for w in _THANKS)
_FILLER = frozenset(
    normalise(w) for w in ["you", "very", "much", "so", "viel", "sehr", "schon", "alle", "all", "ok", "okay"]
)


def detect_small_talk(text: str) -> SmallTalk | None:
    """Only when the whole message is a greeting or thanks; "hallo, wo ist das jobcenter" is a question."""
    words = normalise(text).split()
    if not words or len(words) > 4:
        return None
    content = [w for w in words if w not in _FILLER]
    if content and all(w in _THANKS_WORDS for w in content):
        return SmallTalk.THANKS
    if content and all(w in _GREETING_WORDS for w in content):
        return SmallTalk.GREETING
    return None
