"""The SQLite database: one connection, WAL mode, numbered migrations. No SQL outside bot/storage."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 1: users, questions, feedback
    """
    CREATE TABLE users (
        user_id INTEGER PRIMARY KEY,
        language TEXT,
        town TEXT,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        share_name INTEGER NOT NULL DEFAULT 0,
        display_name TEXT,
        pending TEXT
    );
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        asked_at TEXT NOT NULL,
        language TEXT,
        text TEXT,
        decision TEXT NOT NULL,
        entry_id TEXT,
        score REAL NOT NULL DEFAULT 0,
        nearest_entry TEXT
    );
    CREATE INDEX questions_user ON questions(user_id);
    CREATE INDEX questions_time ON questions(asked_at);
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        entry_id TEXT NOT NULL,
        vote INTEGER NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (user_id, entry_id, at)
    );
    CREATE INDEX feedback_entry ON feedback(entry_id);
    """,
    # 2: handoff tickets and the messages relayed for them
    """
    CREATE TABLE tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        language TEXT,
        town TEXT,
        topic TEXT,
        question TEXT,
        bot_answer TEXT,
        created_at TEXT NOT NULL,
        claimed_by INTEGER,
        claimed_by_name TEXT,
        claimed_at TEXT,
        closed_at TEXT,
        thread_id INTEGER,
        card_message_id INTEGER,
        reminded_at TEXT
    );
    CREATE UNIQUE INDEX tickets_one_open ON tickets(user_id) WHERE status IN ('waiting', 'claimed');
    CREATE INDEX tickets_thread ON tickets(thread_id);
    CREATE TABLE ticket_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        direction TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id);
    """,
    # 3: durable intake of Telegram updates and a record of what was sent for each
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        done_at TEXT
    );
    CREATE INDEX inbox_status ON inbox(status);
    CREATE TABLE sent (
        key TEXT PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        message_id INTEGER,
        at TEXT NOT NULL
    );
    CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 4: the dialogue's decision for an update is kept until it is delivered, so a replay resends it
    """
    ALTER TABLE inbox ADD COLUMN outcome TEXT;
    """,
    # 5: questions people linked to an entry themselves (tapped suggestion, menu after a fallback)
    """
    CREATE TABLE learned_questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        language TEXT,
        text TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        source TEXT NOT NULL
    );
    CREATE INDEX learned_questions_at ON learned_questions(at);
    CREATE INDEX learned_questions_user ON learned_questions(user_id);
    """,
)


class StorageError(Exception):
    """The database cannot be used (disk full, locked, corrupt): must be reported, never swallowed."""


class Database:
    """Owns the aiosqlite connection; the table modules borrow it."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._batch_depth = 0
        self._no_batch = asyncio.Event()
        self._no_batch.set()

    async def commit_now(self) -> None:
        """A commit that must not be deferred (an update stored before its offset is confirmed, a record
        of a sent message): waits for an open batch to finish, then commits."""
        while self._batch_depth:
            await self._no_batch.wait()
        await self.conn.commit()

    async def commit(self) -> None:
        """Commit now, unless a batch is open: then its end commits everything at once."""
        if self._batch_depth == 0:
            await self.conn.commit()

    @contextlib.asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """Make a group of writes durable together: a crash keeps all of them or none.

        Used around "decide and remember the decision" for an update. Writes of other handlers that
        run meanwhile join the batch; that only delays their commit by a few milliseconds."""
        self._batch_depth += 1
        self._no_batch.clear()
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                await self.conn.commit()
                if self._batch_depth == 0:  # no new batch began while committing
                    self._no_batch.set()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = await aiosqlite.connect(self.path, timeout=10)
            self._conn.row_factory = aiosqlite.Row
            await self._conn.execute("PRAGMA journal_mode=WAL")
            await self._conn.execute("PRAGMA synchronous=NORMAL")
            await self._conn.execute("PRAGMA foreign_keys=ON")
            await self._conn.execute("PRAGMA busy_timeout=10000")
            await self._migrate()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {self.path}: {exc}") from exc

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.commit()
            await self._conn.close()
            self._conn = None

    async def _migrate(self) -> None:
        conn = self.conn
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        async with conn.execute("SELECT MAX(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        current = int(row[0] or 0) if row else 0
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            log.info("applying database migration %d", number)
            await conn.executescript(f"BEGIN;\n{script}\nINSERT INTO schema_version VALUES ({number});\nCOMMIT;")

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
