"""Tickets of the counsellor queue and the messages relayed for them."""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
from dataclasses import dataclass

import aiosqlite

from bot.clock import from_text, to_text
from bot.storage.db import Database


class TicketStatus(enum.StrEnum):
    """A ticket's life (see bot/handoff/queue.py); the values are what the tickets table stores."""

    WAITING = "waiting"
    CLAIMED = "claimed"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # by the newcomer


OPEN_STATUSES = (TicketStatus.WAITING, TicketStatus.CLAIMED)


@dataclass(frozen=True)
class Ticket:
    id: int
    user_id: int
    status: TicketStatus
    language: str | None
    town: str | None
    topic: str | None
    question: str | None
    bot_answer: str | None
    created_at: dt.datetime
    claimed_by: int | None = None
    claimed_by_name: str | None = None
    claimed_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    thread_id: int | None = None
    card_message_id: int | None = None
    reminded_at: dt.datetime | None = None
    urgent: bool = False  # opened right after a crisis reply

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class HeldMessage:
    """A newcomer's message not yet shown in the topic (over the relay limit)."""

    id: int
    ticket_id: int
    kind: str
    text: str | None
    source_id: int | None  # the message id in the newcomer's chat, to copy media later


def _ticket(row: aiosqlite.Row) -> Ticket:
    def when(name: str) -> dt.datetime | None:
        return from_text(row[name]) if row[name] else None

    return Ticket(
        id=row["id"],
        user_id=row["user_id"],
        status=TicketStatus(row["status"]),
        language=row["language"],
        town=row["town"],
        topic=row["topic"],
        question=row["question"],
        bot_answer=row["bot_answer"],
        created_at=from_text(row["created_at"]),
        claimed_by=row["claimed_by"],
        claimed_by_name=row["claimed_by_name"],
        claimed_at=when("claimed_at"),
        closed_at=when("closed_at"),
        thread_id=row["thread_id"],
        card_message_id=row["card_message_id"],
        reminded_at=when("reminded_at"),
        urgent=bool(row["urgent"]),
    )


class TicketStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _one(self, sql: str, params: tuple[object, ...]) -> Ticket | None:
        async with self.db.conn.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return _ticket(row) if row else None

    async def _many(self, sql: str, params: tuple[object, ...] = ()) -> list[Ticket]:
        async with self.db.conn.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        return [_ticket(r) for r in rows]

    async def create(
        self,
        user_id: int,
        at: dt.datetime,
        language: str | None,
        town: str | None,
        topic: str | None,
        question: str | None,
        bot_answer: str | None,
        urgent: bool = False,
    ) -> Ticket | None:
        """None if the user already has an open ticket (the database enforces one per user)."""
        try:
            cursor = await self.db.conn.execute(
                """INSERT INTO tickets (user_id, status, language, town, topic, question, bot_answer, created_at,
                                        urgent)
                   VALUES (?, 'waiting', ?, ?, ?, ?, ?, ?, ?)""",
                (user_id, language, town, topic, question, bot_answer, to_text(at), int(urgent)),
            )
        except sqlite3.IntegrityError:
            return None
        await self.db.commit()
        return await self.get(int(cursor.lastrowid or 0))

    async def get(self, ticket_id: int) -> Ticket | None:
        return await self._one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))

    async def open_for_user(self, user_id: int) -> Ticket | None:
        return await self._one(
            "SELECT * FROM tickets WHERE user_id = ? AND status IN ('waiting', 'claimed')", (user_id,)
        )

    async def latest_for_user(self, user_id: int) -> Ticket | None:
        return await self._one("SELECT * FROM tickets WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,))

    async def by_thread(self, thread_id: int) -> Ticket | None:
        return await self._one("SELECT * FROM tickets WHERE thread_id = ? ORDER BY id DESC LIMIT 1", (thread_id,))

    async def open_tickets(self) -> list[Ticket]:
        return await self._many(
            "SELECT * FROM tickets WHERE status IN ('waiting', 'claimed') ORDER BY urgent DESC, created_at, id"
        )

    async def all_since(self, since: dt.datetime) -> list[Ticket]:
        return await self._many("SELECT * FROM tickets WHERE created_at >= ? ORDER BY id", (to_text(since),))

    async def count_for_user(self, user_id: int) -> int:
        async with self.db.conn.execute("SELECT COUNT(*) FROM tickets WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def position(self, ticket: Ticket) -> int:
        """1 = next in line. Claimed tickets are being handled and are not in the line; urgent ones go first."""
        async with self.db.conn.execute(
            """SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND (urgent > ? OR (urgent = ? AND
               (created_at < ? OR (created_at = ? AND id < ?))))""",
            (int(ticket.urgent), int(ticket.urgent), to_text(ticket.created_at), to_text(ticket.created_at), ticket.id),
        ) as cursor:
            row = await cursor.fetchone()
        return (int(row[0]) if row else 0) + 1

    async def transition(
        self,
        ticket_id: int,
        from_statuses: tuple[TicketStatus, ...],
        to_status: TicketStatus,
        at: dt.datetime,
        counsellor: int | None = None,
        counsellor_name: str | None = None,
    ) -> bool:
        """Atomic compare-and-set: of two counsellors pressing Claim at once, exactly one wins."""
        marks = ",".join("?" for _ in from_statuses)
        sets = ["status = ?"]
        params: list[object] = [to_status]
        if to_status is TicketStatus.CLAIMED:
            sets += ["claimed_by = ?", "claimed_by_name = ?", "claimed_at = ?"]
            params += [counsellor, counsellor_name, to_text(at)]
        elif to_status is TicketStatus.WAITING:
            sets += [
                "claimed_by = NULL",
                "claimed_by_name = NULL",
                "claimed_at = NULL",
                "closed_at = NULL",
                "reminded_at = NULL",
            ]
        elif to_status in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
            sets += ["closed_at = ?"]
            params += [to_text(at)]
        cursor = await self.db.conn.execute(
            f"UPDATE tickets SET {', '.join(sets)} WHERE id = ? AND status IN ({marks})",
            (*params, ticket_id, *from_statuses),
        )
        await self.db.commit()
        return cursor.rowcount == 1

    async def set_thread(self, ticket_id: int, thread_id: int | None, card_message_id: int | None) -> None:
        await self.db.conn.execute(
            "UPDATE tickets SET thread_id = ?, card_message_id = ? WHERE id = ?",
            (thread_id, card_message_id, ticket_id),
        )
        await self.db.commit_now()  # a record of what Telegram did: a crash must not open a second topic

    async def mark_urgent(self, ticket_id: int) -> None:
        await self.db.conn.execute("UPDATE tickets SET urgent = 1 WHERE id = ?", (ticket_id,))
        await self.db.commit()

    async def mark_reminded(self, ticket_id: int, at: dt.datetime) -> None:
        await self.db.conn.execute("UPDATE tickets SET reminded_at = ? WHERE id = ?", (to_text(at), ticket_id))
        await self.db.commit()

    async def add_message(self, ticket_id: int, direction: str, kind: str, text: str | None, at: dt.datetime) -> None:
        await self.db.conn.execute(
            "INSERT INTO ticket_messages (ticket_id, direction, kind, text, at) VALUES (?, ?, ?, ?, ?)",
            (ticket_id, direction, kind, text, to_text(at)),
        )
        await self.db.commit()

    async def count_relayed_since(self, ticket_id: int, since: dt.datetime) -> int:
        """The newcomer's messages shown in the topic since `since` (held ones do not count)."""
        async with self.db.conn.execute(
            "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ? AND direction = 'in' AND held = 0 AND at >= ?",
            (ticket_id, to_text(since)),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def count_created_since(self, user_id: int, since: dt.datetime) -> int:
        async with self.db.conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE user_id = ? AND created_at >= ?", (user_id, to_text(since))
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def hold(self, ticket_id: int, kind: str, text: str | None, source_id: int | None, at: dt.datetime) -> int:
        """Keep a message for the next batch; returns how many wait now for this ticket."""
        await self.db.conn.execute(
            """INSERT INTO ticket_messages (ticket_id, direction, kind, text, at, held, source_id)
               VALUES (?, 'in', ?, ?, ?, 1, ?)""",
            (ticket_id, kind, text, to_text(at), source_id),
        )
        await self.db.commit()
        return len(await self.held(ticket_id))

    async def held(self, ticket_id: int | None = None) -> list[HeldMessage]:
        sql = "SELECT id, ticket_id, kind, text, source_id FROM ticket_messages WHERE held = 1"
        params: tuple[object, ...] = ()
        if ticket_id is not None:
            sql += " AND ticket_id = ?"
            params = (ticket_id,)
        async with self.db.conn.execute(sql + " ORDER BY id", params) as cur:
            rows = await cur.fetchall()
        return [HeldMessage(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def release_held(self, ids: list[int]) -> None:
        """Shown in the topic now, in a batch (held = 2: not counted against the per-minute limit)."""
        await self.db.conn.executemany(
            "UPDATE ticket_messages SET held = 2, text = NULL WHERE id = ?", [(i,) for i in ids]
        )
        await self.db.commit()

    async def delete_user(self, user_id: int, at: dt.datetime | None = None) -> None:
        """All of a user's tickets go; their forum topics are queued for deletion in Telegram."""
        await self.db.conn.execute(
            """INSERT OR IGNORE INTO topic_deletions (thread_id, ticket_id, queued_at)
               SELECT thread_id, id, ? FROM tickets WHERE user_id = ? AND thread_id IS NOT NULL""",
            (to_text(at or dt.datetime.now(dt.UTC)), user_id),
        )
        await self.db.conn.execute("DELETE FROM tickets WHERE user_id = ?", (user_id,))
        self.db.forgot()
        await self.db.commit()

    async def expire_closed(self, before: dt.datetime, at: dt.datetime | None = None) -> int:
        """Retention: closed tickets' texts, messages, counsellor and forum topic go after the period; the
        counts (language, town, topic, times) stay."""
        closed = "status IN ('closed', 'cancelled') AND closed_at < ?"
        await self.db.conn.execute(
            f"DELETE FROM ticket_messages WHERE ticket_id IN (SELECT id FROM tickets WHERE {closed})",
            (to_text(before),),
        )
        await self.db.conn.execute(
            f"""INSERT OR IGNORE INTO topic_deletions (thread_id, ticket_id, queued_at)
                SELECT thread_id, id, ? FROM tickets WHERE {closed} AND thread_id IS NOT NULL""",
            (to_text(at or dt.datetime.now(dt.UTC)), to_text(before)),
        )
        cursor = await self.db.conn.execute(
            f"""UPDATE tickets SET question = NULL, bot_answer = NULL, claimed_by = NULL, claimed_by_name = NULL,
                                   thread_id = NULL, card_message_id = NULL
                WHERE {closed} AND (question IS NOT NULL OR bot_answer IS NOT NULL OR claimed_by IS NOT NULL
                                    OR claimed_by_name IS NOT NULL OR thread_id IS NOT NULL)""",
            (to_text(before),),
        )
        self.db.forgot()
        await self.db.commit()
        return cursor.rowcount

    async def anonymise_orphans(self) -> int:
        """Closed tickets of users who are gone (retention forgot them) keep their counts, not the user id."""
        cursor = await self.db.conn.execute(
            """UPDATE tickets SET user_id = 0 WHERE user_id != 0 AND status IN ('closed', 'cancelled')
               AND user_id NOT IN (SELECT user_id FROM users)"""
        )
        await self.db.commit()
        return cursor.rowcount

    async def topics_to_delete(self) -> list[tuple[int, int]]:
        """(thread id, ticket id) of forum topics still to be deleted in Telegram, oldest first."""
        async with self.db.conn.execute(
            "SELECT thread_id, ticket_id FROM topic_deletions ORDER BY queued_at, thread_id"
        ) as cursor:
            rows = await cursor.fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]

    async def topic_deleted(self, thread_id: int) -> None:
        await self.db.conn.execute("DELETE FROM topic_deletions WHERE thread_id = ?", (thread_id,))
        await self.db.commit()
