"""Durable long polling: store each update in SQLite, then confirm it to Telegram, then handle it.

PTB's own Updater confirms updates as soon as they are in memory, so a crash loses them. Here an
update is confirmed (by the next getUpdates offset) only after it is committed to the inbox table;
unfinished ones are replayed at start. Per chat, updates are handled in order; chats run concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import defaultdict
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.clock import Clock, to_text
from bot.storage.inbox import InboxStore

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25
HEARTBEAT_KEY = "last_poll"
MAX_ATTEMPTS = 5  # an update whose handling crashed the bot this often is given up (poison message)


def _chat_key(update: Update) -> int:
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else 0


class DurablePoller:
    def __init__(
        self,
        application: AnyApplication,
        inbox: InboxStore,
        clock: Clock,
        poll_timeout: int = LONG_POLL_SECONDS,
    ) -> None:
        self.app = application
        self.inbox = inbox
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.offset: int | None = None
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._lock_users: dict[int, int] = defaultdict(int)
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self._retry: set[int] = set()
        self.handled = 0
        self.retry_delay = 5.0

    async def replay(self) -> int:
        """Handle what was stored but not finished before the last stop or crash."""
        pending = await self.inbox.pending()
        if pending:
            log.info("replaying %d unfinished update(s)", len(pending))
        for update_id, payload in pending:
            self._dispatch(update_id, payload)
        await self.drain()
        return len(pending)

    def dispatch(self, update_id: int, payload: dict[str, object]) -> None:
        """Handle a stored update (from polling, a replay or the webhook) in the background."""
        self._dispatch(update_id, payload)

    def _dispatch(self, update_id: int, payload: dict[str, object], update: Update | None = None) -> None:
        task = asyncio.create_task(self._handle(update_id, payload, update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update_id: int, payload: dict[str, object], update: Update | None = None) -> None:
        if update is None:  # replayed from the database
            update = Update.de_json(payload, self.app.bot)
        key = _chat_key(update)
        self._lock_users[key] += 1
        try:
            await self._handle_in_order(key, update_id, payload, update)
        finally:  # forget the chat's lock when nobody waits for it, so the table does not grow forever
            self._lock_users[key] -= 1
            if not self._lock_users[key]:
                del self._lock_users[key]
                self._locks.pop(key, None)

    async def _handle_in_order(self, key: int, update_id: int, payload: dict[str, object], update: Update) -> None:
        async with self._locks[key]:
            attempts = await self.inbox.started(update_id)
            if attempts == 0:  # handled before: a second delivery of the same update
                return
            if attempts > MAX_ATTEMPTS:
                log.error("update %d failed %d times: giving up", update_id, attempts - 1)
                await self.inbox.done(update_id, self.clock.now(), error="gave up")
                return
            try:
                await self.app.process_update(update)
            except Exception as exc:  # handlers' errors go to the error handler; this is the last net
                log.exception("update %d could not be handled", update_id)
                await self.inbox.done(update_id, self.clock.now(), error=type(exc).__name__)
                return
            if update_id in self._retry:  # Telegram or the database failed for longer than the retries
                self._retry.discard(update_id)
                self._schedule_retry(update_id, payload, attempts, update)
                return
            await self.inbox.done(update_id, self.clock.now())
            self.handled += 1

    def retry_later(self, update_id: int) -> None:
        """Called by the error handler: keep the update pending and handle it again after a pause."""
        self._retry.add(update_id)

    def _schedule_retry(self, update_id: int, payload: dict[str, object], attempts: int, update: Update | None) -> None:
        delay = min(self.retry_delay * 2 ** (attempts - 1), 600.0)
        log.warning("update %d stays pending: retry %d in %.0fs", update_id, attempts, delay)

        async def later() -> None:
            await self._sleep(delay)
            if not self._stopping.is_set():
                await self._handle(update_id, payload, update)

        task = asyncio.create_task(later())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def poll_once(self) -> int:
        """One getUpdates round: store, then dispatch. The offset confirms on the next round."""
        updates = await self.app.bot.get_updates(
            offset=self.offset,
            timeout=self.poll_timeout,
            allowed_updates=Update.ALL_TYPES,
        )
        await self.inbox.set_value(HEARTBEAT_KEY, to_text(self.clock.now()))
        if not updates:
            return 0
        payloads = [(u.update_id, u.to_dict()) for u in updates]
        await self.inbox.store(payloads, self.clock.now())
        self.offset = max(u.update_id for u in updates) + 1
        for u in updates:
            self._dispatch(u.update_id, {}, u)  # already parsed; the payload is only needed for a replay
        return len(updates)

    async def run(self) -> None:
        """Poll until stop(); network trouble is retried with backoff, never fatal."""
        self.offset = await self.inbox.next_offset()
        await self.replay()
        delay = 1.0
        while not self._stopping.is_set():
            try:
                await self.poll_once()
                delay = 1.0
            except RetryAfter as exc:
                wait = exc.retry_after
                await self._sleep(float(wait.total_seconds() if hasattr(wait, "total_seconds") else wait))
            except InvalidToken:
                log.critical("Telegram refused the token: check TELEGRAM_BOT_TOKEN")
                raise
            except (TimedOut, NetworkError, Conflict) as exc:
                log.warning("getUpdates failed (%s): retrying in %.0fs", type(exc).__name__, delay)
                await self._sleep(delay)
                delay = min(delay * 2, 60.0)
            except sqlite3.Error as exc:  # disk full, database locked or corrupt: say so loudly, then stop
                log.critical("database error while storing updates: %s", exc)
                raise

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        """Stop polling and let in-flight updates finish (SIGTERM)."""
        self._stopping.set()
        await self.drain()
