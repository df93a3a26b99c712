""" "I want to talk to a person", typed in words: a request, not an FAQ question.

Answering it from the FAQ cost the newcomer an article, a yes/no and two more messages. A short message
that names a person (human, counsellor, someone...) together with talking, wanting or needing opens the
request at once. Long messages stay questions: "how do I talk to someone at the immigration office about
my residence permit" is an FAQ question, not a request for us.
"""

from __future__ import annotations

from bot.matching.normalise import normalise

MAX_WORDS = 9

# word beginnings per language (normalised when loaded): a token counts when it starts with one of them
_PERSON = " ".join(
    [
        "mensch person mitarbeiter berater ansprechpartner",  # de ("beratung" would take "Beratungshilfe")
        "human agent counsel advis staff operator",  # en
        "insan kisi danisman gorevli yetkili temsilci",  # tr
        "человек людин людьми оператор консультант сотрудник працивник живим живои",  # ru, uk
        "شخص انسان موظف مستشار ادم كارمند مشاور",  # ar, fa
    ]
).split()
_TALK_OR_WANT = " ".join(
    [
        "sprech sprich rede reden will mocht brauch bitte kontakt echt",  # de
        "talk speak want need chat real please contact connect",  # en
        "konus gorus baglan istiyor isterim lazim gerek lutfen gercek",  # tr
        "поговор говор соедин зєдна переключ перевед жив хочу нуж связ потриб зв будь пожалуиста",  # ru, uk
        "اتكلم اتحدث تكلم تحدث احكي اريد بدي ابغي اود حقيقي تواصل",  # ar
        "صحبت وصل حرف ميخواه ميخوام خواه لطفا تماس واقعي",  # fa
    ]
).split()
# "someone" alone is no request ("I want to report someone who robbed me"): it needs a verb of talking
_SOMEONE = ["jemand", "someone", "somebody", "biri", "حدا", "احد", "كسي"]
_TALK = [
    "sprech",
    "sprich",
    "rede",
    "reden",
    "talk",
    "speak",
    "chat",
    "konus",
    "gorus",
    "поговор",
    "говор",
    "احكي",
    "اتكلم",
    "تكلم",
    "اتحدث",
    "تحدث",
    "صحبت",
]
_PERSON_STEMS = tuple(normalise(w) for w in _PERSON)
_SOMEONE_STEMS = tuple(normalise(w) for w in _SOMEONE)
_TALK_ONLY_STEMS = tuple(normalise(w) for w in _TALK)
_TALK_STEMS = tuple(normalise(w) for w in _TALK_OR_WANT)


_CLITICS = "بلوفك"  # Arabic/Persian letters that stick to the next word ("بشخص": with a person)
_SLACK = 6  # a word may go on this far beyond its beginning (endings, cases)


def _matches(token: str, stem: str) -> bool:
    if token.startswith(stem) and len(token) <= len(stem) + _SLACK:
        return True
    rest = token[1:]
    return bool(rest) and token[0] in _CLITICS and _matches(rest, stem)


def _has(tokens: list[str], stems: tuple[str, ...]) -> bool:
    return any(_matches(token, stem) for token in tokens for stem in stems if stem)


def wants_person(text: str) -> bool:
    """True for "I want to talk to a person" and its kin in the seven languages."""
    tokens = normalise(text).split()
    if not tokens or len(tokens) > MAX_WORDS:
        return False
    if not _has(tokens, _PERSON_STEMS):
        return _has(tokens, _SOMEONE_STEMS) and _has(tokens, _TALK_ONLY_STEMS)
    return len(tokens) <= 2 or _has(tokens, _TALK_STEMS)
