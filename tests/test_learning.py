"""Learn from use: taps that label unanswered questions, their retention, the report and the FAQ writer."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.clock import FixedClock, to_text
from bot.dialogue.learning import learned_from_tap
from bot.knowledge import load_knowledge
from bot.reports.learned import Proposal, accept, format_yaml, insert_questions, propose
from bot.service import CoreService
from bot.storage.learned import LearnedQuestion
from tests.conftest import KNOWLEDGE, ROOT

USER = 7
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def pending(last_answer: str, minutes_ago: float = 1) -> dict[str, object]:
    return {
        "last_question": "wohnung kindergeld",
        "last_answer": last_answer,
        "asked_at": to_text(NOW - dt.timedelta(minutes=minutes_ago)),
    }


def test_a_tap_on_an_offered_suggestion_labels_the_question() -> None:
    state = pending("suggest: child-benefit, address-registration")
    assert learned_from_tap(state, "address-registration", NOW) == ("wohnung kindergeld", "suggest")
    assert learned_from_tap(state, "address-registration", NOW) is None  # once per question


def test_a_tap_on_something_not_offered_labels_nothing() -> None:
    assert learned_from_tap(pending("suggest: child-benefit"), "emergency-numbers", NOW) is None
    assert learned_from_tap(pending("Kindergeld"), "child-benefit", NOW) is None  # it was answered


def test_a_menu_tap_counts_after_a_fallback_only_for_a_few_minutes() -> None:
    assert learned_from_tap(pending("fallback", minutes_ago=3), "child-benefit", NOW) == (
        "wohnung kindergeld",
        "fallback",
    )
    assert learned_from_tap(pending("fallback", minutes_ago=30), "child-benefit", NOW) is None


async def test_dialogue_records_a_tapped_suggestion(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "anmeldung kindergeld", "de")
    offered = [b.action for r in out.replies for row in r.buttons for b in row]
    assert "e:address-registration" in offered
    await service.dialogue.on_button(USER, "e:address-registration")
    await service.dialogue.on_button(USER, "e:address-registration")  # a second tap is not a second label
    rows = await service.questions.learned.since(NOW - dt.timedelta(days=1))
    assert [(r.text, r.entry_id, r.source, r.language) for r in rows] == [
        ("anmeldung kindergeld", "address-registration", "suggest", "de")
    ]


async def test_dialogue_records_a_menu_tap_soon_after_a_fallback(service: CoreService, clock: FixedClock) -> None:
    await service.dialogue.on_text(USER, "wie wird das wetter morgen in berlin", "de")
    clock.advance(minutes=2)
    await service.dialogue.on_button(USER, "e:child-benefit")
    await service.dialogue.on_text(USER + 1, "wie wird das wetter morgen in berlin", "de")
    clock.advance(minutes=20)
    await service.dialogue.on_button(USER + 1, "e:child-benefit")  # too late: maybe another matter
    rows = await service.questions.learned.since(NOW - dt.timedelta(days=1))
    assert [(r.entry_id, r.source) for r in rows] == [("child-benefit", "fallback")]


async def test_learned_questions_follow_retention_and_deletion(service: CoreService, clock: FixedClock) -> None:
    store = service.questions.learned
    await service.users.get_or_create(USER, clock.now())  # a learned question always has a user behind it
    await store.add(USER, clock.now(), "de", "old question", "child-benefit", "suggest")
    await store.add(USER + 1, clock.now(), "de", "other user's question", "child-benefit", "suggest")
    await service.questions.delete_user(USER + 1)
    assert [r.text for r in await store.since(NOW - dt.timedelta(days=1))] == ["old question"]
    clock.advance(days=service.retention.question_days + 1)
    await store.add(USER, clock.now(), "de", "new question", "child-benefit", "suggest")
    await service.apply_retention()
    assert [r.text for r in await store.since(NOW - dt.timedelta(days=1))] == ["new question"]


def test_proposals_skip_known_examples_and_merge_repeats() -> None:
    knowledge, _ = load_knowledge(KNOWLEDGE)
    known = next(iter(knowledge.entries["child-benefit"].questions["de"]))
    learned = [
        LearnedQuestion(NOW, "de", known.upper(), "child-benefit", "suggest"),  # already an example
        LearnedQuestion(NOW, "de", "kindergeld  für   stiefkind", "child-benefit", "suggest"),
        LearnedQuestion(NOW, "en", "Kindergeld für Stiefkind", "child-benefit", "fallback"),  # same, German text
        LearnedQuestion(NOW, "de", "x", "child-benefit", "suggest"),  # too short
        LearnedQuestion(NOW, "de", "wer hilft mir", "no-such-entry", "suggest"),
    ]
    assert propose(learned, knowledge) == [Proposal("child-benefit", "de", "kindergeld für stiefkind", 2)]


def money_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def test_insertion_changes_only_the_inserted_lines(tmp_path: Path) -> None:
    source = (KNOWLEDGE / "faq" / "money.yaml").read_text(encoding="utf-8")
    texts = ['kindergeld für "stiefkind"?', "kindergeld rückwirkend 2 jahre"]
    changed = insert_questions(source, "child-benefit", "de", texts)
    assert changed is not None
    before, after = source.splitlines(keepends=True), changed.splitlines(keepends=True)
    assert len(after) == len(before) + 2
    inserted = [i for i, line in enumerate(after) if "stiefkind" in line or "2 jahre" in line]
    assert [line for i, line in enumerate(after) if i not in inserted] == before  # every other byte as it was
    entry = next(e for e in yaml.safe_load(changed)["entries"] if e["id"] == "child-benefit")
    assert entry["questions"]["de"][-2:] == texts
    assert after[inserted[0]].startswith("        - ")


def test_insertion_adds_a_missing_language_and_keeps_crlf(tmp_path: Path) -> None:
    source = (
        "# comment stays\r\nentries:\r\n  - id: a\r\n    questions:\r\n      de:\r\n        - \"eins\"\r\n"
        "      # a comment between languages\r\n      en:\r\n        - \"one\"\r\n    keywords: [x]\r\n"
        "  - id: b\r\n    questions:\r\n      de: [\"zwei\"]\r\n"
    )
    changed = insert_questions(source, "a", "tr", ["bir"])
    assert changed is not None
    assert changed.replace('      tr:\r\n        - "bir"\r\n', "") == source
    assert yaml.safe_load(changed)["entries"][0]["questions"]["tr"] == ["bir"]
    assert insert_questions(source, "b", "de", ["drei"]) is None  # flow style: left alone
    assert insert_questions(source, "c", "de", ["vier"]) is None  # unknown entry


def test_accept_writes_the_faq_and_the_knowledge_still_loads(tmp_path: Path) -> None:
    knowledge_dir = money_copy(tmp_path)
    proposals = [
        Proposal("child-benefit", "uk", "кіндергельд на пасинка", 2),
        Proposal("citizens-income", "de", "bürgergeld für minijobber", 1),
    ]
    result = accept(proposals, knowledge_dir)
    assert result.not_written == []
    assert result.written == {knowledge_dir / "faq" / "money.yaml": 2}
    knowledge, _ = load_knowledge(knowledge_dir)
    assert "кіндергельд на пасинка" in knowledge.entries["child-benefit"].questions["uk"]
    assert "bürgergeld für minijobber" in knowledge.entries["citizens-income"].questions["de"]
    untouched = sorted(p.name for p in (knowledge_dir / "faq").glob("*.yaml") if p.name != "money.yaml")
    for name in untouched:
        assert (knowledge_dir / "faq" / name).read_bytes() == (KNOWLEDGE / "faq" / name).read_bytes()


def test_yaml_proposals_are_paste_ready() -> None:
    text = format_yaml([Proposal("child-benefit", "de", 'ein "zitat": ja', 3)])
    block = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert yaml.safe_load(block) == {"questions": {"de": ['ein "zitat": ja']}}


@pytest.mark.parametrize("accept_flag", [False, True])
def test_report_learn_command(tmp_path: Path, accept_flag: bool) -> None:
    knowledge_dir = money_copy(tmp_path)
    db = tmp_path / "bot.sqlite3"

    async def fill() -> None:
        from bot.storage import Database, QuestionStore

        async with Database(db) as database:
            await QuestionStore(database).learned.add(
                1, dt.datetime.now(dt.UTC), "de", "kindergeld für pflegekind", "child-benefit", "suggest"
            )

    import asyncio

    asyncio.run(fill())
    command = [sys.executable, "-m", "bot", "report", "learn", "--db", str(db), "--knowledge", str(knowledge_dir)]
    result = subprocess.run(
        command + (["--accept"] if accept_flag else []), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    faq = (knowledge_dir / "faq" / "money.yaml").read_text(encoding="utf-8")
    if accept_flag:
        assert '- "kindergeld für pflegekind"' in faq
    else:
        assert '- "kindergeld für pflegekind"  # 1x' in result.stdout
        assert "pflegekind" not in faq
    with sqlite3.connect(db) as conn:  # the report only reads
        assert conn.execute("SELECT COUNT(*) FROM learned_questions").fetchone() == (1,)


async def test_learned_questions_go_with_a_forgotten_user(kb_dir: Path, tmp_path: Path, clock: FixedClock) -> None:
    """Even when the question period is longer than the inactivity period, no learned text outlives its user."""
    from bot.dialogue.engine import Retention

    retention = Retention(question_days=400, ticket_days=30, inactive_user_days=30)
    service = CoreService(kb_dir, tmp_path / "r.sqlite3", clock=clock, retention=retention, handoff=False)
    await service.start()
    try:
        await service.users.get_or_create(USER, clock.now())
        await service.questions.learned.add(USER, clock.now(), "de", "frage von früher", "child-benefit", "suggest")
        clock.advance(days=31)
        await service.apply_retention()
        assert await service.users.get(USER) is None
        assert await service.questions.learned.since(NOW - dt.timedelta(days=1)) == []
    finally:
        await service.stop()
