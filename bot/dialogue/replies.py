"""What the dialogue core answers: texts, buttons and effects, with no Telegram types.

Text uses the editors' light markup (*bold*, lines starting with "- "); `markup=False` marks text that
came from a user and must be shown verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = (), markup: bool = True) -> None:
        self.replies.append(Reply(text, buttons, markup))
