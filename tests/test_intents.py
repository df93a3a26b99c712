"""Asking for a person in words: every such request of the labelled devset is recognised, nothing else is."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.dialogue.intents import wants_person

DEVSET = Path(__file__).parent / "data" / "devset.yaml"


def test_devset_requests_for_a_person_and_nothing_else() -> None:
    questions = yaml.safe_load(DEVSET.read_text(encoding="utf-8"))["questions"]
    requests = [q["q"] for q in questions if q["expect"] == "talk-to-counsellor"]
    others = [q["q"] for q in questions if q["expect"] != "talk-to-counsellor"]
    assert len(requests) >= 10
    assert [q for q in requests if not wants_person(q)] == []
    assert [q for q in others if wants_person(q)] == []


def test_long_messages_and_mentions_stay_questions() -> None:
    assert not wants_person("how do i talk to someone at the immigration office about my residence permit please")
    assert not wants_person("wo finde ich einen berater für schulden")
    assert wants_person("human")
    assert wants_person("بشخص بدي احكي")  # a clitic on the person word
