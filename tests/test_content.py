"""The real FAQ content: every required topic in all 7 languages, crisis numbers first, no invented contacts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.checker import check_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.languages import LANGUAGES
from tests.conftest import KNOWLEDGE

# the topic ids fixed by the KI's coverage list (shared/topics.yaml)
TOPIC_IDS = (Path(__file__).parent / "data" / "topic_ids.txt").read_text(encoding="utf-8").split()
# nationwide numbers we know for sure; local numbers belong in contacts.yaml with a source, never in answers
NATIONWIDE_NUMBERS = {"112", "110", "116 117", "116117", "116 016", "0800 111 0 111", "0800 111 0 222", "116 111"}
PHONE_LIKE = re.compile(r"(?<![\w.])(?:\+\d[\d /-]{6,}\d|0\d{2,5}[ /-]?\d[\d /-]{3,}\d|11[0-9](?: ?\d{3})?)(?!\w|\.\d)")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge, _ = load_knowledge(KNOWLEDGE)
    return knowledge


def test_every_required_topic_exists_in_all_languages(kb: KnowledgeBase) -> None:
    assert len(TOPIC_IDS) == 50
    for topic in TOPIC_IDS:
        entry = kb.entries.get(topic)
        assert entry is not None, f"topic {topic} is missing"
        for lang in LANGUAGES:
            assert entry.title.has(lang), (topic, lang, "title")
            assert entry.answer.has(lang), (topic, lang, "answer")
            assert len(entry.questions.get(lang, ())) >= 6, (topic, lang, "questions")


def test_titles_fit_buttons_and_ids_fit_callback_data(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        assert len(f"fb:+:{entry.id}".encode()) <= 64
        for lang in LANGUAGES:
            assert len(entry.title.get(lang)) <= 40, (entry.id, lang)


def test_crisis_entries_put_emergency_numbers_first(kb: KnowledgeBase) -> None:
    crisis = [e for e in kb.entries.values() if e.crisis]
    assert {e.id for e in crisis} >= {"emergency-numbers", "mental-health", "domestic-violence"}
    for entry in crisis:
        for lang in LANGUAGES:
            opening = entry.answer.get(lang)[:160]
            assert "112" in opening or "110" in opening, (entry.id, lang)


def test_answers_contain_no_local_phone_numbers(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        for lang in LANGUAGES:
            for number in PHONE_LIKE.findall(entry.answer.get(lang)):
                assert number.strip() in NATIONWIDE_NUMBERS, (entry.id, lang, number)


def test_every_shown_local_contact_detail_has_a_source(kb: KnowledgeBase) -> None:
    for contact in kb.contacts.values():
        shown = [f for f in ("address", "phone", "email", "web", "hours") if contact.shown(f)]
        if shown:
            assert contact.source.startswith(("https://", "http://")), contact.id
            assert contact.verified is not None, contact.id


def test_the_checker_passes_on_the_real_knowledge() -> None:
    report = check_knowledge(KNOWLEDGE)
    assert report.errors == [], report.format()
    assert report.knowledge is not None
    assert len(report.knowledge.editor_tests) >= 40


def test_every_linked_contact_offers_someone_to_reach(kb: KnowledgeBase) -> None:
    linked = {cid for entry in kb.entries.values() for cid in entry.contacts}
    for cid in sorted(linked):
        contact = kb.contacts[cid]
        fallback = kb.fallback_of(contact)
        assert contact.reachable or (fallback is not None and fallback.reachable), cid


def test_contact_texts_exist_in_all_languages(kb: KnowledgeBase) -> None:
    for contact in kb.contacts.values():
        for lang in LANGUAGES:
            assert contact.name.has(lang), (contact.id, lang, "name")
            for key in ("note", "hours_note"):
                value = getattr(contact, key)
                assert value is None or value.has(lang), (contact.id, lang, key)


def test_dated_entries_have_a_review_date(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        assert (entry.as_of is None) == (entry.review_by is None), entry.id
        if entry.as_of and entry.review_by:
            assert entry.review_by > entry.as_of, entry.id


def test_jobcenter_offices_cover_the_towns_found_and_no_others(kb: KnowledgeBase) -> None:
    offices = {
        cid: kb.contacts[cid]
        for cid in kb.contacts
        if cid.startswith("jobcenter-") and cid != "jobcenter-kreis-heinsberg"
    }
    assert set(offices) == {
        "jobcenter-heinsberg",
        "jobcenter-geilenkirchen",
        "jobcenter-hueckelhoven",
        "jobcenter-erkelenz",
    }
    served = {town for office in offices.values() for town in office.serves or ()}
    assert served.isdisjoint({"gangelt", "selfkant", "waldfeucht"})  # not found anywhere: no guess
    for office in offices.values():
        assert office.shown("phone")
        assert office.source.startswith("https://www.jobcenter-kreis-heinsberg.de/")
