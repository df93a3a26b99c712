"""Sending with care: HTML rendering, safe splitting, retries on 429/5xx/timeouts, a record of what was
sent per update (so a replay after a crash never sends twice), and blocked users marked inactive."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, MessageId
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.dialogue.replies import Button, Reply
from bot.storage.inbox import InboxStore
from bot.storage.users import UserStore
from bot.telegram.lanes import Lane, LaneArgs
from bot.telegram.render import render_parts

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
    ) -> None:
        self.bot = bot
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
        try:
            message = await self.retrying(call)
        except Forbidden as exc:
            log.info("user %s blocked the bot", pseudonym(chat_id))
            await self.users.set_active(chat_id, False)
            raise Blocked(str(chat_id)) from exc
        message_id = message.message_id
        if key is not None:
            await self.inbox.record_sent(key, chat_id, message_id, self.clock.now())
        return message_id

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
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply_markup,
                    message_thread_id=thread_id,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    rate_limit_args=lane_args,
                ),
                check=keys.replay,
            )
        return last_id

    async def send_replies(self, chat_id: int, replies: Sequence[Reply], keys: SendKeys) -> bool:
        """False when the user has blocked the bot (the rest is not sent)."""
        try:
            for reply in replies:
                await self.send_text(
                    chat_id, reply.text, keys=keys, markup=reply.markup, buttons=reply.buttons, lane=lane_for(reply)
                )
        except Blocked:
            return False
        return True


def lane_for(reply: Reply) -> Lane:
    """Crisis replies (marked by the dialogue) go first, ahead of every other private reply."""
    return Lane.CRISIS if getattr(reply, "crisis", False) else Lane.PRIVATE


def pseudonym(user_id: int) -> str:
    """Logs name users by a short keyed hash, never by their Telegram id."""
    return "u-" + hashlib.blake2s(str(user_id).encode(), digest_size=4, key=b"wegweiser-logs").hexdigest()
