"""Contact cards always offer someone to reach, in the user's language; dated answers say how old they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import LOCAL_TZ, FixedClock
from bot.dialogue.cards import as_of_line, contact_card
from bot.handoff.hours import OfficeHours
from bot.knowledge import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.service import CoreService
from bot.telegram.render import plain

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)  # a Monday morning


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def aged_kb_dir(kb_dir: Path) -> Path:
    """Heinsberg's office loses its confirmed address (fallback: Erkelenz) and gains a note; one dated answer."""
    _replace(
        kb_dir / "contacts.yaml",
        "    unverified: [phone]\n",
        "    unverified: [phone, address]\n    fallback: office-erkelenz\n"
        '    note: {de: "Nur mit Termin.", en: "Appointment only.", uk: "Лише за записом."}\n',
    )
    _replace(
        kb_dir / "faq" / "arrival.yaml",
        "    keywords: [Anmeldung, Meldebescheinigung]\n",
        "    keywords: [Anmeldung, Meldebescheinigung]\n    as_of: 2026-11-30\n    review_by: 2027-05-31\n",
    )
    return kb_dir


@pytest.fixture
def kb(aged_kb_dir: Path) -> KnowledgeBase:
    knowledge, _ = load_knowledge(aged_kb_dir)
    return knowledge


def test_unreachable_contact_shows_whom_to_ask_instead(kb: KnowledgeBase) -> None:
    office = kb.contacts["office-heinsberg"]
    card = plain(contact_card(office, "ar", kb.texts, NOW, kb.fallback_of(office)))
    assert card.splitlines()[0] == "Bürgerbüro Heinsberg (Test)"  # no Arabic name: German, never empty
    assert "اسأل هنا: Citizens' office Erkelenz (test)" in card
    assert "📍 Teststraße 1, 41812 Erkelenz" in card
    assert "☎️ +49 0000 111" in card
    assert "Testweg 2" not in card
    assert "+49 0000 222" not in card


def test_reachable_contact_ignores_its_fallback(kb: KnowledgeBase) -> None:
    office = kb.contacts["office-erkelenz"]
    assert kb.fallback_of(office) is None
    card = contact_card(office, "de", kb.texts, NOW, kb.contacts["emergency"])
    assert "Fragen Sie hier" not in card


def test_note_in_the_users_language_with_fallback(kb: KnowledgeBase) -> None:
    office = kb.contacts["office-heinsberg"]
    assert "Лише за записом." in contact_card(office, "uk", kb.texts, NOW)
    assert "Appointment only." in contact_card(office, "ar", kb.texts, NOW)  # no Arabic note: English


def test_as_of_line_names_the_month_in_the_users_language(kb: KnowledgeBase) -> None:
    entry = kb.entries["address-registration"]
    assert as_of_line(entry, "de", kb.texts) == "Stand: November 2026"
    assert as_of_line(entry, "ar", kb.texts) == "آخر تحديث: تشرين الثاني (نوفمبر) 2026"
    assert as_of_line(entry, "fa", kb.texts) == "آخرین بررسی: نومبر 2026"
    assert as_of_line(kb.entries["child-benefit"], "de", kb.texts) is None


@pytest.fixture
async def aged_service(
    aged_kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours
) -> AsyncIterator[CoreService]:
    core = CoreService(aged_kb_dir, tmp_path / "aged.sqlite3", clock=clock, office_hours=office_hours)
    await core.start()
    yield core
    await core.stop()


async def test_answer_shows_as_of_and_the_fallback_card(aged_service: CoreService) -> None:
    out = await aged_service.dialogue.on_command(7, "start", "de_heinsberg_address-registration")
    text = "\n".join(plain(r.text) for r in out.replies)
    assert "- *Wohnungsgeberbestätigung* mitbringen\n\nStand: November 2026" in "\n".join(r.text for r in out.replies)
    assert "Bürgerbüro Heinsberg (Test)\nNur mit Termin.\nFragen Sie hier: Bürgerbüro Erkelenz (Test)" in text
    out = await aged_service.dialogue.on_command(8, "start", "ar_heinsberg_address-registration")
    text = "\n".join(plain(r.text) for r in out.replies)
    assert "سجل سكنك خلال أسبوعين.\n\nآخر تحديث: تشرين الثاني (نوفمبر) 2026" in text
