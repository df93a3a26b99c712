"""Webhook mode (optional): the bot registers its URL with a secret, stores each update before it answers
200, and refuses requests without the secret; huge, slow, idle or malformed requests cost nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from bot.clock import Clock
from bot.storage.db import Database
from bot.storage.inbox import InboxStore
from bot.telegram.webhook import Limits, WebhookServer
from tests.conftest import ROOT
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, UserHandle, serve_http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


BOT_SECRET = "s3cret-token"


@contextlib.asynccontextmanager
async def webhook_bot(
    fake: FakeTelegram, kb_dir: Path, tmp_path: Path, port: int, **extra: str
) -> AsyncIterator[tuple[asyncio.subprocess.Process, Path]]:
    """`python run_bot.py` in webhook mode against the Bot API double, up until setWebhook was called;
    stopped with SIGTERM on the way out. Yields the process and its log file."""
    async with serve_http(fake) as url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": str(url),
            "BOT_DB_PATH": str(tmp_path / "db.sqlite3"),
            "BOT_KNOWLEDGE_DIR": str(kb_dir),
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": BOT_SECRET,  # Telegram accepts only A-Z, a-z, 0-9, _ and -
            "WEBHOOK_PORT": str(port),
            **extra,
        }
        log = tmp_path / "bot.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "run_bot.py"), env=env, stdout=out, stderr=out, cwd=str(ROOT)
            )
        try:
            await fake.wait_until(lambda: fake.webhook is not None, timeout=60)
            yield proc, log
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)


def text_update(update_id: int, user: UserHandle, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1795679441,
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "text": text,
        },
    }


async def test_webhook_stores_then_answers_and_checks_the_secret(kb_dir: Path, tmp_path: Path) -> None:
    fake = FakeTelegram()
    user = fake.user(4242, "Webhook", "de")
    port = free_port()
    async with webhook_bot(fake, kb_dir, tmp_path, port, WEBHOOK_LISTEN="127.0.0.1") as (proc, log):
        assert fake.webhook is not None
        assert fake.webhook["url"] == "https://bot.example.org/telegram"
        update = text_update(777, user, "kindergeld beantragen")
        fake.send_text(user, "(the user wrote the message that Telegram now pushes)")  # opens the chat
        async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
            for _ in range(100):  # the server comes up right after setWebhook
                try:
                    refused = await client.post(f"http://127.0.0.1:{port}/telegram", content=json.dumps(update))
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403  # no secret header
            for _ in range(2):  # Telegram re-delivers: stored once, answered once
                ok = await client.post(
                    f"http://127.0.0.1:{port}/telegram",
                    content=json.dumps(update),
                    headers={"X-Telegram-Bot-Api-Secret-Token": BOT_SECRET},
                )
                assert ok.status_code == 200
        (answer,) = await fake.wait_for_reply(user, timeout=30)
        assert "Familienkasse" in (answer.text or "")
        await asyncio.sleep(0.5)
        assert len(fake.sent_to(user)) == 1
    assert proc.returncode == 0, log.read_text()


# -- abuse over loopback HTTP with raw sockets ---------------------------------------------------------------

SECRET = "s3cret-tøken"  # non-ASCII on purpose: Telegram allows only A-Z a-z 0-9 _ -, operators may still err


class Dispatched:
    def __init__(self) -> None:
        self.updates: list[int] = []

    def dispatch(self, update_id: int, payload: dict[str, object]) -> None:
        self.updates.append(update_id)


@contextlib.asynccontextmanager
async def webhook_server(
    tmp_path: Path, limits: Limits | None = None
) -> AsyncIterator[tuple[int, Dispatched, Database]]:
    dispatched = Dispatched()
    async with Database(tmp_path / "webhook.sqlite3") as db:
        server = WebhookServer(InboxStore(db), dispatched, Clock(), SECRET, "/telegram", limits)
        port = await server.start("127.0.0.1", 0)
        try:
            yield port, dispatched, db
        finally:
            await server.stop()


async def exchange(port: int, raw: bytes, within: float = 5.0) -> bytes:
    """Send raw bytes, return what the server answers before it closes (b"" when it just hangs up)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        with contextlib.suppress(ConnectionError):
            return await asyncio.wait_for(reader.read(65536), within)
        return b""
    finally:
        writer.close()


def post(body: bytes, secret: bytes | None = SECRET.encode(), extra: bytes = b"") -> bytes:
    """A raw POST to the webhook path; the secret as given (bytes, so tests can send any)."""
    head = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n"
    if secret is not None:
        head += b"X-Telegram-Bot-Api-Secret-Token: " + secret + b"\r\n"
    return head + extra + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


async def test_store_before_200_and_the_secret_checked(tmp_path: Path) -> None:
    async with webhook_server(tmp_path) as (port, dispatched, db):
        assert status_of(await exchange(port, post(b'{"update_id": 41}'))) == 200
        assert dispatched.updates == [41]
        assert [uid for uid, _ in await InboxStore(db).pending()] == [41]  # committed before the answer
        assert status_of(await exchange(port, post(b'{"update_id": 42}', secret=None))) == 403
        assert status_of(await exchange(port, post(b'{"update_id": 42}', secret=b"wrong"))) == 403
        non_ascii = "s3cret-tøken".encode()  # the right secret, sent as UTF-8 bytes
        assert status_of(await exchange(port, post(b'{"update_id": 43}', secret=non_ascii))) == 200
        for wrong in (b"\xff\xfe\xe4", "s3cret-tüken".encode(), b"s3cret-t\xf8ken"):  # latin-1 is not our secret
            assert status_of(await exchange(port, post(b'{"update_id": 44}', secret=wrong))) == 403
        assert dispatched.updates == [41, 43]


async def test_malformed_requests_get_400(tmp_path: Path) -> None:
    async with webhook_server(tmp_path) as (port, dispatched, _):
        for body in (b"{x}", b"[]", b'{"update_id": "abc"}', b'{"message": {}}', b"\xff\xfe", b"[" * 100_000):
            assert status_of(await exchange(port, post(body))) == 400, body[:20]
        negative = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: -5\r\n\r\n"
        assert status_of(await exchange(port, negative)) == 400
        double = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
        assert status_of(await exchange(port, double)) == 400
        assert status_of(await exchange(port, b"\x00\x01\x02 nonsense\r\n\r\n")) == 400
        too_big = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: 50000000\r\n\r\n"
        assert status_of(await exchange(port, too_big)) == 400
        assert status_of(await exchange(port, b"GET /telegram HTTP/1.1\r\nHost: bot\r\n\r\n")) == 405
        assert status_of(await exchange(port, b"POST /other HTTP/1.1\r\nHost: bot\r\nContent-Length: 0\r\n\r\n")) == 404
        assert dispatched.updates == []
        assert status_of(await exchange(port, post(b'{"update_id": 7}'))) == 200  # and it still works


async def test_huge_headers_are_cut_off_before_the_secret_is_even_read(tmp_path: Path) -> None:
    async with webhook_server(tmp_path) as (port, dispatched, _):
        huge = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nX-Junk: " + b"a" * 2_000_000 + b"\r\n\r\n"
        answers = await asyncio.gather(*(exchange(port, huge) for _ in range(20)))
        assert all(status_of(a) in (0, 400, 431) for a in answers)  # closed after 8 KB, never accepted
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
        assert status_of(await exchange(port, post(b'{"update_id": 8}', extra=many))) in (0, 400, 431)
        assert dispatched.updates == []
        assert status_of(await exchange(port, post(b'{"update_id": 9}'))) == 200


async def test_idle_and_slow_connections_are_closed_and_capped(tmp_path: Path) -> None:
    limits = Limits(header_seconds=0.5, body_seconds=0.5, max_connections=20)
    async with webhook_server(tmp_path, limits) as (port, dispatched, _):
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(60)]
        await asyncio.sleep(0.2)

        async def closed(reader: asyncio.StreamReader, within: float) -> bool:
            try:
                return await asyncio.wait_for(reader.read(1), within) == b""
            except TimeoutError:
                return False
            except ConnectionError:
                return True

        refused = [await closed(r, 0.05) for r, _ in idle]
        assert sum(refused) >= 40  # over the cap: closed at once
        assert all(await asyncio.gather(*(closed(r, 3.0) for r, _ in idle)))  # the rest after the idle time
        for _, writer in idle:
            writer.close()
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", port)
        slow_writer.write(b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\n{")  # body never ends
        assert await closed(slow_reader, 3.0)
        slow_writer.close()
        assert status_of(await exchange(port, post(b'{"update_id": 10}'))) == 200
        assert dispatched.updates == [10]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_production_webhook_survives_abuse_with_bounded_memory(kb_dir: Path, tmp_path: Path) -> None:
    """`python run_bot.py` in webhook mode: header floods, idle connections and broken requests cost no
    memory to speak of, and a real update still gets its answer."""
    fake = FakeTelegram()
    user = fake.user(4343, "Webhook", "de")
    port = free_port()
    async with webhook_bot(fake, kb_dir, tmp_path, port) as (proc, log):  # WEBHOOK_LISTEN unset: 127.0.0.1
        for _ in range(100):
            try:
                await exchange(port, post(b"{}", secret=BOT_SECRET.encode()))
                break
            except ConnectionError:
                await asyncio.sleep(0.1)
        before = rss_kb(proc.pid)
        huge = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nX-Junk: " + b"a" * 5_000_000 + b"\r\n\r\n"
        lines = b"POST /telegram HTTP/1.1\r\nHost: bot\r\n" + b"".join(
            b"X-Junk-%06d: aaaa\r\n" % i for i in range(200_000)
        )
        for flood in (huge, lines):  # one endless header line; endless short header lines (5 MB each)
            for _ in range(2):
                await asyncio.gather(*(exchange(port, flood) for _ in range(25)))
        nasty = [
            b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: -5\r\n\r\n",
            post(b'{"update_id": 1}', secret=b"\xff\xfe\xe4"),
            post(b"{not json", secret=BOT_SECRET.encode()),
        ]
        assert [status_of(await exchange(port, raw)) for raw in nasty] == [400, 403, 400]
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(200)]
        await asyncio.sleep(0.5)
        over_the_cap = 0
        for reader, _ in idle:
            with contextlib.suppress(TimeoutError, ConnectionError):
                over_the_cap += await asyncio.wait_for(reader.read(1), 0.01) == b""
        assert over_the_cap >= 100  # the server keeps at most 100 connections open
        for _, writer in idle:
            writer.close()
        grown_mb = (rss_kb(proc.pid) - before) / 1024
        print(f"webhook process memory: {before / 1024:.0f} MB before, grew by {grown_mb:.1f} MB")
        assert grown_mb < 25, f"memory grew by {grown_mb:.0f} MB"
        assert proc.returncode is None  # still running
        fake.send_text(user, "(opens the chat)")
        update = text_update(900001, user, "kindergeld beantragen")
        for _ in range(50):  # the idle connections may still hold the cap for a moment
            answer = await exchange(port, post(json.dumps(update).encode(), secret=BOT_SECRET.encode()))
            if status_of(answer) == 200:
                break
            await asyncio.sleep(0.2)
        assert status_of(answer) == 200
        (reply,) = await fake.wait_for_reply(user, timeout=30)
        assert "Familienkasse" in (reply.text or "")
    text = log.read_text()
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert "aaaa" not in text
