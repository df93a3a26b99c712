"""The users table: language, town and dialogue state of each newcomer, nothing more."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from bot.clock import from_text, to_text
from bot.storage.db import Database


@dataclass
class User:
    user_id: int
    language: str | None = None
    town: str | None = None
    created_at: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    active: bool = True
    share_name: bool = False
    display_name: str | None = None
    pending: dict[str, Any] = field(default_factory=dict)  # what the dialogue waits for (e.g. a town)


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> User | None:
        async with self.db.conn.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return User(
            user_id=row["user_id"],
            language=row["language"],
            town=row["town"],
            created_at=from_text(row["created_at"]),
            last_seen=from_text(row["last_seen"]),
            active=bool(row["active"]),
            share_name=bool(row["share_name"]),
            display_name=row["display_name"],
            pending=json.loads(row["pending"] or "{}"),
        )

    async def get_or_create(self, user_id: int, now: dt.datetime) -> tuple[User, bool]:
        user = await self.get(user_id)
        if user is not None:
            return user, False
        user = User(user_id=user_id, created_at=now, last_seen=now)
        await self.save(user)
        return user, True

    async def save(self, user: User) -> None:
        await self.db.conn.execute(
            """INSERT INTO users (user_id, language, town, created_at, last_seen, active, share_name,
                                  display_name, pending)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id) DO UPDATE SET language=excluded.language, town=excluded.town,
                 last_seen=excluded.last_seen, active=excluded.active, share_name=excluded.share_name,
                 display_name=excluded.display_name, pending=excluded.pending""",
            (
                user.user_id,
                user.language,
                user.town,
                to_text(user.created_at or dt.datetime.now(dt.UTC)),
                to_text(user.last_seen or dt.datetime.now(dt.UTC)),
                int(user.active),
                int(user.share_name),
                user.display_name,
                json.dumps(user.pending) if user.pending else None,
            ),
        )
        await self.db.commit()

    async def set_active(self, user_id: int, active: bool) -> None:
        await self.db.conn.execute("UPDATE users SET active = ? WHERE user_id = ?", (int(active), user_id))
        await self.db.commit()

    async def delete(self, user_id: int) -> None:
        await self.db.conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        self.db.forgot()
        await self.db.commit()

    async def count_active(self) -> int:
        async with self.db.conn.execute("SELECT COUNT(*) FROM users WHERE active = 1") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def expire_pending(self, before: dt.datetime) -> int:
        """Retention: the dialogue state keeps the last question for a handoff; it must not outlive the
        question texts' period."""
        cursor = await self.db.conn.execute(
            "UPDATE users SET pending = NULL WHERE pending IS NOT NULL AND last_seen < ?", (to_text(before),)
        )
        await self.db.commit()
        return cursor.rowcount

    async def forget_inactive(self, before: dt.datetime) -> int:
        """Users who have not written for a long time and have no open ticket are removed (their questions,
        votes and closed tickets lose the id: `anonymise_orphans` of those stores)."""
        cursor = await self.db.conn.execute(
            """DELETE FROM users WHERE last_seen < ? AND user_id NOT IN
               (SELECT user_id FROM tickets WHERE status IN ('waiting', 'claimed'))""",
            (to_text(before),),
        )
        self.db.forgot()
        await self.db.commit()
        return cursor.rowcount
