"""The loader reports every problem at once, each with the file and line an editor must fix."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, Severity, load_knowledge


def _errors(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory)
    return [str(p) for p in info.value.problems if p.severity is Severity.ERROR]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_loads_into_typed_objects(kb_dir: Path) -> None:
    kb, problems = load_knowledge(kb_dir)
    entry = kb.entries["address-registration"]
    assert entry.category == "arrival"
    assert entry.contacts == ("office-erkelenz", "office-heinsberg")
    assert entry.answer.get("en").startswith("Register your flat")
    assert entry.answer.get("tr") == entry.answer.get("en")  # falls back to English
    assert entry.questions["ar"] == ("كيف اسجل عنواني", "وين بسجل السكن")
    assert kb.entries["talk-to-counsellor"].is_handoff
    assert kb.entries["emergency-numbers"].crisis
    office = kb.contacts["office-heinsberg"]
    assert office.serves == frozenset({"heinsberg"})
    assert not office.shown("phone")
    assert office.shown("address")
    assert kb.depends_on_town(entry)
    assert [c.id for c in kb.contacts_of(entry, "erkelenz")] == ["office-erkelenz"]
    assert kb.contacts_of(entry, None) == []
    with pytest.raises(AttributeError):
        entry.id = "x"  # type: ignore[misc]
    assert any("fewer than 6 example questions" in p.message for p in problems)


def test_invalid_yaml_reports_position(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    _replace(path, "    owner: Test\n", "    owner: Test: with colon\n")
    errors = _errors(kb_dir)
    assert len(errors) == 1
    assert errors[0].startswith("faq/arrival.yaml:7: invalid YAML")
    assert "quotes" in errors[0]


def test_duplicate_id_across_files_names_both_places(kb_dir: Path) -> None:
    _replace(kb_dir / "faq" / "health.yaml", "  - id: talk-to-counsellor", "  - id: child-benefit")
    errors = _errors(kb_dir)
    assert errors == ["faq/health.yaml:14: duplicate id 'child-benefit' (first in faq/arrival.yaml:23)"]


def test_unknown_references_with_suggestions(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    _replace(path, "contacts: [office-erkelenz, office-heinsberg]", "contacts: [office-erkelenz, office-heinsbreg]")
    _replace(path, "    category: arrival\n    contacts: []", "    category: arival\n    contacts: []")
    errors = _errors(kb_dir)
    assert "faq/arrival.yaml:4: unknown contact 'office-heinsbreg' – did you mean 'office-heinsberg'?" in errors
    assert "faq/arrival.yaml:24: entry 'child-benefit': unknown category 'arival' – did you mean 'arrival'?" in errors


def test_wrong_types_and_missing_fields(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    _replace(
        path,
        '    reviewed: 2026-11-01\n    owner: Test\n    title: {de: "Kindergeld"',
        '    reviewed: gestern\n    owner: Test\n    title: {de: "Kindergeld"',
    )
    _replace(path, 'answer: {de: "Kindergeld beantragen Sie bei der Familienkasse.", ', "answer: {")
    _replace(path, "    keywords: [Anmeldung, Meldebescheinigung]", "    keywords: Anmeldung\n    anwser: x")
    errors = _errors(kb_dir)
    assert "faq/arrival.yaml:28: 'reviewed' must be a date like 2026-11-26, not 'gestern'" in errors
    assert "faq/arrival.yaml:31: entry 'child-benefit': 'answer' has no German (de) text" in errors
    assert "faq/arrival.yaml:5: entry 'address-registration': 'keywords' must be a list" in errors
    assert "faq/arrival.yaml:6: unknown field 'anwser' – did you mean 'answer'?" in errors


@pytest.mark.parametrize("ages", ["[18, 16]", "16", "[0, 200]", "[teen, 18]", "[16, 18, 20]"])
def test_an_age_group_must_be_two_years_in_order(kb_dir: Path, ages: str) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    keywords = "    keywords: [Anmeldung, Meldebescheinigung]"
    _replace(path, keywords, f"{keywords}\n    ages: {ages}")
    message = "entry 'address-registration': 'ages' must be two whole years from 0 to 120, e.g. [16, 18]"
    assert f"faq/arrival.yaml:6: {message}" in _errors(kb_dir)


def test_missing_answer_and_unknown_language(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "health.yaml"
    _replace(path, '    answer: {de: "Notruf: 112. Polizei: 110.", en: "Emergency: 112. Police: 110."}\n', "")
    _replace(path, '      en: ["i want to talk', '      english: ["i want to talk')
    errors = _errors(kb_dir)
    assert "faq/health.yaml:2: entry 'emergency-numbers': 'answer' is missing" in errors
    assert "faq/health.yaml:22: entry 'talk-to-counsellor': unknown language 'english' in 'questions'" in errors


def test_duplicate_key_in_one_block(kb_dir: Path) -> None:
    _replace(kb_dir / "faq" / "health.yaml", "    owner: Test\n", "    owner: Test\n    owner: Other\n")
    errors = _errors(kb_dir)
    assert errors == ["faq/health.yaml:9: invalid YAML at column 5: the key 'owner' appears twice in the same block"]


def test_contact_problems(kb_dir: Path) -> None:
    path = kb_dir / "contacts.yaml"
    _replace(path, '    source: "https://example.org/erkelenz"\n', "")
    _replace(path, 'tue: ["08:00-12:00"]', 'tue: ["8 bis 12"]')
    _replace(path, "    unverified: [phone]", "    unverified: [fax]")
    errors = _errors(kb_dir)
    assert any(e.startswith("contacts.yaml:3: contact 'office-erkelenz': 'source' is missing") for e in errors)
    assert "contacts.yaml:12: contact 'office-erkelenz': opening time '8 bis 12' must look like 08:00-12:30" in errors
    assert any(e.startswith("contacts.yaml:22: contact 'office-heinsberg': 'unverified' lists fields") for e in errors)


def test_text_placeholders_must_match(kb_dir: Path) -> None:
    path = kb_dir / "texts" / "en.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("town_set:"))
    _replace(path, "{town}", "{stadt}")
    errors = _errors(kb_dir)
    assert errors == [
        f"texts/en.yaml:{line}: text 'town_set' must contain exactly the placeholders {{town}}; found {{stadt}}"
    ]


def test_missing_folder_and_files(tmp_path: Path) -> None:
    assert _errors(tmp_path / "nope") == [f"{tmp_path / 'nope'}:1: the knowledge folder does not exist"]
    (tmp_path / "empty").mkdir()
    errors = _errors(tmp_path / "empty")
    assert "categories.yaml:1: this file is missing" in errors
    assert "faq:1: no FAQ files (faq/*.yaml) found" in errors


def test_all_problems_reported_at_once(kb_dir: Path) -> None:
    _replace(kb_dir / "faq" / "arrival.yaml", "category: arrival\n    contacts: []", "category: nope\n    contacts: []")
    _replace(kb_dir / "contacts.yaml", "kind: hotline", "kind: phone")
    _replace(kb_dir / "tests.yaml", "expect: address-registration", "expect: adress-registration")
    errors = _errors(kb_dir)
    assert len(errors) == 3
    assert errors[-1] == "tests.yaml:2: unknown entry 'adress-registration' – did you mean 'address-registration'?"


def test_non_utf8_file(kb_dir: Path) -> None:
    (kb_dir / "towns.yaml").write_bytes("towns:\n  - {id: a, name: K\xf6ln}\n".encode("latin-1"))
    errors = _errors(kb_dir)
    assert len(errors) == 1  # no follow-up errors about unknown towns elsewhere
    assert errors[0].startswith("towns.yaml:1: the file is not UTF-8 text")


def test_real_knowledge_base_loads() -> None:
    from tests.conftest import KNOWLEDGE

    kb, _ = load_knowledge(KNOWLEDGE)
    assert set(kb.categories) >= {"arrival", "health", "support"}


# -- content that ages, fallbacks, notes and the glossary -------------------------------------------


def test_as_of_and_review_by_come_together(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    keywords = "    keywords: [Kindergeld, Familienkasse]\n"
    _replace(path, keywords, keywords + "    as_of: 2026-11-30\n")  # child-benefit, line 27
    _replace(
        path,
        "    keywords: [Anmeldung, Meldebescheinigung]\n",
        "    keywords: [Anmeldung]\n    review_by: 2027-01-31\n",
    )
    errors = _errors(kb_dir)
    assert errors == [
        "faq/arrival.yaml:6: entry 'address-registration': 'review_by' needs 'as_of' too (a date like 2027-05-31)",
        "faq/arrival.yaml:28: entry 'child-benefit': 'as_of' needs 'review_by' too (a date like 2027-05-31)",
    ]


def test_review_by_must_be_after_as_of(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    keywords = "    keywords: [Kindergeld, Familienkasse]\n"
    _replace(path, keywords, keywords + "    as_of: 2026-11-30\n    review_by: 2026-11-30\n")
    assert _errors(kb_dir) == [
        "faq/arrival.yaml:28: entry 'child-benefit': 'review_by' (2026-11-30) must be after 'as_of' (2026-11-30)"
    ]


def test_as_of_loads_with_the_line_of_each_answer_language(kb_dir: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    keywords = "    keywords: [Anmeldung, Meldebescheinigung]\n"
    _replace(path, keywords, keywords + "    as_of: 2026-11-30\n    review_by: 2027-05-31\n")
    kb, _ = load_knowledge(kb_dir)
    entry = kb.entries["address-registration"]
    assert (entry.as_of, entry.review_by) == (dt.date(2026, 11, 30), dt.date(2027, 5, 31))
    assert entry.line_of("review_by") == 7
    assert entry.line_of("answer.ar") == 19
    assert entry.line_of("answer.tr") == 11  # no Turkish answer: the line of 'answer'
    assert kb.entries["child-benefit"].as_of is None


def test_unknown_fallback_with_suggestion(kb_dir: Path) -> None:
    path = kb_dir / "contacts.yaml"
    _replace(path, "    unverified: [phone]\n", "    unverified: [phone]\n    fallback: office-erkelenzz\n")
    assert _errors(kb_dir) == [
        "contacts.yaml:24: contact 'office-heinsberg': unknown fallback 'office-erkelenzz'"
        " – did you mean 'office-erkelenz'?"
    ]


def test_fallbacks_in_a_circle(kb_dir: Path) -> None:
    path = kb_dir / "contacts.yaml"
    _replace(path, "    verified: 2026-11-01\n", "    verified: 2026-11-01\n    fallback: office-heinsberg\n")
    _replace(path, "    unverified: [phone]\n", "    unverified: [phone]\n    fallback: office-erkelenz\n")
    assert _errors(kb_dir) == [
        "contacts.yaml:15: contact 'office-erkelenz': fallbacks run in a circle "
        "(office-erkelenz → office-heinsberg → office-erkelenz)",
        "contacts.yaml:25: contact 'office-heinsberg': fallbacks run in a circle "
        "(office-heinsberg → office-erkelenz → office-heinsberg)",
    ]


def test_note_fallback_and_unverified_towns_load(kb_dir: Path) -> None:
    path = kb_dir / "contacts.yaml"
    _replace(
        path,
        "    unverified: [phone]\n",
        "    unverified: [phone, serves]\n    fallback: office-erkelenz\n"
        '    note: {de: "Nur mit Termin", uk: "Лише за записом"}\n',
    )
    kb, problems = load_knowledge(kb_dir)
    office = kb.contacts["office-heinsberg"]
    assert office.fallback == "office-erkelenz"
    assert office.note is not None
    assert office.note.get("uk") == "Лише за записом"
    assert office.serves == frozenset({"heinsberg"})  # the towns are used while they wait for confirmation
    assert kb.fallback_of(office) is None  # it has a confirmed address: no fallback shown
    warnings = [str(p) for p in problems if p.severity is Severity.WARNING]
    assert "contacts.yaml:17: contact 'office-heinsberg': 'name' is missing in en, ar, uk, ru, tr, fa" in warnings
    assert "contacts.yaml:25: contact 'office-heinsberg': 'note' is missing in en, ar, ru, tr, fa" in warnings


def test_glossary_loads(kb_dir: Path) -> None:
    from tests.conftest import KNOWLEDGE

    shutil.copy(KNOWLEDGE / "glossary.yaml", kb_dir / "glossary.yaml")
    kb, _ = load_knowledge(kb_dir)
    term = kb.glossary["jobcenter"]
    assert term.use["ar"] == "الجوب سنتر (Jobcenter)"
    assert term.avoid["ar"] == ("مركز العمل",)
    assert term.file == "glossary.yaml"


def test_glossary_problems_name_file_and_line(kb_dir: Path) -> None:
    (kb_dir / "glossary.yaml").write_text(
        "terms:\n"
        "  - id: jobcenter\n"
        '    de: "Jobcenter"\n'
        '    use: {en: "Jobcenter", fr: "Jobcenter"}\n'
        '    avoid: {ar: ["مركز العمل"], xx: ["x"]}\n'
        "  - id: jobcenter\n"
        '    de: "Jobcenter"\n'
        '    use: {en: "Jobcenter"}\n'
        "  - id: kindergeld\n"
        '    de: "Kindergeld"\n'
        "    use: {}\n",
        encoding="utf-8",
    )
    assert _errors(kb_dir) == [
        "glossary.yaml:4: term 'jobcenter': unknown language 'fr' in 'use'",
        "glossary.yaml:5: term 'jobcenter': unknown language 'xx' in 'avoid'",
        "glossary.yaml:6: duplicate id 'jobcenter' (first in glossary.yaml:2)",
        "glossary.yaml:11: term 'kindergeld': 'use' must list the form per language (en: ...)",
    ]


def test_out_of_scope_questions_load_per_language(kb_dir: Path) -> None:
    (kb_dir / "out_of_scope.yaml").write_text(
        'questions:\n  de:\n    - "billige flüge nach istanbul"\n    - "  "\n  en:\n    - "weather tomorrow"\n',
        encoding="utf-8",
    )
    kb, _ = load_knowledge(kb_dir)
    assert kb.out_of_scope == {"de": ("billige flüge nach istanbul",), "en": ("weather tomorrow",)}


def test_out_of_scope_file_is_optional(kb_dir: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    assert kb.out_of_scope == {}


def test_out_of_scope_problems_name_file_and_line(kb_dir: Path) -> None:
    (kb_dir / "out_of_scope.yaml").write_text(
        'questions:\n  de:\n    - "wetter"\n  xx:\n    - "hallo"\n  en: "not a list"\nextra: 1\n',
        encoding="utf-8",
    )
    errors = _errors(kb_dir)
    assert any("out_of_scope.yaml:4:" in e and "unknown language 'xx'" in e for e in errors), errors
    assert any("out_of_scope.yaml:6:" in e and "must be a list" in e for e in errors), errors
    assert any("out_of_scope.yaml:" in e and "extra" in e for e in errors), errors


def test_out_of_scope_changes_the_knowledge_version(kb_dir: Path) -> None:
    before, _ = load_knowledge(kb_dir)
    (kb_dir / "out_of_scope.yaml").write_text('questions:\n  de:\n    - "wetter morgen"\n', encoding="utf-8")
    after, _ = load_knowledge(kb_dir)
    assert before.version != after.version


def test_an_out_of_scope_question_that_an_entry_answers_is_reported(kb_dir: Path) -> None:
    (kb_dir / "out_of_scope.yaml").write_text('questions:\n  ar:\n    - "وين بسجل السكن"\n', encoding="utf-8")
    _, problems = load_knowledge(kb_dir)
    warnings = [str(p) for p in problems if p.severity is Severity.WARNING]
    assert any("out_of_scope.yaml:2:" in w and "address-registration" in w for w in warnings), warnings
