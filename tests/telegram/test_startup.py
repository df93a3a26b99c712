"""Starting the real program: a wrong token gives a clear message and exit code, never a traceback storm."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.telegram.botapi_double import FakeTelegram, serve_http


async def test_wrong_token_is_reported_clearly(kb_dir: Path, tmp_path: Path) -> None:
    fake = FakeTelegram()
    async with serve_http(fake) as url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "TELEGRAM_API_BASE_URL": str(url),
            "BOT_DB_PATH": str(tmp_path / "db.sqlite3"),
            "BOT_KNOWLEDGE_DIR": str(kb_dir),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "run_bot.py"),
            env=env,
            cwd=str(ROOT),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = output.decode()
    assert proc.returncode == 3, text
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in text
    assert "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" not in text  # the token itself is never printed


async def test_broken_knowledge_stops_with_file_and_line(kb_dir: Path, tmp_path: Path) -> None:
    (kb_dir / "towns.yaml").write_text("towns:\n  - {id: erkelenz, name: Erkelenz\n", encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        "--knowledge",
        str(kb_dir),
        cwd=str(ROOT),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    assert "towns.yaml:3: invalid YAML" in output.decode()
