"""Questions that people themselves linked to an FAQ entry: a tap on a "did you mean" button, or on a menu
entry shortly after the bot said it did not know. They are proposals for new example questions, so they
hold a question text and follow the question texts' retention and a user's deletion of their data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.clock import from_text, to_text
from bot.storage.db import Database


@dataclass(frozen=True)
class LearnedQuestion:
    at: dt.datetime
    language: str | None
    text: str
    entry_id: str
    source: str  # "suggest": tapped among the suggestions; "fallback": found in the menu after "I don't know"


class LearnedStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, user_id: int, at: dt.datetime, language: str | None, text: str, entry_id: str, source: str
    ) -> None:
        await self.db.conn.execute(
            """INSERT INTO learned_questions (user_id, at, language, text, entry_id, source)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (user_id, to_text(at), language, text, entry_id, source),
        )
        await self.db.commit()

    async def since(self, since: dt.datetime) -> list[LearnedQuestion]:
        async with self.db.conn.execute(
            "SELECT * FROM learned_questions WHERE at >= ? ORDER BY at, id", (to_text(since),)
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            LearnedQuestion(from_text(r["at"]), r["language"], r["text"], r["entry_id"], r["source"]) for r in rows
        ]

    async def delete_user(self, user_id: int) -> None:
        await self.db.conn.execute("DELETE FROM learned_questions WHERE user_id = ?", (user_id,))
        await self.db.commit()

    async def expire(self, before: dt.datetime) -> int:
        """Retention: the rows are question texts, so they go with the question texts' period."""
        cursor = await self.db.conn.execute("DELETE FROM learned_questions WHERE at < ?", (to_text(before),))
        await self.db.commit()
        return cursor.rowcount
