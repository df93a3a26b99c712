"""Which UI texts make up the crisis reply: 112 and 110 first, then the helpline that fits the situation.

The texts live in knowledge/texts/<lang>.yaml (`crisis_numbers`, `crisis_<situation>`); the generic `crisis`
text (all numbers) serves when the situation is unknown (the second net). The person's language is the
message's own when it is clearly another language than the chosen one.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.matching.language import detect_language, latin_russian_or_ukrainian

# situation kind (crisis.yaml) -> the text with its helpline and a warm line
SITUATION_TEXT = {
    "violence": "crisis_violence",
    "threat": "crisis_violence",
    "sexual": "crisis_violence",
    "forced_marriage": "crisis_forced_marriage",
    "suicide": "crisis_suicide",
    "selfharm": "crisis_suicide",
    "child": "crisis_child",
    "medical": "crisis_medical",
    "fire": "crisis_fire",
    "exploitation": "crisis_exploitation",
}
GENERAL_TEXT = "crisis"
NUMBERS_TEXT = "crisis_numbers"
BUTTON_TEXT = "button_human_now"
MAX_SITUATIONS = 2  # more helplines in one message would hide the first ones
_SAME_SCRIPT = ({"ar", "fa"}, {"ru", "uk"})


def situation_texts(kinds: Iterable[str]) -> list[str]:
    """The text keys for the situations found, most specific first, without repeats; [] = generic."""
    keys: list[str] = []
    for kind in kinds:
        key = SITUATION_TEXT.get(kind)
        if key and key not in keys:
            keys.append(key)
    return keys[:MAX_SITUATIONS]


def reply_language(text: str, chosen: str | None, rule_language: str | None) -> str | None:
    """The message's language when it clearly differs from the chosen one; else the chosen one.

    Arabic/Persian and Russian/Ukrainian share a script and many words: there the chosen language wins,
    because a guess between them from a short message is unreliable.
    """
    detected = detect_language(text[:1000])
    if detected is None and rule_language in ("ru", "uk") and latin_russian_or_ukrainian(text):
        detected = rule_language  # "pomogite muzh zaper menya": a Russian rule fired on Latin letters
    if detected is None or chosen is None:
        return chosen or detected or rule_language
    if detected != chosen and any({detected, chosen} <= pair for pair in _SAME_SCRIPT):
        return chosen
    return detected
