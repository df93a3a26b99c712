"""What the dialogue core answers: texts, buttons and effects, with no Telegram types.

Text uses the editors' light markup (*bold*, lines starting with "- "); `markup=False` marks text that
came from a user and must be shown verbatim.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # opaque to the transport; at most 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    markup: bool = True


@dataclass(frozen=True)
class TicketOpened:
    ticket_id: int


@dataclass(frozen=True)
class RelayToTicket:
    """Forward the message being handled to the counsellors' topic of this ticket."""

    ticket_id: int


@dataclass(frozen=True)
class TicketCancelled:
    ticket_id: int
    thread_id: int | None  # the ticket row may be gone already (the newcomer deleted their data)


@dataclass(frozen=True)
class TicketReopened:
    ticket_id: int


@dataclass(frozen=True)
class TicketDetailsChanged:
    """The ticket card should be redrawn (e.g. the newcomer agreed to show their name)."""

    ticket_id: int


Effect = TicketOpened | RelayToTicket | TicketCancelled | TicketReopened | TicketDetailsChanged


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    urgent: bool = False  # a crisis reply: the sender puts it in the fast lane, ahead of everything

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = (), markup: bool = True) -> None:
        self.replies.append(Reply(text, buttons, markup))


_EFFECTS: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (TicketOpened, RelayToTicket, TicketCancelled, TicketReopened, TicketDetailsChanged)
}


def outcome_to_json(outcome: Outcome) -> str:
    """Persisted with the update, so a replay after a crash delivers the same decision once."""
    return json.dumps(
        {
            "replies": [
                {
                    "text": r.text,
                    "markup": r.markup,
                    "buttons": [[[b.label, b.action] for b in row] for row in r.buttons],
                }
                for r in outcome.replies
            ],
            "effects": [{"type": type(e).__name__, **asdict(e)} for e in outcome.effects],
            "urgent": outcome.urgent,
        },
        ensure_ascii=False,
    )


def outcome_from_json(text: str) -> Outcome:
    data = json.loads(text)
    replies = [
        Reply(
            r["text"], tuple(tuple(Button(label, action) for label, action in row) for row in r["buttons"]), r["markup"]
        )
        for r in data["replies"]
    ]
    effects = []
    for item in data["effects"]:
        cls = _EFFECTS[item.pop("type")]
        effects.append(cls(**item))
    return Outcome(replies, effects, bool(data.get("urgent", False)))
