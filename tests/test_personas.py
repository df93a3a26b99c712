"""The three newcomers of the content findings: at least 12 of their 15 questions get a concrete next step.

A concrete next step is the expected entry's answer (or, for a person in danger, the emergency block) whose
reply shows a way to reach someone: a confirmed phone, e-mail, address or web page, or a nationwide number.
The questions were written from the findings, not from the FAQ's example questions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.console import format_outcome
from bot.service import CoreService

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = yaml.safe_load((ROOT / "tests" / "data" / "personas.yaml").read_text(encoding="utf-8"))["personas"]
REACHABLE = re.compile(r"☎️|✉️|🌐|📍|\b11[02]\b|116 ?\d{3}|0800")


async def _outcomes(tmp_path: Path) -> list[tuple[str, str, str | None, str]]:
    """(question, expected entry, answered entry, reply text) for every persona question."""
    service = CoreService(ROOT / "knowledge", tmp_path / "p.sqlite3", handoff=False)
    await service.start()
    results = []
    try:
        for number, persona in enumerate(PERSONAS, start=1):
            user = 1000 + number
            await service.dialogue.on_command(user, "start", "", persona["language"])
            await service.dialogue.on_button(user, f"lang:{persona['language']}")
            await service.dialogue.on_button(user, f"town:{persona['town']}")
            for item in persona["questions"]:
                match = service.dialogue.matcher.match(item["q"], persona["language"])
                outcome = await service.dialogue.on_text(user, item["q"])
                text, _ = format_outcome(outcome)
                answered = "crisis" if outcome.urgent else match.entry_id
                results.append((item["q"], item["expect"], answered, text))
    finally:
        await service.stop()
    return results


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_personas_get_a_concrete_next_step(tmp_path: Path) -> None:
    results = await _outcomes(tmp_path)
    assert len(results) == 15
    concrete = [
        q
        for q, expect, answered, text in results
        if answered in (expect, "crisis") and REACHABLE.search(text) is not None
    ]
    missing = [f"{q} -> {answered} (expected {expect})" for q, expect, answered, _ in results if q not in concrete]
    assert len(concrete) >= 12, "\n".join(missing)


async def test_a_person_forced_to_marry_gets_the_emergency_numbers_first(tmp_path: Path) -> None:
    results = await _outcomes(tmp_path)
    forced = [r for r in results if r[1] == "forced-marriage"]
    assert forced
    for _, _, answered, text in forced:
        assert answered == "crisis"
        assert "110" in text.split("\n\n")[0]
        assert "116 016" in text
