"""Durable intake: every Telegram update is stored before its offset is confirmed, and what was sent for
it is recorded, so a crash never loses an update and a replay never sends twice."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.clock import to_text
from bot.storage.db import Database


class InboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def store(self, updates: list[tuple[int, dict[str, Any]]], at: dt.datetime) -> None:
        """One transaction for the whole batch; a known update_id is ignored (Telegram resends)."""
        await self.db.conn.executemany(
            "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
            [(uid, json.dumps(payload, ensure_ascii=False), to_text(at)) for uid, payload in updates],
        )
        await self.db.commit_now()

    async def pending(self) -> list[tuple[int, dict[str, Any]]]:
        async with self.db.conn.execute(
            "SELECT update_id, payload FROM inbox WHERE status = 'pending' ORDER BY update_id"
        ) as cursor:
            rows = await cursor.fetchall()
        return [(int(r[0]), json.loads(r[1])) for r in rows]

    async def next_offset(self) -> int | None:
        async with self.db.conn.execute("SELECT MAX(update_id) FROM inbox") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) + 1 if row and row[0] is not None else None

    async def started(self, update_id: int) -> int:
        """Count an attempt and return the number of attempts so far (a poison update is given up later);
        0 when the update was already handled (Telegram delivered it twice)."""
        # no RETURNING: on a connection shared by many tasks, a half-stepped UPDATE blocks every commit
        await self.db.conn.execute(
            "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? AND status = 'pending'", (update_id,)
        )
        await self.db.commit()
        async with self.db.conn.execute("SELECT attempts, status FROM inbox WHERE update_id = ?", (update_id,)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[1] == "pending" else 0

    async def done(self, update_id: int, at: dt.datetime, error: str | None = None) -> None:
        """Mark handled; the payload (which holds message text) is dropped at once."""
        await self.db.conn.execute(
            "UPDATE inbox SET status = ?, error = ?, done_at = ?, payload = '{}', outcome = NULL WHERE update_id = ?",
            ("failed" if error else "done", error, to_text(at), update_id),
        )
        # no commit of its own: the next write commits it; lost in a crash, the update is replayed and
        # delivers nothing twice (its decision and sent messages are recorded)

    async def save_outcome(self, update_id: int, outcome: str) -> None:
        """What the dialogue decided for an update: a replay delivers this instead of deciding again."""
        await self.db.conn.execute("UPDATE inbox SET outcome = ? WHERE update_id = ?", (outcome, update_id))
        await self.db.commit()

    async def load_outcome(self, update_id: int) -> str | None:
        async with self.db.conn.execute("SELECT outcome FROM inbox WHERE update_id = ?", (update_id,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row and row[0] is not None else None

    async def counts(self) -> dict[str, int]:
        async with self.db.conn.execute("SELECT status, COUNT(*) FROM inbox GROUP BY status") as cursor:
            rows = await cursor.fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    async def was_sent(self, key: str) -> bool:
        async with self.db.conn.execute("SELECT 1 FROM sent WHERE key = ?", (key,)) as cursor:
            return await cursor.fetchone() is not None

    async def sent_message_id(self, key: str) -> int | None:
        async with self.db.conn.execute("SELECT message_id FROM sent WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    async def record_sent(self, key: str, message_id: int | None, at: dt.datetime) -> None:
        """Durable at once (no waiting for other chats' batches): a crash right after Telegram accepted a
        message must not send it again. No chat id is kept: the key and message id are all a replay needs,
        and a user who deletes their data leaves no id behind here."""
        await self.db.write_now(
            "INSERT OR REPLACE INTO sent (key, chat_id, message_id, at) VALUES (?, 0, ?, ?)",
            (key, message_id, to_text(at)),
        )

    async def purge(self, before: dt.datetime) -> int:
        """Keep the offset's high-water mark, drop old handled rows and send records."""
        async with self.db.conn.execute("SELECT MAX(update_id) FROM inbox") as cursor:
            row = await cursor.fetchone()
        keep = int(row[0]) if row and row[0] is not None else -1
        cursor = await self.db.conn.execute(
            "DELETE FROM inbox WHERE status != 'pending' AND done_at < ? AND update_id != ?", (to_text(before), keep)
        )
        await self.db.conn.execute("DELETE FROM sent WHERE at < ?", (to_text(before),))
        await self.db.commit()
        return cursor.rowcount

    async def get_value(self, key: str) -> str | None:
        async with self.db.conn.execute("SELECT value FROM kv WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set_value(self, key: str, value: str) -> None:
        await self.db.conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))
        await self.db.commit()
