"""The console chat drives the same core: a scripted conversation, and the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.console import chat
from bot.service import CoreService
from tests.conftest import ROOT


async def test_scripted_console_conversation(kb_dir: Path, tmp_path: Path) -> None:
    service = CoreService(kb_dir, ":memory:", handoff=False)
    await service.start()
    inputs = iter(["/language", "2", "/menu", "1", "1", "i want to talk to a human", "/quit"])
    output: list[str] = []
    await chat(service, lambda: next(inputs, None), output.append)
    await service.stop()
    transcript = "\n".join(output)
    assert "[1] Deutsch   [2] English" in transcript  # the language picker, numbered
    assert "The language is now English." in transcript
    assert "Registering your address" in transcript  # category -> topic via numbers
    # a request for a person (in words: no yes/no first) explains that this only works in Telegram
    assert "Telegram" in output[-1]


def test_console_command_line_runs_without_token(kb_dir: Path) -> None:
    env = {"PATH": "", "PYTHONPATH": str(ROOT), "BOT_KNOWLEDGE_DIR": str(kb_dir)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")],
        input="kindergeld beantragen\n/quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stdout
    assert "Familienkasse" in result.stdout
