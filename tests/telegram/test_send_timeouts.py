"""Telegram answers slowly or through an error page: the user still sees each message once, and the log
says what happened without an alarm."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.service import CoreService
from bot.telegram.app import SEND_READ_TIMEOUT, build_runtime, start_runtime, stop_runtime
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, serve_http
from tests.telegram.conftest import World


async def test_a_slow_but_successful_answer_is_not_sent_again(kb_dir: Path, tmp_path: Path, clock: FixedClock) -> None:
    """Over loopback HTTP with the production request settings (not a test double's timeouts)."""
    assert SEND_READ_TIMEOUT >= 20
    fake = FakeTelegram()
    user = fake.user(4711, "Langsam", "de")
    async with serve_http(fake) as url:
        service = CoreService(kb_dir, tmp_path / "slow.sqlite3", clock=clock, handoff=False)
        await service.start()
        settings = Settings(token=DEFAULT_TOKEN, api_base_url=str(url))
        runtime = build_runtime(settings, service, rate_limiter=False, poll_timeout=1, backoff=0.05)
        await start_runtime(runtime)
        polling = asyncio.create_task(runtime.poller.run())
        try:
            fake.fail_next("sendMessage", "slow", delay=7.0)  # delivered at once, answered after 7 s
            fake.send_text(user, "kindergeld beantragen")
            (answer,) = await fake.wait_for_reply(user, timeout=30)
            assert "Familienkasse" in (answer.text or "")
            await fake.wait_until(lambda: not runtime.poller._tasks, timeout=30)
            await asyncio.sleep(0.3)
            assert len(fake.sent_to(user)) == 1
            assert len(fake.calls_to("sendMessage")) == 1  # no resend after PTB's old 5 s timeout
        finally:
            await runtime.poller.stop()
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
            await stop_runtime(runtime)
            await service.stop()


async def test_a_retried_502_page_logs_a_warning_without_traceback(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    user = world.user(4712, "de")
    world.fake.fail_next("sendMessage", "502", times=2)
    with caplog.at_level(logging.INFO):
        world.fake.send_text(user, "kindergeld beantragen")
        (answer,) = await world.fake.wait_for_reply(user)
        await world.idle()
    assert "Familienkasse" in (answer.text or "")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    retried = [r for r in caplog.records if r.levelno == logging.WARNING and "NetworkError" in r.getMessage()]
    assert len(retried) == 2
    assert all(r.exc_info is None for r in retried)
    assert "<html" not in caplog.text.lower()
