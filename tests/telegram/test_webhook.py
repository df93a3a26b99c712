"""Webhook mode (optional): the bot registers its URL with a secret, stores each update before it answers
200, and refuses requests without the secret."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from tests.conftest import ROOT
from tests.telegram.botapi_double import DEFAULT_TOKEN, FakeTelegram, serve_http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_stores_then_answers_and_checks_the_secret(kb_dir: Path, tmp_path: Path) -> None:
    fake = FakeTelegram()
    user = fake.user(4242, "Webhook", "de")
    port = free_port()
    async with serve_http(fake) as url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": str(url),
            "BOT_DB_PATH": str(tmp_path / "db.sqlite3"),
            "BOT_KNOWLEDGE_DIR": str(kb_dir),
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": "s3cret-token",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        log = tmp_path / "bot.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "run_bot.py"), env=env, stdout=out, stderr=out, cwd=str(ROOT)
            )
        try:
            await fake.wait_until(lambda: fake.webhook is not None, timeout=60)
            assert fake.webhook is not None
            assert fake.webhook["url"] == "https://bot.example.org/telegram"
            update = {
                "update_id": 777,
                "message": {
                    "message_id": 1,
                    "date": 1795679441,
                    "chat": {"id": user.id, "type": "private", "first_name": "Webhook"},
                    "from": user.to_dict(),
                    "text": "kindergeld beantragen",
                },
            }
            fake.send_text(user, "(the user wrote the message that Telegram now pushes)")  # opens the chat
            async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
                for _ in range(100):  # the server comes up right after setWebhook
                    try:
                        refused = await client.post(f"http://127.0.0.1:{port}/telegram", content=json.dumps(update))
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert refused.status_code == 403  # no secret header
                ok = await client.post(
                    f"http://127.0.0.1:{port}/telegram",
                    content=json.dumps(update),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
                )
                assert ok.status_code == 200
                again = await client.post(  # Telegram re-delivers: stored once, answered once
                    f"http://127.0.0.1:{port}/telegram",
                    content=json.dumps(update),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
                )
                assert again.status_code == 200
            (answer,) = await fake.wait_for_reply(user, timeout=30)
            assert "Familienkasse" in (answer.text or "")
            await asyncio.sleep(0.5)
            assert len(fake.sent_to(user)) == 1
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0, log.read_text()
