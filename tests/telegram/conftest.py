"""End-to-end harness: the real PTB application, our runtime and durable poller, against FakeTelegram."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Counsellor, Settings
from bot.handoff.hours import OfficeHours
from bot.service import CoreService
from bot.telegram.app import BotRuntime, build_runtime, start_runtime, stop_runtime
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeChat, FakeRequest, FakeTelegram, UserHandle, serve_http

GROUP_ID = -1001000000001
ADMIN_ID = 999


@dataclass
class World:
    fake: FakeTelegram
    runtime: BotRuntime
    service: CoreService
    group: FakeChat
    anna: UserHandle  # counsellor, speaks ar and de
    ben: UserHandle  # counsellor
    clock: FixedClock

    def user(self, uid: int, language: str | None = "de", name: str = "Newcomer") -> UserHandle:
        return self.fake.user(uid, name, language)

    async def idle(self, stall_seconds: float = 10.0) -> None:
        """Wait until every stored update has been handled. Fail only when nothing moves for `stall_seconds`: on a
        loaded machine (CI beside other work) 40 updates took longer than the fixed 4 s this once waited, and a slow
        bot is not a stuck one."""
        loop = asyncio.get_running_loop()
        last: tuple[object, ...] = ()
        since = loop.time()
        while True:
            await asyncio.sleep(0.01)
            counts = await self.runtime.inbox.counts()
            waiting = len(self.fake.pending_updates)  # a copy of the double's queue: read once per look
            if not counts.get("pending") and not waiting and not self.runtime.poller._tasks:
                return
            state = (*sorted(counts.items()), waiting, len(self.fake.calls))
            if state != last:
                last, since = state, loop.time()
            elif loop.time() - since > stall_seconds:
                raise AssertionError(f"bot did not become idle (stuck for {stall_seconds:.0f} s): {counts}")


@contextlib.asynccontextmanager
async def running_world(
    kb_dir: Path,
    db_path: Path,
    clock: FixedClock,
    office_hours: OfficeHours,
    *,
    rate_limiter: bool = False,
    fake: FakeTelegram | None = None,
    over_http: bool = False,
) -> AsyncIterator[World]:
    """A running bot; pass the `fake` of an earlier world to restart the bot in the same Telegram.
    `over_http`: the bot talks to the double over loopback HTTP with PTB's own HTTP client."""
    if fake is None:
        fake = FakeTelegram()
        anna = fake.user(900, "Anna", "de")
        ben = fake.user(901, "Ben", "de")
        group = fake.forum_group(GROUP_ID, "KI Beratung", members=[anna, ben], admins=[anna])
    else:
        anna, ben, group = fake.users[900], fake.users[901], fake.chats[GROUP_ID]
    stack = contextlib.AsyncExitStack()
    url = await stack.enter_async_context(serve_http(fake)) if over_http else None
    settings = Settings(
        token=DEFAULT_TOKEN,
        api_base_url=str(url) if url is not None else Settings.api_base_url,
        counsellor_chat_id=GROUP_ID,
        admin_ids=frozenset({ADMIN_ID}),
        counsellors=(Counsellor(900, ("ar", "de")),),
        office_hours=office_hours,
        reminder_minutes=30,
    )
    service = CoreService(kb_dir, db_path, clock=clock, office_hours=office_hours)
    await service.start()
    runtime = build_runtime(
        settings,
        service,
        request=None if over_http else FakeRequest(fake),
        get_updates_request=None if over_http else FakeRequest(fake),
        rate_limiter=rate_limiter,
        poll_timeout=1,
        backoff=0.01,
    )
    await start_runtime(runtime)
    polling = asyncio.create_task(runtime.poller.run())
    try:
        yield World(fake, runtime, service, group, anna, ben, clock)
    finally:
        await runtime.poller.stop()
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await stop_runtime(runtime)
        await service.stop()
        await stack.aclose()
    assert fake.unknown_methods == [], f"the bot called methods Telegram does not have: {fake.unknown_methods}"


@pytest.fixture
async def world(kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours) -> AsyncIterator[World]:
    async with running_world(kb_dir, tmp_path / "bot.sqlite3", clock, office_hours) as w:
        yield w
