"""Dialogue decisions per user: language, menus, answers, feedback and handoff requests."""

from bot.dialogue.engine import Dialogue, Retention
from bot.dialogue.replies import (
    Button,
    Effect,
    Outcome,
    RelayToTicket,
    Reply,
    TicketCancelled,
    TicketDetailsChanged,
    TicketOpened,
    TicketReopened,
)

__all__ = [
    "Button",
    "Dialogue",
    "Effect",
    "Outcome",
    "RelayToTicket",
    "Reply",
    "Retention",
    "TicketCancelled",
    "TicketDetailsChanged",
    "TicketOpened",
    "TicketReopened",
]
