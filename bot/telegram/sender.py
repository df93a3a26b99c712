"""Sending with care: HTML rendering, safe splitting, retries on 429/5xx/timeouts, a record of what was
sent per update (so a replay after a crash never sends twice), and blocked users marked inactive."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, MessageId
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.dialogue.replies import Button, Reply
from bot.pseudonyms import pseudonym
from bot.storage.inbox import InboxStore
from bot.storage.users import UserStore
from bot.telegram.lanes import Lane, LaneArgs
from bot.telegram.render import render_parts
from bot.telegram.send_gate import SendGate

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_RETRY_SECONDS = 600.0  # an outage longer than this fails the update; the poller retries it later
MAX_BACKOFF = 30.0
CALLBACK_LIMIT = 64


class Blocked(Exception):
    """The user blocked the bot (403): stop sending to them, do not retry."""


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    for row in rows:
        for button in row:
            if len(button.action.encode()) > CALLBACK_LIMIT:
                raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {button.action[:20]}...")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label[:64], callback_data=b.action) for b in row] for row in rows]
    )


class SendKeys:
    """Stable keys for the messages sent while handling one update: "u<update_id>:<n>"."""

    def __init__(self, update_id: int | None, replay: bool = True) -> None:
        self.update_id = update_id
        self.replay = replay  # False: a fresh decision, nothing can have been sent for it yet
        self.count = 0

    def next(self, tag: str = "") -> str | None:
        if self.update_id is None:
            return None
        self.count += 1
        return f"u{self.update_id}:{self.count}{tag}"


class Sender:
    def __init__(
        self,
        bot: ExtBot[Any],
        inbox: InboxStore,
        users: UserStore,
        clock: Clock,
        backoff: float = 0.5,
        max_retry_seconds: float = MAX_RETRY_SECONDS,
        gate: SendGate | None = None,
    ) -> None:
        self.bot = bot
        self.gate = gate or SendGate()  # at most one message accepted by Telegram but not yet recorded
        self.max_retry_seconds = max_retry_seconds
        # how many requests run at once, and in which order, is the rate limiter's job (bot/telegram/lanes.py)
        self.inbox = inbox
        self.users = users
        self.clock = clock
        self.backoff = backoff

    async def retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """429: wait as told; 5xx, timeouts and connection errors: back off and try again.

        The one place that handles RetryAfter; the wait holds no in-flight slot (see lanes.py)."""
        delay = self.backoff
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_retry_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except RetryAfter as exc:
                wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
                log.warning("rate limited by Telegram: waiting %.1fs (attempt %d)", float(wait), attempt)
                await asyncio.sleep(float(wait))
            except (BadRequest, Forbidden):
                raise
            except (TimedOut, NetworkError) as exc:
                if loop.time() + delay > deadline:
                    raise
                log.warning("Telegram unreachable (%s): retry in %.1fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)

    async def once(
        self, key: str | None, chat_id: int, call: Callable[[], Awaitable[Message | MessageId]], check: bool = True
    ) -> int | None:
        """Run a send unless the same key was sent before; returns the new message id."""
        if key is not None and check and await self.inbox.was_sent(key):
            return await self.inbox.sent_message_id(key)
        if key is None:
            message = await self._blocked_aware(chat_id, call)
            return message.message_id
        async with self.gate.recording():  # recorded at once, before the next recorded send may leave
            message = await self._blocked_aware(chat_id, call)
            await self.inbox.record_sent(key, message.message_id, self.clock.now())
        return message.message_id

    async def _blocked_aware(
        self, chat_id: int, call: Callable[[], Awaitable[Message | MessageId]]
    ) -> Message | MessageId:
        try:
            return await self.retrying(call)
        except Forbidden as exc:
            log.info("user %s blocked the bot", pseudonym(chat_id))
            await self.users.set_active(chat_id, False)
            raise Blocked(str(chat_id)) from exc

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        keys: SendKeys,
        markup: bool = True,
        buttons: Sequence[Sequence[Button]] = (),
        thread_id: int | None = None,
        lane: Lane = Lane.PRIVATE,
    ) -> int | None:
        """One logical message, split under 4096 characters; buttons go on the last part."""
        parts = render_parts(text, markup)
        # the lane of a group send follows from its chat; only crisis replies need saying
        lane_args: LaneArgs | None = {"lane": lane} if lane is Lane.CRISIS else None
        last_id = None
        for index, html in enumerate(parts):
            reply_markup = keyboard(buttons) if index == len(parts) - 1 else None
            last_id = await self.once(
                keys.next(),
                chat_id,
                lambda html=html, reply_markup=reply_markup: self.bot.send_message(  # type: ignore[misc]
                    chat_id,
                    html,
                    reply_markup=reply_markup,
                    message_thread_id=thread_id,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    rate_limit_args=lane_args,
                ),
                check=keys.replay,
            )
        return last_id

    async def send_replies(
        self, chat_id: int, replies: Sequence[Reply], keys: SendKeys, urgent: bool = False
    ) -> bool:
        """False when the user has blocked the bot (the rest is not sent). An urgent (crisis) outcome takes the
        crisis lane, ahead of every other private reply and of the counsellor group."""
        lane = Lane.CRISIS if urgent else Lane.PRIVATE
        try:
            for reply in replies:
                await self.send_text(
                    chat_id, reply.text, keys=keys, markup=reply.markup, buttons=reply.buttons, lane=lane
                )
        except Blocked:
            return False
        return True


__all__ = ["Blocked", "SendKeys", "Sender", "keyboard", "pseudonym"]  # pseudonym: old import path
