"""Private replies while the counsellor group is saturated: the bot as a subprocess (production code path,
Telegram's limits ON) against the Bot API double over loopback HTTP, which enforces a group's 20
messages a minute with 429s like Telegram. Prints figures; not a test.

    python bench/private_latency.py            # 16 busy tickets, 60 /help probes, 20 crisis probes
    python bench/private_latency.py --quick    # fewer probes

Scenario of issue #14: 16 newcomers open tickets and write 2 messages each, far more than the group's
20 messages a minute; meanwhile unrelated newcomers send /help (and messages in crisis). Latency is from
the moment the update is available to the bot until the (first) reply message arrived at the double.
Target on this machine: p99 of a private reply < 1 s while the group backlog lasts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, UserHandle, serve_http  # noqa: E402

GROUP_ID = -1001000000001
CRISIS = ["ich will mich umbringen", "i want to die", "بدي انتحر", "хочу умереть", "ölmek istiyorum"]


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    n = len(ordered)
    p99 = ordered[min(n - 1, int(n * 0.99))]
    return (
        f"n={n:>3}  p50 {statistics.median(ordered) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
        f"max {ordered[-1] * 1000:7.1f} ms"
    )


async def probe(fake: FakeTelegram, user: UserHandle, text: str) -> float:
    start = time.perf_counter()
    fake.send_text(user, text)
    await fake.wait_for_reply(user, timeout=60)
    return time.perf_counter() - start


def group_messages(fake: FakeTelegram) -> int:
    """Requests the bot got through to the group (topics, cards, relays, edits)."""
    return len(
        [
            c
            for c in fake.calls
            if c.ok and c.method != "getChatMember" and str(c.params.get("chat_id")) == str(GROUP_ID)
        ]
    )


async def run(probes: int, crisis_probes: int, tmp: Path) -> None:
    fake = FakeTelegram()
    anna = fake.user(900, "Anna", "de")
    fake.forum_group(GROUP_ID, "KI Beratung", members=[anna], admins=[anna])
    fake.flood(None, group_per_minute=20)  # Telegram's group limit, answered with 429 like Telegram
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "BOT_DB_PATH": str(tmp / "bench.sqlite3"),
        "BOT_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "COUNSELLOR_CHAT_ID": str(GROUP_ID),
        "BOT_RATE_LIMIT": "on",  # the production limiter with its lanes and Telegram's limits
    }
    async with serve_http(fake) as url:
        env["TELEGRAM_API_BASE_URL"] = str(url)
        log = (tmp / "bot.log").open("wb")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "run_bot.py"), env=env, stdout=log, stderr=log, cwd=str(ROOT)
        )
        try:
            await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")), timeout=60)
            idle_probe = fake.user(3000, "Idle", "de", started=True)
            idle = [await probe(fake, idle_probe, "/help") for _ in range(10)]
            # 16 tickets, each with 2 messages: topics, cards and relays, far over 20 group messages a minute
            busy = [fake.user(1000 + i, "Busy", "de", started=True) for i in range(16)]
            for user in busy:
                fake.send_text(user, "/human")
            await fake.wait_until(lambda: all(len(fake.sent_to(u)) >= 2 for u in busy), timeout=60)
            for user in busy:
                fake.send_text(user, "ich brauche hilfe mit dem jobcenter")
                fake.send_text(user, "es ist dringend, bitte melden")
            await fake.wait_until(lambda: group_messages(fake) >= 20, timeout=60)
            sent_before = group_messages(fake)
            private = []
            for i in range(probes):
                user = fake.user(2000 + i, "Probe", "de", started=True)
                private.append(await probe(fake, user, "/help"))
                await asyncio.sleep(0.05)
            crisis = []
            for i in range(crisis_probes):
                user = fake.user(4000 + i, "Crisis", "de", started=True)
                crisis.append(await probe(fake, user, CRISIS[i % len(CRISIS)]))
                await asyncio.sleep(0.05)
            sent_after = group_messages(fake)
            expected_group = 16 * (2 + 2)  # topic, card and two relays per ticket
            refused = len([c for c in fake.calls if not c.ok and "Too Many Requests" in (c.description or "")])
        finally:
            proc.terminate()
            await proc.wait()
            log.close()
    print(
        f"Wegweiser private-reply latency under a saturated group (Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, limits ON)"
    )
    print(f"idle group       /help    {figures(idle)}")
    print(f"saturated group  /help    {figures(private)}")
    print(f"saturated group  crisis   {figures(crisis)}")
    print(
        f"group requests done while probing: {sent_after - sent_before}; "
        f"still waiting for the group's minute afterwards: {max(0, expected_group - sent_after)} of {expected_group}"
    )
    print(f"429 answers from the double: {refused} (the limiter keeps the group under its limit)")
    print("target: p99 of a private reply < 1 s while the group is saturated")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wegweiser-lanes-"))
    try:
        await run(20 if args.quick else 60, 10 if args.quick else 20, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
