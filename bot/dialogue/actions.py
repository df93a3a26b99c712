"""Button data, one codec for all buttons: "<kind>[:<arg>...]", at most 64 bytes (Telegram's limit).

Why one place: button data comes back from the client and can be forged. Every reader goes through
`unpack`, which knows each kind, its number of arguments and where it may be pressed, so a forged or
garbled press is recognised once instead of in each parser.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

CALLBACK_LIMIT = 64


class Kind(enum.StrEnum):
    LANGUAGE = "lang"
    LANGUAGE_MENU = "lang_menu"
    TOWN = "town"
    MENU = "menu"
    CATEGORY = "cat"
    ENTRY = "e"
    NONE = "none"
    FEEDBACK = "fb"
    HUMAN = "human"
    CANCEL_TICKET = "hcancel"
    SOLVED = "solved"
    CONSENT = "consent"
    DELETE = "del"
    TICKET = "t"  # the counsellors' card buttons: only valid in the counsellor group


# how many arguments each kind carries (min, max)
_ARITY: dict[Kind, tuple[int, int]] = {
    Kind.LANGUAGE: (1, 1),
    Kind.LANGUAGE_MENU: (0, 0),
    Kind.TOWN: (1, 1),
    Kind.MENU: (0, 0),
    Kind.CATEGORY: (1, 1),
    Kind.ENTRY: (1, 1),
    Kind.NONE: (0, 0),
    Kind.FEEDBACK: (2, 2),
    Kind.HUMAN: (0, 1),  # "human" or "human:urgent" (the crisis reply's button)
    Kind.CANCEL_TICKET: (0, 0),
    Kind.SOLVED: (2, 2),
    Kind.CONSENT: (1, 1),
    Kind.DELETE: (1, 1),
    Kind.TICKET: (2, 2),
}

#: a vote or a confirmation counts once: its row is taken off the message it was pressed on
ONE_SHOT = frozenset({Kind.FEEDBACK, Kind.DELETE, Kind.CONSENT, Kind.SOLVED})
#: pressed by counsellors in their group, never in a private chat
GROUP_ONLY = frozenset({Kind.TICKET})


#: TOWN's argument for "any town / skip"
ANY_TOWN = "-"
#: HUMAN's optional argument: a request right after a crisis reply
URGENT = "urgent"


class Vote(enum.StrEnum):
    UP = "+"
    DOWN = "-"


class DeleteStep(enum.StrEnum):
    ASK = "ask"
    YES = "yes"
    NO = "no"


class TicketAction(enum.StrEnum):
    CLAIM = "claim"
    RELEASE = "release"
    CLOSE = "close"


@dataclass(frozen=True)
class Action:
    kind: Kind
    args: tuple[str, ...] = ()

    def pack(self) -> str:
        data = ":".join((self.kind.value, *self.args))
        if len(data.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"button data over {CALLBACK_LIMIT} bytes: {data[:20]}...")
        return data

    def arg(self, index: int) -> str:
        return self.args[index] if index < len(self.args) else ""

    def yes(self) -> bool:
        """A SOLVED or CONSENT button's answer."""
        return self.arg(0) == "y"

    def vote(self) -> Vote | None:
        """A FEEDBACK button's vote; None for anything but "+" or "-"."""
        try:
            return Vote(self.arg(0))
        except ValueError:
            return None

    def ticket_id(self) -> int | None:
        """The ticket a SOLVED or TICKET button names (its last argument), if it is a number."""
        last = self.args[-1] if self.args else ""
        return int(last) if last.isdigit() and len(last) < 19 else None


def unpack(data: str | None) -> Action | None:
    """None for anything that is not a well-formed button of ours (old formats, garbage, forgeries)."""
    if not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    head, *args = data.split(":")
    try:
        kind = Kind(head)
    except ValueError:
        return None
    low, high = _ARITY[kind]
    if not low <= len(args) <= high:
        # entry ids and the like never contain ":"; more parts is a forged or foreign button
        return None
    return Action(kind, tuple(args))


def pack(kind: Kind, *args: object) -> str:
    return Action(kind, tuple(str(a) for a in args)).pack()


# -- builders: the only places that spell out a button's data -------------------------------------------

MENU = pack(Kind.MENU)
LANGUAGE_MENU = pack(Kind.LANGUAGE_MENU)
NONE = pack(Kind.NONE)
CANCEL_TICKET = pack(Kind.CANCEL_TICKET)


def language(code: str) -> str:
    return pack(Kind.LANGUAGE, code)


def town(town_id: str | None) -> str:
    """None: the "any town" button, which clears the town."""
    return pack(Kind.TOWN, town_id or ANY_TOWN)


def category(category_id: str) -> str:
    return pack(Kind.CATEGORY, category_id)


def entry(entry_id: str) -> str:
    return pack(Kind.ENTRY, entry_id)


def feedback(vote: Vote, entry_id: str) -> str:
    return pack(Kind.FEEDBACK, vote.value, entry_id)


def human(urgent: bool = False) -> str:
    return pack(Kind.HUMAN, URGENT) if urgent else pack(Kind.HUMAN)


def consent(yes: bool) -> str:
    return pack(Kind.CONSENT, "y" if yes else "n")


def delete(step: DeleteStep) -> str:
    return pack(Kind.DELETE, step.value)


def solved(ticket_id: int, yes: bool) -> str:
    return pack(Kind.SOLVED, "y" if yes else "n", ticket_id)


def ticket(action: TicketAction, ticket_id: int) -> str:
    return pack(Kind.TICKET, action.value, ticket_id)
