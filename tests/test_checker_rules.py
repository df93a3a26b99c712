"""The editors' checker: reachable cards, dated facts, glossary forms and the KI's list to confirm by phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.cli import main
from bot.knowledge.checker import CheckReport, check_knowledge
from bot.knowledge.problems import Problem

TODAY = dt.date(2026, 11, 30)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(kb_dir: Path) -> CheckReport:
    return check_knowledge(kb_dir, today=TODAY, run_tests=lambda kb: [])


def _lines(problems: list[Problem], group: str) -> list[str]:
    return [str(p) for p in problems if p.group == group]


def test_linked_contact_without_a_channel_needs_a_fallback(kb_dir: Path) -> None:
    contacts = kb_dir / "contacts.yaml"
    _replace(contacts, "    unverified: [phone]\n", "    unverified: [phone, address]\n")
    report = _check(kb_dir)
    assert [str(p) for p in report.errors] == [
        "contacts.yaml:15: contact 'office-heinsberg' is linked by entry 'address-registration' (faq/arrival.yaml:4) "
        "but has no confirmed address, phone, e-mail or web: add 'fallback: <contact-id>' "
        "(the town hall, or ki-kreis-heinsberg)"
    ]
    _replace(
        contacts, "    unverified: [phone, address]\n", "    unverified: [phone, address]\n    fallback: emergency\n"
    )
    assert _check(kb_dir).errors == []


def test_a_fallback_must_be_reachable_itself(kb_dir: Path) -> None:
    contacts = kb_dir / "contacts.yaml"
    _replace(contacts, "    unverified: [phone]\n", "    unverified: [phone, address]\n")
    _replace(contacts, '    phone: "+49 0000 111"\n', '    phone: "+49 0000 111"\n    fallback: office-heinsberg\n')
    report = _check(kb_dir)
    assert (
        "contacts.yaml:3: contact 'office-erkelenz': its fallback 'office-heinsberg' has no confirmed address, "
        "phone, e-mail or web either: choose a fallback that newcomers can reach" in [str(p) for p in report.errors]
    )


def test_review_dates_most_urgent_first_then_due_soon(kb_dir: Path) -> None:
    arrival = kb_dir / "faq" / "arrival.yaml"
    health = kb_dir / "faq" / "health.yaml"
    _replace(
        arrival, "    keywords: [Anmeldung, Meldebescheinigung]\n", "    as_of: 2026-01-10\n    review_by: 2026-11-01\n"
    )
    _replace(
        arrival, "    keywords: [Kindergeld, Familienkasse]\n", "    as_of: 2025-12-01\n    review_by: 2026-06-01\n"
    )
    _replace(health, "    keywords: [Notruf, Krankenwagen]\n", "    as_of: 2026-11-01\n    review_by: 2026-12-20\n")
    _replace(health, "    action: handoff\n", "    action: handoff\n    as_of: 2026-11-01\n    review_by: 2027-06-01\n")
    report = _check(kb_dir)
    assert _lines(report.warnings, "Prüfung überfällig (review_by vorbei)") == [
        "faq/arrival.yaml:28: entry 'child-benefit': review_by 2026-06-01 passed 182 days ago "
        "(facts as of 2025-12-01): check them, then update the answer, as_of and review_by",
        "faq/arrival.yaml:6: entry 'address-registration': review_by 2026-11-01 passed 29 days ago "
        "(facts as of 2026-01-10): check them, then update the answer, as_of and review_by",
    ]
    assert _lines(report.warnings, "Prüfung bald fällig (review_by in 30 Tagen)") == [
        "faq/health.yaml:7: entry 'emergency-numbers': review_by 2026-12-20 is in 20 days (facts as of 2026-11-01)"
    ]
    formatted = report.format()
    assert formatted.index("child-benefit") < formatted.index("address-registration': review_by")  # not by file:line
    assert report.errors == []


def test_glossary_forms_to_avoid_are_found_across_spellings(kb_dir: Path) -> None:
    (kb_dir / "glossary.yaml").write_text(
        "terms:\n"
        "  - id: two-weeks\n"
        '    de: "zwei Wochen"\n'
        '    use: {ar: "أسبوعان"}\n'
        '    avoid: {ar: ["خلال اسبوعين", "سبوع"], en: ["within 2 weeks"]}\n',
        encoding="utf-8",
    )
    report = _check(kb_dir)
    # the Arabic answer writes "خلال أسبوعين" (with hamza): normalised, the spellings meet; "سبوع" is no whole word
    assert sorted(_lines(report.warnings, "Glossar: zu vermeidende Wörter")) == [
        "faq/arrival.yaml:14: entry 'address-registration' answer (en): uses 'within 2 weeks'; "
        "the glossary ('two-weeks') says 'zwei Wochen'",
        "faq/arrival.yaml:17: entry 'address-registration' answer (ar): uses 'خلال اسبوعين'; "
        "the glossary ('two-weeks') says 'أسبوعان'",
    ]


def test_missing_translations_are_counted(kb_dir: Path) -> None:
    before = _check(kb_dir).missing_translations
    _replace(
        kb_dir / "contacts.yaml",
        '{de: "Bürgerbüro Heinsberg (Test)"}',
        '{de: "Bürgerbüro Heinsberg (Test)", ar: "مكتب"}',
    )
    after = _check(kb_dir)
    assert before - after.missing_translations == 1
    assert f"{after.missing_translations} missing translations" in after.format()


def test_output_groups_errors_warnings_then_calls_by_town(kb_dir: Path) -> None:
    _replace(kb_dir / "contacts.yaml", "    unverified: [phone]\n", "    unverified: [phone, serves]\n")
    report = _check(kb_dir)
    text = report.format()
    assert text.index("== HINWEISE") < text.index("== TELEFONISCH BESTÄTIGEN (to confirm by phone): 1 ==")
    assert (
        "-- Stadt/Gemeinde Heinsberg (1)\n  contacts.yaml:15: Bürgerbüro Heinsberg (Test) (office-heinsberg): "
        "confirm phone, which towns it serves (Heinsberg); linked by 1 entry"
    ) in text
    assert text.endswith("OK: the bot can load these files")


def test_hints_from_comments_are_on_the_call_list(kb_dir: Path) -> None:
    _replace(
        kb_dir / "contacts.yaml",
        "    unverified: [phone]\n",
        "    # HINT (old press): phone 0000 999\n    # second line of the hint\n    unverified: [phone]\n",
    )
    (problem,) = _check(kb_dir).to_confirm
    assert problem.message.endswith("HINT: phone 0000 999 second line of the hint")


def test_check_command_exit_code(kb_dir: Path, capsys: object) -> None:
    assert main(["check", "--knowledge", str(kb_dir)]) == 0
    _replace(kb_dir / "contacts.yaml", "    unverified: [phone]\n", "    unverified: [phone, address]\n")
    assert main(["check", "--knowledge", str(kb_dir)]) == 1


def test_an_example_question_that_raises_the_crisis_alarm_is_a_warning_at_its_entry(kb_dir: Path) -> None:
    arrival = kb_dir / "faq" / "arrival.yaml"
    _replace(arrival, '"wohnung anmelden", ', '"wohnung anmelden", "mein vater schlug vor die wohnung anzumelden", ')
    report = _check(kb_dir)
    assert _lines(report.problems, "Beispielfragen, die den Krisenalarm auslösen") == [
        "faq/arrival.yaml:20: entry 'address-registration': the de example 'mein vater schlug vor die wohnung "
        "anzumelden' raises the crisis alarm (violence, crisis.yaml:9): reword it, or add a 'not:' phrase to "
        "crisis.yaml"
    ]
    assert report.errors == []

