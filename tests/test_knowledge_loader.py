"""The loader reports every problem at once, each with the file and line an editor must fix."""

from __future__ import annotations

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
