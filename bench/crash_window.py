"""The crash window: from Telegram accepting a message to the bot's record of it being committed. A SIGKILL
inside this window sends that message again after the restart (Telegram has no idempotency key).

    python bench/crash_window.py [--users 30] [--per-user 10] [--rate-limit]

The bot runs in this process (real PTB over loopback HTTP, real SQLite) against the Bot API double, which
shares the event loop: the figures include that extra load, so they are an upper bound. Every user writes
all messages at once (the durability test's load); every third user talks to the counsellors. Prints
figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.service import CoreService  # noqa: E402
from bot.telegram.app import build_runtime, start_runtime, stop_runtime  # noqa: E402
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, serve_http  # noqa: E402
from tests.telegram.test_durability import GROUP_ID, LANGUAGES, workload  # noqa: E402


async def measure(users: int, per_user: int, rate_limit: bool, tmp: Path) -> list[float]:
    fake = FakeTelegram()
    anna = fake.user(900, "Anna", "de")
    fake.forum_group(GROUP_ID, "KI Beratung", members=[anna], admins=[anna])
    plan = workload(users, per_user)
    handles = {uid: fake.user(uid, "Neu", LANGUAGES[uid % len(LANGUAGES)]) for uid in plan}
    committed: dict[tuple[int, int], float] = {}
    async with serve_http(fake) as url:
        service = CoreService(ROOT / "knowledge", tmp / "window.sqlite3")
        await service.start()
        settings = Settings(token=DEFAULT_TOKEN, api_base_url=str(url), counsellor_chat_id=GROUP_ID)
        runtime = build_runtime(settings, service, rate_limiter=rate_limit, poll_timeout=1)
        once = runtime.sender.once

        async def timed_once(key, chat_id, call, check=True):  # type: ignore[no-untyped-def]
            message_id = await once(key, chat_id, call, check)
            if key is not None and message_id is not None:
                committed[(chat_id, message_id)] = time.monotonic()  # once() returns after the commit
            return message_id

        runtime.sender.once = timed_once  # type: ignore[method-assign]
        await start_runtime(runtime)
        polling = asyncio.create_task(runtime.poller.run())
        for round_ in range(per_user):
            for uid, messages in plan.items():
                fake.send_text(handles[uid], messages[round_])
        await asyncio.sleep(1)
        await fake.wait_until(lambda: not fake.pending_updates and not runtime.poller._tasks, timeout=600)
        await runtime.poller.stop()
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await stop_runtime(runtime)
        await service.stop()
    windows = []
    for call in fake.calls:
        if call.ok and call.method in ("sendMessage", "copyMessage") and isinstance(call.result, dict):
            done = committed.get((int(call.params["chat_id"]), int(call.result["message_id"])))
            if done is not None:
                windows.append((done - call.at) * 1000)
    return sorted(windows)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--rate-limit", action="store_true", help="PTB's AIORateLimiter, as in production")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wegweiser-window-") as tmp:
        w = await measure(args.users, args.per_user, args.rate_limit, Path(tmp))
    n = len(w)
    print(f"{n} recorded sends, {args.users} users, rate limiter {'on' if args.rate_limit else 'off'}")
    print(
        f"Telegram accepted -> record committed: median {statistics.median(w):.1f} ms, "
        f"p90 {w[int(n * 0.9)]:.1f} ms, p99 {w[min(n - 1, int(n * 0.99))]:.1f} ms, max {w[-1]:.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
