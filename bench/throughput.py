"""Throughput and reply latency through the whole stack: the bot as a subprocess (real PTB, real SQLite,
durable polling) against the Bot API double over loopback HTTP. Prints figures; not a test.

    python bench/throughput.py            # 100 and 1,000 concurrent users
    python bench/throughput.py --quick    # fewer messages
    python bench/throughput.py --unique   # every message a new text: each one is embedded (crisis classifier,
                                          # semantic layer), as with real users; by default 12 texts repeat

Each user writes a question, waits for the complete reply (answer + buttons), then writes the next
(closed loop). Latency is measured from the moment the update is available to the bot until the last
message of the reply arrived at the double. Target on a 2-core machine: >= 300 updates/s.
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

from bot.service import CoreService  # noqa: E402
from bot.telegram.render import split_text  # noqa: E402
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, serve_http  # noqa: E402

# BENCH_PROFILE=FILE runs the bot under cProfile and writes its statistics there
PROFILE = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] if os.environ.get("BENCH_PROFILE") else []

QUESTIONS = [
    "kindergeld beantragen",
    "wo kann ich mich anmelden",
    "how do i find a family doctor",
    "kita platz",
    "як отримати кіндергельд",
    "كيف بدي سجل ابني بالمدرسة",
    "integrationskurs anmelden",
    "wie wird das wetter",
    "ich suche arbeit",
    "notrufnummer",
    "nasıl iş bulabilirim",
    "где выучить немецкий бесплатно",
]


UNIQUE = False  # --unique


def question(i: int, k: int) -> str:
    """The k-th question of user i; with --unique a text never seen before (a number in brackets added)."""
    text = QUESTIONS[(i + k) % len(QUESTIONS)]
    return f"{text} ({i}.{k})" if UNIQUE else text


async def reply_counts(knowledge: Path, users: int, per_user: int, tmp: Path) -> dict[int, list[int]]:
    """How many Telegram messages each question produces, from the same core (to know when a reply is complete)."""
    service = CoreService(knowledge, tmp / "expected.sqlite3", handoff=False)
    await service.start()
    counts: dict[int, list[int]] = {}
    for i in range(users):
        uid = 10_000 + i
        await service.dialogue.on_command(uid, "language", "", "de")
        await service.dialogue.on_button(uid, "town:heinsberg")
        row = []
        for k in range(per_user):
            outcome = await service.dialogue.on_text(uid, question(i, k), "de")
            row.append(sum(len(split_text(r.text)) for r in outcome.replies))
        counts[uid] = row
    await service.stop()
    return counts


async def scenario(users: int, per_user: int, tmp: Path) -> dict[str, float]:
    knowledge = ROOT / "knowledge"
    expected = await reply_counts(knowledge, users, per_user, tmp)
    fake = FakeTelegram()
    handles = {uid: fake.user(uid, "Bench", "de", started=True) for uid in expected}
    db = tmp / f"bench-{users}.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "BOT_DB_PATH": str(db),
        "BOT_KNOWLEDGE_DIR": str(knowledge),
        "BOT_RATE_LIMIT": "off",
    }
    async with serve_http(fake) as url:
        env["TELEGRAM_API_BASE_URL"] = str(url)
        log = (tmp / f"bot-{users}.log").open("wb")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *PROFILE, str(ROOT / "run_bot.py"), env=env, stdout=log, stderr=log, cwd=str(ROOT)
        )
        await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")), timeout=60)
        # warm-up: the same set-up messages as in reply_counts, not measured
        for user in handles.values():
            fake.send_text(user, "/language")
        await fake.wait_until(lambda: len(fake.calls_to("sendMessage")) >= users, timeout=120)
        for user in handles.values():
            button_message = fake.sent_to(user)[-1]
            fake.press_button(user, button_message, "lang:de")
        await fake.wait_until(lambda: len(fake.calls_to("sendMessage")) >= users * 3, timeout=120)
        for user in handles.values():
            fake.send_text(user, "/town")
        await fake.wait_until(lambda: len(fake.calls_to("sendMessage")) >= users * 4, timeout=120)
        for user in handles.values():
            fake.press_button(user, fake.sent_to(user)[-1], "town:heinsberg")
        await fake.wait_until(lambda: len(fake.calls_to("sendMessage")) >= users * 5, timeout=120)

        received = {uid: len(fake.sent_to(user)) for uid, user in handles.items()}
        target = dict(received)
        step = dict.fromkeys(handles, 0)
        sent_at: dict[int, float] = {}
        latencies: list[float] = []
        cursor = len(fake.calls)
        start = time.perf_counter()
        for uid, user in handles.items():
            target[uid] += expected[uid][0]
            sent_at[uid] = time.perf_counter()
            fake.send_text(user, question(uid - 10_000, 0))
        open_users = set(handles)
        while open_users:
            await asyncio.sleep(0.001)
            new_calls = fake.calls[cursor:]
            cursor += len(new_calls)
            for call in new_calls:
                if call.method == "sendMessage" and call.ok:
                    chat = int(call.params["chat_id"])
                    received[chat] = received.get(chat, 0) + 1
                    if chat in open_users and received[chat] >= target[chat]:
                        latencies.append(time.perf_counter() - sent_at[chat])
                        step[chat] += 1
                        if step[chat] == per_user:
                            open_users.discard(chat)
                            continue
                        i = chat - 10_000
                        target[chat] += expected[chat][step[chat]]
                        sent_at[chat] = time.perf_counter()
                        fake.send_text(handles[chat], question(i, step[chat]))
        elapsed = time.perf_counter() - start
        proc.terminate()
        await proc.wait()
        log.close()
    latencies.sort()
    n = len(latencies)
    return {
        "users": users,
        "updates": n,
        "seconds": elapsed,
        "per_second": n / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000,
        "max": latencies[-1] * 1000,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--unique", action="store_true", help="every message a new text (each is embedded)")
    args = parser.parse_args()
    global UNIQUE
    UNIQUE = args.unique
    runs = [(100, 10 if args.quick else 30), (1000, 2 if args.quick else 5)]
    tmp = Path(tempfile.mkdtemp(prefix="wegweiser-bench-"))
    try:
        print(f"Wegweiser throughput benchmark (Python {sys.version.split()[0]}, {os.cpu_count()} cores)")
        print(f"{'users':>6} {'updates':>8} {'seconds':>8} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for users, per_user in runs:
            r = await scenario(users, per_user, tmp)
            print(
                f"{r['users']:>6} {r['updates']:>8} {r['seconds']:>8.2f} {r['per_second']:>10.0f} "
                f"{r['p50']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f}"
            )
        print("target: >= 300 updates/s (ten times Telegram's 30 messages/s limit)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
