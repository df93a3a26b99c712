"""The counsellor queue: the rules of a ticket's life, free of Telegram.

waiting --claim--> claimed --close--> closed --reopen--> waiting
   ^                  |
   +----release-------+          waiting/claimed --cancel (by the newcomer)--> cancelled
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.clock import Clock
from bot.handoff.hours import OfficeHours
from bot.storage.tickets import OPEN_STATUSES, Ticket, TicketStatus, TicketStore

QUESTION_SEPARATOR = "\x1e"  # the few questions that led to a ticket, kept in one column


def join_questions(questions: list[str]) -> str | None:
    return QUESTION_SEPARATOR.join(q.replace(QUESTION_SEPARATOR, " ") for q in questions) or None


def split_questions(text: str | None) -> list[str]:
    return [q for q in (text or "").split(QUESTION_SEPARATOR) if q.strip()]


@dataclass(frozen=True)
class QueueStatus:
    ticket: Ticket
    position: int  # 0 when a counsellor has claimed it
    open_now: bool
    next_open: dt.datetime | None
    created: bool  # False: the user already had this open ticket


class HandoffQueue:
    def __init__(self, tickets: TicketStore, hours: OfficeHours, clock: Clock, tickets_per_day: int = 3) -> None:
        self.tickets = tickets
        self.hours = hours
        self.clock = clock
        self.tickets_per_day = tickets_per_day  # /human + /cancel in a loop must not flood the group

    async def status(self, ticket: Ticket, created: bool = False) -> QueueStatus:
        now = self.clock.now()
        position = await self.tickets.position(ticket) if ticket.status is TicketStatus.WAITING else 0
        return QueueStatus(ticket, position, self.hours.is_open(now), self.hours.next_open(now), created)

    async def open(
        self,
        user_id: int,
        language: str | None,
        town: str | None,
        topic: str | None,
        question: str | None,
        bot_answer: str | None,
        urgent: bool = False,
    ) -> QueueStatus | None:
        """Open a ticket, or return the one already open: one open ticket per newcomer.

        None when the newcomer has opened `tickets_per_day` tickets in the last 24 hours."""
        existing = await self.tickets.open_for_user(user_id)
        if existing is not None:
            if urgent and not existing.urgent:  # a crisis came up while waiting: the ticket moves up
                await self.tickets.mark_urgent(existing.id)
                existing = await self.tickets.get(existing.id) or existing
            return await self.status(existing)
        since = self.clock.now() - dt.timedelta(days=1)
        if await self.tickets.count_created_since(user_id, since) >= self.tickets_per_day:
            return None
        ticket = await self.tickets.create(
            user_id, self.clock.now(), language, town, topic, question, bot_answer, urgent=urgent
        )
        if ticket is None:  # a concurrent request created it first
            ticket = await self.tickets.open_for_user(user_id)
            assert ticket is not None
            return await self.status(ticket)
        return await self.status(ticket, created=True)

    async def open_ticket(self, user_id: int) -> Ticket | None:
        return await self.tickets.open_for_user(user_id)

    async def claim(self, ticket_id: int, counsellor_id: int, counsellor_name: str) -> bool:
        return await self.tickets.transition(
            ticket_id, (TicketStatus.WAITING,), TicketStatus.CLAIMED, self.clock.now(), counsellor_id, counsellor_name
        )

    async def release(self, ticket_id: int) -> bool:
        return await self.tickets.transition(ticket_id, (TicketStatus.CLAIMED,), TicketStatus.WAITING, self.clock.now())

    async def close(self, ticket_id: int) -> bool:
        return await self.tickets.transition(ticket_id, OPEN_STATUSES, TicketStatus.CLOSED, self.clock.now())

    async def cancel(self, user_id: int) -> Ticket | None:
        """The newcomer ends the conversation; returns the ticket that was cancelled, if any."""
        ticket = await self.tickets.open_for_user(user_id)
        if ticket and await self.tickets.transition(ticket.id, OPEN_STATUSES, TicketStatus.CANCELLED, self.clock.now()):
            return ticket
        return None

    async def reopen(self, ticket_id: int, owner: int) -> Ticket | None:
        """After "not solved": back into the queue, unless the user meanwhile opened another one.

        Only its owner may reopen a ticket: the id comes from button data, which a client can forge."""
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.user_id != owner or ticket.status is not TicketStatus.CLOSED:
            return None
        if await self.tickets.open_for_user(ticket.user_id):
            return None
        try:
            ok = await self.tickets.transition(
                ticket_id, (TicketStatus.CLOSED,), TicketStatus.WAITING, self.clock.now()
            )
        except Exception:  # the one-open-ticket index refused: another ticket was opened meanwhile
            return None
        return await self.tickets.get(ticket_id) if ok else None

    async def waiting_too_long(self, after: dt.timedelta) -> list[Ticket]:
        """Tickets that wait longer than `after` during office hours and were not reminded yet."""
        now = self.clock.now()
        if not self.hours.is_open(now):
            return []
        return [
            t
            for t in await self.tickets.open_tickets()
            if t.status is TicketStatus.WAITING and now - t.created_at >= after and t.reminded_at is None
        ]
