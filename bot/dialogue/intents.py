""" "I want to talk to a person", typed in words: a request, not an FAQ question.

Answering it from the FAQ cost the newcomer an article, a yes/no and two more messages. A short message
that names a person (human, counsellor, someone...) together with talking, wanting or needing opens the
request at once. Long messages stay questions: "how do I talk to someone at the immigration office about
my residence permit" is an FAQ question, not a request for us.
"""

from __future__ import annotations

from bot.matching.normalise import normalise

MAX_WORDS = 9

# word beginnings (normalised): a token counts when it starts with one of them
_PERSON = [
    # de
    "mensch",
    "person",
    "mitarbeiter",
    "berater",
    "beratung",
    "jemand",
    "ansprechpartner",
    # en
    "human",
    "person",
    "someone",
    "somebody",
    "agent",
    "counsel",
    "advis",
    "staff",
    "operator",
    # tr
    "insan",
    "kisi",
    "biri",
    "danisman",
    "gorevli",
    "yetkili",
    "temsilci",
    "operator",
    # ru / uk
    "человек",
    "людин",
    "людьми",
    "оператор",
    "консультант",
    "сотрудник",
    "працивник",
    "живим",
    "живои",
    # ar / fa (after normalisation: no article, unified letters)
    "شخص",
    "انسان",
    "موظف",
    "مستشار",
    "احد",
    "حدا",
    "ادم",
    "كارمند",
    "مشاور",
    "كسي",
]
_TALK_OR_WANT = [
    # de
    "sprech",
    "sprich",
    "rede",
    "reden",
    "will",
    "mocht",
    "brauch",
    "bitte",
    "kontakt",
    "echt",
    # en
    "talk",
    "speak",
    "want",
    "need",
    "chat",
    "real",
    "please",
    "contact",
    "connect",
    # tr
    "konus",
    "gorus",
    "istiyor",
    "isterim",
    "lazim",
    "gerek",
    "lutfen",
    "gercek",
    # ru / uk
    "поговор",
    "говор",
    "соедин",
    "жив",
    "хочу",
    "нуж",
    "связ",
    "потриб",
    "зв",
    "будь",
    "пожалуиста",
    "живи",
    # ar
    "اتكلم",
    "اتحدث",
    "تكلم",
    "تحدث",
    "احكي",
    "اريد",
    "بدي",
    "ابغي",
    "اود",
    "حقيقي",
    "تواصل",
    # fa
    "صحبت",
    "حرف",
    "ميخواه",
    "ميخوام",
    "خواه",
    "لطفا",
    "تماس",
    "واقعي",
]
_PERSON_STEMS = tuple(normalise(w) for w in _PERSON)
_TALK_STEMS = tuple(normalise(w) for w in _TALK_OR_WANT)


def _has(tokens: list[str], stems: tuple[str, ...]) -> bool:
    for token in tokens:
        if "\u0600" <= token[0] <= "\u06ff":
            # Arabic script: clitics stick to the word ("بشخص", "مع_موظف"): look inside it
            if any(stem and stem in token for stem in stems):
                return True
        elif token.startswith(tuple(s for s in stems if s)):
            return True
    return False


def wants_person(text: str) -> bool:
    """True for "I want to talk to a person" and its kin in the seven languages."""
    tokens = normalise(text).split()
    if not tokens or len(tokens) > MAX_WORDS:
        return False
    if not _has(tokens, _PERSON_STEMS):
        return False
    return len(tokens) <= 2 or _has(tokens, _TALK_STEMS)
