"""Questions asked and feedback given: what the editors' reports and the KI's figures are made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.clock import from_text, to_text
from bot.storage.db import Database
from bot.storage.learned import LearnedStore


@dataclass(frozen=True)
class QuestionRecord:
    asked_at: dt.datetime
    language: str | None
    text: str | None  # None once the retention period has passed
    decision: str
    entry_id: str | None
    score: float
    nearest_entry: str | None


class QuestionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.learned = LearnedStore(db)  # same family: question texts, same retention and deletion

    async def add(
        self,
        user_id: int,
        at: dt.datetime,
        language: str | None,
        text: str | None,
        decision: str,
        entry_id: str | None,
        score: float,
        nearest_entry: str | None,
    ) -> None:
        await self.db.conn.execute(
            """INSERT INTO questions (user_id, asked_at, language, text, decision, entry_id, score, nearest_entry)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (user_id, to_text(at), language, text, decision, entry_id, score, nearest_entry),
        )
        await self.db.commit()

    async def since(self, since: dt.datetime) -> list[QuestionRecord]:
        async with self.db.conn.execute(
            "SELECT * FROM questions WHERE asked_at >= ? ORDER BY asked_at", (to_text(since),)
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            QuestionRecord(
                from_text(r["asked_at"]),
                r["language"],
                r["text"],
                r["decision"],
                r["entry_id"],
                float(r["score"]),
                r["nearest_entry"],
            )
            for r in rows
        ]

    async def count_for(self, user_id: int) -> int:
        async with self.db.conn.execute("SELECT COUNT(*) FROM questions WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def add_feedback(self, user_id: int, entry_id: str, vote: int, at: dt.datetime) -> None:
        await self.db.conn.execute(
            "INSERT OR IGNORE INTO feedback (user_id, entry_id, vote, at) VALUES (?, ?, ?, ?)",
            (user_id, entry_id, vote, to_text(at)),
        )
        await self.db.commit()

    async def feedback_count_for(self, user_id: int) -> int:
        async with self.db.conn.execute("SELECT COUNT(*) FROM feedback WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def feedback_by_entry(self, since: dt.datetime) -> dict[str, tuple[int, int]]:
        """entry id -> (thumbs up, thumbs down)."""
        async with self.db.conn.execute(
            """SELECT entry_id, SUM(vote > 0), SUM(vote < 0) FROM feedback WHERE at >= ?
               GROUP BY entry_id""",
            (to_text(since),),
        ) as cursor:
            rows = await cursor.fetchall()
        return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}

    async def delete_user(self, user_id: int) -> None:
        await self.db.conn.execute("DELETE FROM questions WHERE user_id = ?", (user_id,))
        await self.db.conn.execute("DELETE FROM feedback WHERE user_id = ?", (user_id,))
        self.db.forgot()
        await self.db.commit()
        await self.learned.delete_user(user_id)

    async def anonymise_orphans(self) -> int:
        """Questions and votes of users who are gone (retention forgot them) keep their counts, not the user
        id. A vote gets its own negative row id instead: (user, entry, time) must stay unique."""
        cursor = await self.db.conn.execute(
            "UPDATE questions SET user_id = 0 WHERE user_id != 0 AND user_id NOT IN (SELECT user_id FROM users)"
        )
        votes = await self.db.conn.execute(
            "UPDATE feedback SET user_id = -id WHERE user_id > 0 AND user_id NOT IN (SELECT user_id FROM users)"
        )
        # learned questions hold a text: they go with the user (they expire with the texts anyway, unless the
        # question period is set longer than the inactivity period)
        await self.db.conn.execute("DELETE FROM learned_questions WHERE user_id NOT IN (SELECT user_id FROM users)")
        await self.db.commit()
        return cursor.rowcount + votes.rowcount

    async def expire_texts(self, before: dt.datetime) -> int:
        """Retention: question texts go after the period; counts stay for the statistics. Learned example
        questions (texts too) are deleted with them; the number returned counts both."""
        cursor = await self.db.conn.execute(
            "UPDATE questions SET text = NULL WHERE text IS NOT NULL AND asked_at < ?", (to_text(before),)
        )
        self.db.forgot()
        await self.db.commit()
        return cursor.rowcount + await self.learned.expire(before)
