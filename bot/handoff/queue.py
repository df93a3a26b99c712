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
from bot.storage.tickets import OPEN_STATUSES, Ticket, TicketStore


@dataclass(frozen=True)
class QueueStatus:
    ticket: Ticket
    position: int  # 0 when a counsellor has claimed it
    open_now: bool
    next_open: dt.datetime | None
    created: bool  # False: the user already had this open ticket


class HandoffQueue:
    def __init__(self, tickets: TicketStore, hours: OfficeHours, clock: Clock) -> None:
        self.tickets = tickets
        self.hours = hours
        self.clock = clock

    async def status(self, ticket: Ticket, created: bool = False) -> QueueStatus:
        now = self.clock.now()
        position = await self.tickets.position(ticket) if ticket.status == "waiting" else 0
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
    ) -> QueueStatus:
        """Open a ticket, or return the one already open: one open ticket per newcomer."""
        existing = await self.tickets.open_for_user(user_id)
        if existing is not None:
            if urgent and not existing.urgent:  # a crisis came up while waiting: the ticket moves up
                await self.tickets.mark_urgent(existing.id)
                existing = await self.tickets.get(existing.id) or existing
            return await self.status(existing)
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
            ticket_id, ("waiting",), "claimed", self.clock.now(), counsellor_id, counsellor_name
        )

    async def release(self, ticket_id: int) -> bool:
        return await self.tickets.transition(ticket_id, ("claimed",), "waiting", self.clock.now())

    async def close(self, ticket_id: int) -> bool:
        return await self.tickets.transition(ticket_id, OPEN_STATUSES, "closed", self.clock.now())

    async def cancel(self, user_id: int) -> Ticket | None:
        """The newcomer ends the conversation; returns the ticket that was cancelled, if any."""
        ticket = await self.tickets.open_for_user(user_id)
        if ticket and await self.tickets.transition(ticket.id, OPEN_STATUSES, "cancelled", self.clock.now()):
            return ticket
        return None

    async def reopen(self, ticket_id: int) -> Ticket | None:
        """After "not solved": back into the queue, unless the user meanwhile opened another one."""
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.status != "closed":
            return None
        if await self.tickets.open_for_user(ticket.user_id):
            return None
        try:
            ok = await self.tickets.transition(ticket_id, ("closed",), "waiting", self.clock.now())
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
            if t.status == "waiting" and now - t.created_at >= after and t.reminded_at is None
        ]
