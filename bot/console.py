"""A console chat that drives the same dialogue core as Telegram: no token, no network.

Type a question, a /command, or the number of a button shown in [brackets].
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.config import load_settings
from bot.dialogue.replies import Button, Outcome
from bot.service import CoreService
from bot.telegram.render import plain

CONSOLE_USER_ID = 1


def format_outcome(outcome: Outcome) -> tuple[str, list[Button]]:
    """Plain text of the replies with numbered buttons; returns the buttons in number order."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in outcome.replies:
        lines.append(plain(reply.text) if reply.markup else reply.text)
        for row in reply.buttons:
            cells = []
            for button in row:
                buttons.append(button)
                cells.append(f"[{len(buttons)}] {button.label}")
            lines.append("   ".join(cells))
        lines.append("")
    return "\n".join(lines), buttons


async def chat(
    service: CoreService, read: Callable[[], str | None], write: Callable[[str], None], language: str | None = None
) -> None:
    """The loop, with input and output injected so tests can drive it."""
    dialogue = service.dialogue
    outcome = await dialogue.on_command(CONSOLE_USER_ID, "start", language or "", None)
    text, buttons = format_outcome(outcome)
    write(text)
    while True:
        line = read()
        if line is None:
            return
        line = line.strip()
        if line in ("/quit", "/exit"):
            return
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            outcome = await dialogue.on_button(CONSOLE_USER_ID, buttons[int(line) - 1].action)
        elif line.startswith("/"):
            command, _, args = line[1:].partition(" ")
            outcome = await dialogue.on_command(CONSOLE_USER_ID, command, args)
        else:
            outcome = await dialogue.on_text(CONSOLE_USER_ID, line)
        text, new_buttons = format_outcome(outcome)
        buttons = new_buttons or buttons
        write(text)


def run_console(knowledge_dir: Path, language: str | None = None, stdin: TextIO = sys.stdin) -> None:
    async def main() -> None:
        vectors = load_settings().db_path.parent / "example-vectors.npz"  # the first start embeds, later ones not
        service = CoreService(knowledge_dir, ":memory:", handoff=False, vector_cache=vectors)
        await service.start()
        print("Wegweiser console chat – type a question, /menu, /help, a button number, or /quit.\n")

        def read() -> str | None:
            try:
                line = stdin.readline() if stdin is not sys.stdin else input("> ")
            except EOFError:
                return None
            return line if line or stdin is sys.stdin else None

        try:
            await chat(service, read, print, language)
        finally:
            await service.stop()

    asyncio.run(main())
