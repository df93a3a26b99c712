"""Ages named in a question, and entries for one age group (`ages:` in the FAQ)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.matching.ages import mentioned_ages
from bot.matching.matcher import Matcher

KNOWLEDGE = Path(__file__).parent.parent / "knowledge"


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("my son is 7 we just arrived", {7}),
        ("ابني عمره ٨ سنين وصلنا جديد", {8}),  # Arabic-Indic digits
        ("پسرم ۱۵ ساله است", {15}),  # Persian digits, "-year-old"
        ("pesaram 11 salashe", {11}),
        ("benim cocuk 17 yas, okul yok", {17}),
        ("ребенку 14 лет куда его в школу", {14}),
        ("Meine Tochter ist 10 und wir sind vor 2 Wochen angekommen", {10}),
        ("ich bin 34 und möchte Deutsch lernen", {34}),
        ("i'm 19 years old", {19}),
        # durations, times and amounts name no age
        ("wir sind seit 2 jahren hier", set()),
        ("5 лет в Германии живу", set()),
        ("ich bin 2 jahre hier", set()),
        ("termin um 10 uhr", set()),
        ("sohn seit 2 wochen hier", set()),
        ("i am 3 months pregnant", set()),
        ("ana 3 sneen bl almanya", set()),
        ("", set()),
    ],
)
def test_ages_are_read_only_where_they_are_unambiguous(text: str, ages: set[int]) -> None:
    assert mentioned_ages(text) == ages


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge(KNOWLEDGE)[0])


def test_entries_for_another_age_group_are_the_misfits(matcher: Matcher) -> None:
    assert matcher.age_groups["school-16-18"] == (16, 18)
    misfits = matcher.age_misfits("meine tochter ist 10, welche schule?")
    assert "school-16-18" in misfits
    assert "school-enrollment" not in misfits
    assert "integration-course" not in misfits  # no age group: any age
    assert matcher.age_misfits("welche schule?") == frozenset()  # no age named: nothing changes
    assert "school-16-18" not in matcher.age_misfits("meine tochter ist 9 und mein sohn ist 17")  # one age fits


def test_a_question_naming_a_child_of_10_gets_school_for_children_not_for_16_to_18(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measured before the change: the school at 16 to 18 was ranked first for this question."""
    question = "ابني عمره ٨ سنين وصلنا جديد على فاسنبرغ شلون اسجله بالمدرسة"
    assert matcher.match(question).candidates[0].entry_id == "school-enrollment"
    monkeypatch.setattr(matcher, "age_groups", {})
    assert matcher.match(question).candidates[0].entry_id == "school-16-18"
