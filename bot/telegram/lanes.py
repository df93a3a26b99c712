"""Sending lanes: crisis replies first, then private replies, then the counsellor group.

Why: Telegram allows a group about 20 messages a minute. When one queue served everyone, sixteen busy
tickets made an unrelated newcomer's /help wait 13-37 s behind the group's limit. Here each request
first waits for its own limits (a group's per-minute window, the bot's overall per-second window) and
only then takes one of the few in-flight slots, by priority; the group may hold only part of them.
So a waiting group send never holds a slot a private reply needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import heapq
import itertools
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

IN_FLIGHT = 4  # httpcore scans its queue per request: few parallel requests are cheapest
GROUP_SHARE = 2  # at most this many of them for group traffic, so private replies always find one
OVERALL_PER_SECOND = 30  # Telegram: about 30 messages a second in all
GROUP_PER_MINUTE = 20  # Telegram: about 20 messages a minute in one group
UNLIMITED_ENDPOINTS = frozenset({"getMe", "getChat", "getChatMember", "getFile", "answerCallbackQuery"})


class Lane(enum.IntEnum):
    CRISIS = 0
    PRIVATE = 1
    GROUP = 2


class LaneArgs(TypedDict, total=False):
    """`rate_limit_args` of a bot call: {"lane": Lane.CRISIS} puts it first."""

    lane: Lane


class PrioritySlots:
    """A semaphore whose waiters are served by lane (crisis, private, group), FIFO within a lane;
    group traffic holds at most `group_share` slots."""

    def __init__(self, size: int = IN_FLIGHT, group_share: int = GROUP_SHARE) -> None:
        self.free = size
        self.group_share = group_share
        self.group_busy = 0
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def _can_take(self, lane: Lane) -> bool:
        return self.free > 0 and (lane is not Lane.GROUP or self.group_busy < self.group_share)

    def _take(self, lane: Lane) -> None:
        self.free -= 1
        if lane is Lane.GROUP:
            self.group_busy += 1

    async def acquire(self, lane: Lane) -> None:
        ahead = any(w[0] <= lane and not w[2].done() for w in self._waiters)
        if not ahead and self._can_take(lane):
            self._take(lane)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (int(lane), next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release(lane)  # the slot was handed over just before the cancellation
            raise

    def release(self, lane: Lane) -> None:
        self.free += 1
        if lane is Lane.GROUP:
            self.group_busy -= 1
        self._wake()

    def _wake(self) -> None:
        kept: list[tuple[int, int, asyncio.Future[None]]] = []
        while self._waiters and self.free > 0:
            lane_value, order, future = heapq.heappop(self._waiters)
            if future.done():
                continue
            lane = Lane(lane_value)
            if self._can_take(lane):
                self._take(lane)
                future.set_result(None)
            else:  # a group waiter while the group's share is used: private ones behind it go first
                kept.append((lane_value, order, future))
        for item in kept:
            heapq.heappush(self._waiters, item)

    @contextlib.asynccontextmanager
    async def slot(self, lane: Lane) -> Any:
        await self.acquire(lane)
        try:
            yield
        finally:
            self.release(lane)


class Window:
    """At most `limit` starts per `period` seconds; waiters queue FIFO. `block` pauses it (after a 429)."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._starts: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()

    def block(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._blocked_until = max(self._blocked_until, loop.time() + seconds)

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            while True:
                now = loop.time()
                while self._starts and now - self._starts[0] >= self.period:
                    self._starts.popleft()
                wait = self._blocked_until - now
                if len(self._starts) >= self.limit:
                    wait = max(wait, self.period - (now - self._starts[0]))
                if wait <= 0:
                    self._starts.append(now)
                    return
                await asyncio.sleep(wait)


def lane_of(data: JSONDict, args: LaneArgs | None) -> tuple[Lane, int | None]:
    """The lane of a request and the group it goes to (None: not a group)."""
    chat = data.get("chat_id")
    group: int | None = None
    if isinstance(chat, int) and chat < 0:
        group = chat
    elif isinstance(chat, str) and (chat.startswith("@") or chat.startswith("-")):
        group = hash(chat)
    if group is not None:
        return Lane.GROUP, group
    lane = (args or {}).get("lane", Lane.PRIVATE)
    return Lane(lane), None


class LaneRateLimiter(BaseRateLimiter[LaneArgs]):
    """PTB's rate limiter hook with priority lanes. `limits=False` keeps the lanes and slots but not
    Telegram's limits (tests against the double, benchmarks)."""

    def __init__(
        self,
        *,
        limits: bool = True,
        in_flight: int = IN_FLIGHT,
        group_share: int = GROUP_SHARE,
        overall_per_second: int = OVERALL_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
    ) -> None:
        self.limits = limits
        self.slots = PrioritySlots(in_flight, group_share)
        self.overall = Window(overall_per_second, 1.0)
        self.group_per_minute = group_per_minute
        self._groups: dict[int, Window] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _group_window(self, group: int) -> Window:
        window = self._groups.get(group)
        if window is None:
            window = self._groups[group] = Window(self.group_per_minute, 60.0)
        return window

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: LaneArgs | None,
    ) -> bool | JSONDict | list[JSONDict]:
        lane, group = lane_of(data, rate_limit_args)
        limited = self.limits and endpoint not in UNLIMITED_ENDPOINTS
        if limited and group is not None:
            await self._group_window(group).acquire()
        if limited:
            await self.overall.acquire()
        async with self.slots.slot(lane):  # the slot only after the limits: waiting holds no slot
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                # the caller (Sender.retrying) waits and retries; meanwhile no other send to the same
                # group hits the same wall (a private chat's 429 concerns that chat only)
                wait = exc.retry_after
                seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
                if group is not None:
                    self._group_window(group).block(seconds)
                raise
