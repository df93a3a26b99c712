"""Translations that know their German source: status, stamp, review, export and import (on copies)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from translate.storage import pypo, xliff

from bot.cli import main
from bot.knowledge.checker import check_knowledge
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.translations.exchange import export_units, read_units, write_units
from bot.translations.fingerprint import fingerprint
from bot.translations.importer import ImportRefused, apply_import, plan_import
from bot.translations.status import TARGET_LANGUAGES, Status, coverage, entry_status
from bot.translations.writer import commit

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "address-registration"


@pytest.fixture(scope="module")
def stamped_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge, stamped once: every existing translation made from today's German."""
    target = tmp_path_factory.mktemp("stamped") / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    assert main(["translations", "stamp", "--knowledge", str(target)]) == 0
    return target


@pytest.fixture
def real_kb(stamped_kb: Path, tmp_path: Path) -> Path:
    """A writable copy of the stamped real knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(stamped_kb, target)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def change_german_answer(root: Path, entry_file: str, old: str, new: str) -> None:
    path = root / entry_file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def status_json(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["translations", "status", "--json", "--knowledge", str(root)]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_fingerprint_ignores_invisible_whitespace_but_not_words() -> None:
    base = fingerprint("Sie müssen sich anmelden.\n- Pass\n")
    assert re.fullmatch(r"[0-9a-f]{8}", base)
    assert fingerprint("  Sie müssen  sich anmelden.   \n\n- Pass") == base
    assert fingerprint("Sie müssen sich abmelden.\n- Pass") != base
    assert fingerprint("Sie müssen sich anmelden. - Pass") != base  # a line break is meaning (a list item)


def test_unstamped_translations_are_untracked_and_stamp_makes_them_drafts(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = status_json(kb_dir, capsys)
    assert before["entries"][ENTRY]["ar"]["status"] == "untracked"
    assert main(["translations", "stamp", "--knowledge", str(kb_dir), "--lang", "ar", "--entry", ENTRY]) == 0
    after = status_json(kb_dir, capsys)
    assert after["entries"][ENTRY]["ar"]["status"] == "draft"
    assert after["entries"][ENTRY]["en"]["status"] == "untracked"  # only what was asked for
    assert after["entries"]["child-benefit"]["en"]["status"] == "untracked"


def test_changed_german_answer_makes_the_entry_outdated_in_the_six_other_languages(
    real_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb, _ = load_knowledge(real_kb)
    entry = kb.entries[ENTRY]
    assert {entry_status(entry, lang).status for lang in TARGET_LANGUAGES} == {Status.DRAFT}
    change_german_answer(
        real_kb, entry.file, "innerhalb von 2 Wochen nach dem Einzug", "innerhalb von 14 Tagen nach dem Einzug"
    )

    data = status_json(real_kb, capsys)
    for lang in TARGET_LANGUAGES:
        assert data["entries"][ENTRY][lang] == {
            "status": "outdated",
            "fields": {"title": "current", "answer": "outdated"},
            "reviewed_by": None,
            "reviewed_on": None,
        }
    others = {cell["status"] for eid, row in data["entries"].items() if eid != ENTRY for cell in row.values()}
    assert others == {"draft"}
    assert data["totals"]["ar"]["outdated"] == 1

    assert main(["translations", "status", "--knowledge", str(real_kb)]) == 0
    table = capsys.readouterr().out
    assert f"{ENTRY} [fa]: answer" in table
    assert re.search(rf"^{ENTRY}\s+(OUTDATED\s+){{6}}$", table, re.MULTILINE)

    report = check_knowledge(real_kb, run_tests=lambda kb: [])
    outdated = [p for p in report.warnings if p.group == "Veraltete Übersetzungen"]
    assert len(outdated) == 1
    assert ENTRY in outdated[0].message
    assert "en, ar, uk, ru, tr, fa" in outdated[0].message
    assert "Veraltete Übersetzungen (1)" in report.format()


@pytest.fixture
def small_kb(kb_dir: Path) -> Path:
    """The small test knowledge, stamped."""
    assert main(["translations", "stamp", "--knowledge", str(kb_dir)]) == 0
    return kb_dir


SMALL_OLD, SMALL_NEW = "in 2 Wochen an.", "in 14 Tagen an."


def test_stamp_leaves_outdated_translations_alone_unless_refreshed(
    small_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_german_answer(small_kb, "faq/arrival.yaml", SMALL_OLD, SMALL_NEW)
    capsys.readouterr()
    assert main(["translations", "stamp", "--knowledge", str(small_kb)]) == 0
    assert "left 2 outdated field(s)" in capsys.readouterr().out
    assert status_json(small_kb, capsys)["entries"][ENTRY]["en"]["status"] == "outdated"
    refresh = ["translations", "stamp", "--knowledge", str(small_kb), "--refresh", "--entry", ENTRY, "--lang", "en"]
    assert main(refresh) == 0
    data = status_json(small_kb, capsys)
    assert data["entries"][ENTRY]["en"]["status"] == "draft"
    assert data["entries"][ENTRY]["ar"]["status"] == "outdated"


def test_review_records_who_and_when(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["translations", "review", "--knowledge", str(kb_dir), "--lang", "ar", "--entry", ENTRY]
    assert main([*args, "--by", "A. Rahimi", "--date", "2026-11-30"]) == 0
    cell = status_json(kb_dir, capsys)["entries"][ENTRY]["ar"]
    assert cell["status"] == "reviewed"
    assert (cell["reviewed_by"], cell["reviewed_on"]) == ("A. Rahimi", "2026-11-30")
    text = (kb_dir / "faq" / "arrival.yaml").read_text(encoding="utf-8")
    assert re.search(
        r"ar: \{from: \{title: [0-9a-f]{8}, answer: [0-9a-f]{8}\}, state: reviewed, by: A\. Rahimi, date: 2026-11-30\}",
        text,
    )
    assert main([*args, "--entry", "child-benefit", "--by", "X"]) == 1  # nothing in Arabic to review there
    assert (kb_dir / "faq" / "arrival.yaml").read_text(encoding="utf-8") == text


# -- export and import ----------------------------------------------------------------------------


def translate_file(data: bytes, fmt: str, edits: dict[str, str]) -> bytes:
    """Do what a translator's tool does: change some targets and mark them as translated."""
    store: Any = xliff.xlifffile.parsestring(data) if fmt == "xliff" else pypo.pofile.parsestring(data)
    for unit in store.units:
        ident = unit.xmlelement.get("id") if fmt == "xliff" else unit.getcontext()
        if ident in edits:
            unit.target = edits[ident]
            if fmt == "xliff":
                unit.getlanguageNode(lang=None, index=1).set("state", "translated")
            else:
                unit.markfuzzy(False)
    return bytes(store)


@pytest.mark.parametrize("suffix", [".xlf", ".po"])
def test_export_translate_import_changes_exactly_the_edited_field(
    real_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    kb, _ = load_knowledge(real_kb)
    entry = kb.entries[ENTRY]
    change_german_answer(
        real_kb, entry.file, "innerhalb von 2 Wochen nach dem Einzug", "innerhalb von 14 Tagen nach dem Einzug"
    )
    exchange = tmp_path / f"ar{suffix}"
    assert main(["translations", "export", "--knowledge", str(real_kb), "--lang", "ar", "-o", str(exchange)]) == 0
    fmt = "xliff" if suffix == ".xlf" else "po"
    language, units = read_units(exchange.read_bytes(), fmt)
    assert language == "ar"
    assert [(u.id, u.needs_work) for u in units] == [(f"{ENTRY}/answer", True)]  # only what needs work

    old_ar = entry.answer.get("ar")
    new_ar = old_ar.replace("خلال أسبوعين من الانتقال", "خلال 14 يومًا من الانتقال")
    assert new_ar != old_ar
    exchange.write_bytes(translate_file(exchange.read_bytes(), fmt, {f"{ENTRY}/answer": new_ar}))
    before = snapshot(real_kb)
    original = (real_kb / entry.file).read_text(encoding="utf-8")

    assert main(["translations", "import", "--knowledge", str(real_kb), str(exchange)]) == 0
    assert "ar: changed 1 text(s)" in capsys.readouterr().out

    after = snapshot(real_kb)
    assert {name for name in before if before[name] != after[name]} == {entry.file}
    # byte-compare: the file is the original with exactly the Arabic answer and its record replaced
    old_record = re.search(r"^      ar: \{from: .*\}$", original, re.MULTILINE)
    assert old_record is not None
    new_fp = fingerprint(kb.entries[ENTRY].answer.get("de").replace("2 Wochen nach", "14 Tagen nach"))
    new_record = re.sub(r"answer: [0-9a-f]{8}", f"answer: {new_fp}", old_record.group(0))
    indent = "        "
    old_block = "".join(f"{indent}{line}\n" for line in old_ar.splitlines())
    new_block = "".join(f"{indent}{line}\n" for line in new_ar.splitlines())
    assert original.count(old_block) == 1
    expected = original.replace(old_block, new_block).replace(old_record.group(0), new_record)
    assert (real_kb / entry.file).read_text(encoding="utf-8") == expected

    data = status_json(real_kb, capsys)
    assert data["entries"][ENTRY]["ar"]["status"] == "draft"
    assert data["entries"][ENTRY]["uk"]["status"] == "outdated"


def test_an_outdated_translation_confirmed_unchanged_becomes_current(
    small_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb, _ = load_knowledge(small_kb)
    change_german_answer(small_kb, "faq/arrival.yaml", SMALL_OLD, SMALL_NEW)
    exchange = tmp_path / "en.po"
    assert main(["translations", "export", "--knowledge", str(small_kb), "--lang", "en", "-o", str(exchange)]) == 0
    before = snapshot(small_kb)
    assert main(["translations", "import", "--knowledge", str(small_kb), str(exchange)]) == 0  # still fuzzy
    assert snapshot(small_kb) == before
    confirmed = translate_file(exchange.read_bytes(), "po", {f"{ENTRY}/answer": kb.entries[ENTRY].answer.get("en")})
    exchange.write_bytes(confirmed)
    assert main(["translations", "import", "--knowledge", str(small_kb), str(exchange)]) == 0
    assert "1 re-checked" in capsys.readouterr().out
    assert status_json(small_kb, capsys)["entries"][ENTRY]["en"]["status"] == "draft"


def test_a_missing_translation_in_a_flow_mapping_is_added_in_language_order(kb_dir: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    units = export_units(kb, "ar")
    assert {u.id for u in units} >= {"child-benefit/title", "child-benefit/answer"}
    plan = plan_import(
        kb,
        write_units([u for u in units if u.id.startswith("child-benefit/")], "ar", "xliff").replace(
            b"<source>Kindergeld</source>",
            b"<source>Kindergeld</source><target>\xd9\x83\xd9\x8a\xd9\x86\xd8\xaf\xd8\xb1\xd8\xba\xd9\x8a\xd9\x84\xd8\xaf</target>",
        ),
        "xliff",
    )
    assert [(c.entry, c.field) for c in plan.changes] == [("child-benefit", "title")]
    apply_import(kb_dir, kb, plan)
    text = (kb_dir / "faq" / "arrival.yaml").read_text(encoding="utf-8")
    assert 'title: {de: "Kindergeld", en: "Child benefit", ar: "كيندرغيلد"}' in text
    kb, _ = load_knowledge(kb_dir)
    assert kb.entries["child-benefit"].title.get("ar") == "كيندرغيلد"
    assert entry_status(kb.entries["child-benefit"], "ar").status is Status.MISSING  # the answer still is


# -- refusals: nothing written ---------------------------------------------------------------------


def _xliff_unit(ident: str, source: str, target: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">'
        '<file original="wegweiser-knowledge" source-language="de" target-language="ar" datatype="plaintext"><body>'
        f'<trans-unit id="{ident}" xml:space="preserve"><source>{source}</source>'
        f'<target state="translated">{target}</target></trans-unit>'
        "</body></file></xliff>"
    ).encode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("unknown-id.xlf", _xliff_unit("no-such-entry/answer", "x", "y"), "unknown id"),
        ("unknown-field.xlf", _xliff_unit("address-registration/questions", "x", "y"), "unknown id"),
        ("too-long.xlf", _xliff_unit("address-registration/title", "Wohnung anmelden", "ت" * 41), "at most 40"),
        ("one-line.xlf", _xliff_unit("address-registration/title", "Wohnung anmelden", "a\nb"), "one line"),
        ("malformed.xlf", b"<?xml version='1.0'?><xliff><file><body><trans-unit id='x'>", "cannot be read as XLIFF"),
        ("malformed.po", b'msgctxt "address-registration/title"\nmsgid "Wohnung\nmsgstr "x"\n', "cannot be read as PO"),
        ("wrong-lang.xlf", _xliff_unit("address-registration/title", "x", "y").replace(b'"ar"', b'"de"'), "target"),
    ],
)
def test_refused_files_write_nothing(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, reason: str
) -> None:
    before = snapshot(kb_dir)
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["translations", "import", "--knowledge", str(kb_dir), str(path)]) == 1
    assert reason in capsys.readouterr().err
    assert snapshot(kb_dir) == before


def test_a_changed_placeholder_or_address_is_refused_even_with_good_units_in_the_same_file(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Melden Sie Ihre Wohnung in 2 Wochen an.",
            "Melden Sie Ihre Wohnung in 2 Wochen an: https://example.org/termin {town}",
        ),
        encoding="utf-8",
    )
    kb, _ = load_knowledge(kb_dir)
    units = [u for u in export_units(kb, "en", everything=True) if u.id.startswith(ENTRY)]
    data = write_units(units, "en", "po")
    data = translate_file(
        data,
        "po",
        {
            f"{ENTRY}/title": "Register your address",  # fine on its own
            f"{ENTRY}/answer": "Register within 2 weeks: https://example.org/appointment {stadt}",
        },
    )
    before = snapshot(kb_dir)
    exchange = tmp_path / "en.po"
    exchange.write_bytes(data)
    assert main(["translations", "import", "--knowledge", str(kb_dir), str(exchange)]) == 1
    err = capsys.readouterr().err
    assert "must stay as in German" in err
    assert "https://example.org/termin" in err
    assert "{town}" in err
    assert snapshot(kb_dir) == before


def test_commit_refuses_what_the_loader_rejects_and_writes_nothing(kb_dir: Path) -> None:
    before = snapshot(kb_dir)
    good = (kb_dir / "faq" / "health.yaml").read_text(encoding="utf-8") + "\n"
    broken = (
        (kb_dir / "faq" / "arrival.yaml")
        .read_text(encoding="utf-8")
        .replace("category: arrival", "category: nowhere", 1)
    )
    with pytest.raises(KnowledgeError, match="unknown category 'nowhere'"):
        commit(kb_dir, {"faq/health.yaml": good, "faq/arrival.yaml": broken})
    assert snapshot(kb_dir) == before


def test_a_file_whose_layout_cannot_be_kept_is_not_rewritten(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    owner: Test", "    owner:    Test", 1), encoding="utf-8"
    )
    before = snapshot(kb_dir)
    assert main(["translations", "stamp", "--knowledge", str(kb_dir)]) == 1
    assert "cannot keep this file's layout" in capsys.readouterr().err
    assert snapshot(kb_dir) == before


def test_import_refused_lists_every_problem(kb_dir: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    data = _xliff_unit("nope/title", "x", "y").replace(
        b"</body>",
        b'<trans-unit id="address-registration/title"><source>x</source><target>'
        + b"a" * 50
        + b"</target></trans-unit></body>",
    )
    with pytest.raises(ImportRefused) as caught:
        plan_import(kb, data, "xliff")
    assert len(caught.value.problems) == 2


# -- the loader's view of the records --------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("de: {from: {title: 0123abcd}}", "'translations' has no language 'de'"),
        ("ar: {from: {title: xyz}}", "'from' is kept by the tool"),
        ("ar: {from: {questions: 0123abcd}}", "'from' is kept by the tool"),
        ("ar: {state: done}", "state must be draft or reviewed"),
        ("ar: {state: reviewed, by: X, on: 2026-11-30}", "unknown field"),
    ],
)
def test_loader_reports_broken_translation_records(kb_dir: Path, record: str, message: str) -> None:
    path = kb_dir / "faq" / "health.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("    answer:")
    path.write_text(text[:first] + f"    translations:\n      {record}\n" + text[first:], encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_dir)
    assert any(message in p.message and p.file == "faq/health.yaml" for p in caught.value.problems)


def test_coverage_counts_missing_translations(kb_dir: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    table = coverage(kb)
    assert table.rows["child-benefit"]["ar"].status is Status.MISSING
    assert table.rows["child-benefit"]["en"].status is Status.UNTRACKED
    assert table.totals("uk")[Status.MISSING] == len(kb.entries)


def test_external_entities_in_an_xliff_file_are_not_resolved(kb_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    data = _xliff_unit("address-registration/title", "Wohnung anmelden", "&xxe;").replace(
        b"<xliff", f'<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<xliff'.encode(), 1
    )
    before = snapshot(kb_dir)
    path = tmp_path / "xxe.xlf"
    path.write_bytes(data)
    main(["translations", "import", "--knowledge", str(kb_dir), str(path)])
    assert snapshot(kb_dir) == before
    assert "SECRET" not in "".join(p.decode("utf-8", "replace") for p in snapshot(kb_dir).values())


def test_a_translation_of_an_older_german_text_stays_outdated(
    small_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange = tmp_path / "en.xlf"
    assert (
        main(["translations", "export", "--knowledge", str(small_kb), "--lang", "en", "--all", "-o", str(exchange)])
        == 0
    )
    change_german_answer(small_kb, "faq/arrival.yaml", SMALL_OLD, SMALL_NEW)  # the German moves on meanwhile
    edited = "Register your flat within 2 weeks.\n- bring your passport\n- bring the *Wohnungsgeberbestätigung*"
    exchange.write_bytes(translate_file(exchange.read_bytes(), "xliff", {f"{ENTRY}/answer": edited}))
    assert main(["translations", "import", "--knowledge", str(small_kb), str(exchange)]) == 0
    assert "changed after the export" in capsys.readouterr().out
    kb, _ = load_knowledge(small_kb)
    assert kb.entries[ENTRY].answer.get("en") == edited
    assert entry_status(kb.entries[ENTRY], "en").status is Status.OUTDATED
