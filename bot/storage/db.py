"""The SQLite database: one connection, WAL mode, numbered migrations. No SQL outside bot/storage."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
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
    # 5: a handoff right after a crisis reply is urgent (🚨 in the group, first in the queue)
    """
    ALTER TABLE tickets ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: forum topics to delete in Telegram (a user deleted their data, or a closed ticket reached its period)
    """
    CREATE TABLE topic_deletions (
        thread_id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL,
        queued_at TEXT NOT NULL
    );
    UPDATE sent SET chat_id = 0;
    """,
    # 7: a newcomer's messages over the relay limit are held (with their text or the id to copy) and
    # delivered to the topic in one batch
    """
    ALTER TABLE ticket_messages ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ticket_messages ADD COLUMN source_id INTEGER;
    CREATE INDEX ticket_messages_held ON ticket_messages(held) WHERE held = 1;
    """,
    # 8: questions people linked to an entry themselves (tapped suggestion, menu after a fallback)
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


def _owner_only(path: Path) -> None:
    """The database folder 0700 and the file 0600 (SQLite gives its -wal and -shm files the database file's
    mode): question texts and user ids are nobody else's business on a shared host."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for item in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if item.exists() and item.stat().st_mode & 0o077:
            item.chmod(0o600)


def _literal(value: int | str | None) -> str:
    """An SQL literal for `Database.write_now` (executescript takes no parameters)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"write_now takes integers, None and text, not {type(value).__name__}")
    if isinstance(value, int):
        return str(int(value))
    if "\0" in value:
        raise ValueError("text with a NUL character")
    return "'" + value.replace("'", "''") + "'"


class StorageError(Exception):
    """The database cannot be used (disk full, locked, corrupt): must be reported, never swallowed."""


class Database:
    """Owns the aiosqlite connection; the table modules borrow it.

    One connection means one transaction shared by all tasks, so commits are coordinated here:
    - a batch (decide and remember the decision) is all or nothing: batches of several chats may overlap,
      and their writes are committed together when the last of them ends;
    - an urgent write (`commit_now`, `write_now`: an update stored before its offset is confirmed, the record
      of a message Telegram accepted) goes first: no new batch begins while one waits, so it waits only for
      the batches already open (before, overlapping batches of 30 chats kept it waiting up to 1.4 s);
    - other writes commit at once, or with the batches that are open.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._open_batches = 0
        self._batch_tasks: set[asyncio.Task[object] | None] = set()
        self._no_batch = asyncio.Event()
        self._no_batch.set()
        self._urgent = 0
        self._no_urgent = asyncio.Event()
        self._no_urgent.set()
        self._scrub_wanted = False

    def _in_batch(self) -> bool:
        return asyncio.current_task() in self._batch_tasks

    async def _urgently(self, work: Callable[[], Awaitable[object]]) -> None:
        """Run one committing database call with no batch open, ahead of batches that have not begun."""
        self._urgent += 1
        self._no_urgent.clear()
        try:
            while self._open_batches:
                await self._no_batch.wait()
            await work()  # enqueued on the database thread before any other task can begin a batch
        finally:
            self._urgent -= 1
            if not self._urgent:
                self._no_urgent.set()

    async def commit_now(self) -> None:
        """A commit that must not be deferred behind batches that have not begun yet."""
        if self._in_batch():  # inside our own batch: its end commits this too
            return
        await self._urgently(self.conn.commit)

    async def write_now(self, statement: str, params: tuple[int | str | None, ...]) -> None:
        """One write, durable when this returns, in a single trip to the database thread (each trip waits
        behind other tasks' queries; the send records are what a crash must not miss). Like `commit_now`, it
        goes ahead of batches that have not begun. Parameters become SQL literals: integers, None and text."""
        if self._in_batch():
            raise StorageError("write_now inside a batch would commit the batch half-done")
        sql = statement.replace("?", "{}").format(*(_literal(p) for p in params)) + ";"
        # executescript commits what is pending (no batch is open), then runs the statement in autocommit mode
        await self._urgently(lambda: self.conn.executescript(sql))

    async def commit(self) -> None:
        """Commit now, unless a batch is open: then the end of the batches commits everything at once."""
        if not self._open_batches:
            await self.conn.commit()
            if self._scrub_wanted:
                await self.scrub()

    @contextlib.asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """Make a group of writes durable together: a crash keeps all of them or none.

        Used around "decide and remember the decision" for an update. Writes of other tasks that run
        meanwhile join the batch; that only delays their commit by a few milliseconds."""
        task = asyncio.current_task()
        nested = task in self._batch_tasks
        while self._urgent and not nested:
            await self._no_urgent.wait()
        self._open_batches += 1
        self._no_batch.clear()
        self._batch_tasks.add(task)
        try:
            yield
        finally:
            if not nested:
                self._batch_tasks.discard(task)
            self._open_batches -= 1
            if self._open_batches == 0:
                await self.conn.commit()
                if self._open_batches == 0:  # no new batch began while committing
                    self._no_batch.set()
                if self._scrub_wanted:
                    await self.scrub()

    def forgot(self) -> None:
        """Personal data was deleted: after the next commit, clear it out of the WAL too (see `scrub`)."""
        self._scrub_wanted = True

    async def scrub(self) -> None:
        """Commit, then fold the WAL into the database file and truncate it, so no old page with deleted
        texts stays behind in the -wal file (secure_delete already zeroes them in the database file)."""
        self._scrub_wanted = False
        if self._in_batch():
            self._scrub_wanted = True  # after the batch
            return
        # one call on the database thread: commit what is pending, then checkpoint, with no other task's
        # write in between (a checkpoint inside an open transaction would not truncate)
        await self._urgently(lambda: self.conn.executescript("PRAGMA wal_checkpoint(TRUNCATE);"))

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    async def open(self) -> None:
        try:
            if self.path != ":memory:":
                _owner_only(Path(self.path))
            self._conn = await aiosqlite.connect(self.path, timeout=10)
            self._conn.row_factory = aiosqlite.Row
            # deleted rows are overwritten with zeros, not left readable in free pages or the WAL
            await self._conn.execute("PRAGMA secure_delete=ON")
            await self._conn.execute("PRAGMA journal_mode=WAL")
            await self._conn.execute("PRAGMA synchronous=NORMAL")
            await self._conn.execute("PRAGMA foreign_keys=ON")
            await self._conn.execute("PRAGMA busy_timeout=10000")
            await self._migrate()
        except (sqlite3.Error, OSError) as exc:
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
