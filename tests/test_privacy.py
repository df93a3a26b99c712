"""Every privacy promise, proved with a fixed clock: what is stored, for how long, where, and what a log
or a report may show. One test per row of the README's privacy table, plus files, logs, YAML and reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from bot import pseudonyms
from bot.clock import FixedClock
from bot.config import ConfigError, load_settings
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.yamlfile import MAX_FILE_BYTES
from bot.reports.files import write_private
from bot.reports.unanswered import collect_unanswered, format_markdown
from bot.service import CoreService
from bot.storage.db import Database
from bot.storage.inbox import InboxStore

USER = 424242  # an id that occurs nowhere else in the database
COUNSELLOR = 900


def database_mentions(path: str | Path, value: int) -> list[str]:
    """Every table.column where `value` occurs: as an integer, or (for ids of 6 digits or more, which random
    keys and timestamps do not contain by chance) inside a text such as a JSON payload or a key."""
    found = []
    inside = str(value) if len(str(value)) >= 6 else None
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                hit = conn.execute(
                    f"SELECT 1 FROM {table} WHERE {column} = ? OR instr(CAST({column} AS TEXT), ?) > 0 LIMIT 1",
                    (value, inside),
                ).fetchone()
                if hit:
                    found.append(f"{table}.{column}")
    return found


async def ask_and_hand_off(service: CoreService, user_id: int = USER) -> int:
    """The user asks, votes, and talks to a person; a counsellor claims and closes. Returns the ticket id."""
    await service.dialogue.on_text(user_id, "kindergeld beantragen", "de")
    await service.dialogue.on_button(user_id, "fb:+:child-benefit")
    await service.dialogue.on_button(user_id, "human")
    ticket = await service.tickets.open_for_user(user_id)
    assert ticket is not None
    await service.tickets.set_thread(ticket.id, 77, 78)
    assert service.queue is not None
    assert await service.queue.claim(ticket.id, COUNSELLOR, "Anna")
    assert await service.queue.close(ticket.id)
    return ticket.id


def advance(service: CoreService, **delta: float) -> None:
    clock = service.clock
    assert isinstance(clock, FixedClock)
    clock.advance(**delta)


# -- the README's privacy table, row by row ----------------------------------------------------------------


async def test_row_user_id_language_town_gone_365_days_after_the_last_message(service: CoreService) -> None:
    await ask_and_hand_off(service)
    advance(service, days=364)
    assert (await service.apply_retention())["inactive_users"] == 0
    assert await service.users.get(USER) is not None
    advance(service, days=2)
    removed = await service.apply_retention()
    assert removed["inactive_users"] == 1
    assert database_mentions(service.db.path, USER) == []  # questions, votes, tickets: the counts stay...
    stats = await service.questions.since(service.clock.now() - dt.timedelta(days=400))
    assert [r.entry_id for r in stats] == ["child-benefit"]  # ...without the id
    assert (await service.questions.feedback_by_entry(service.clock.now() - dt.timedelta(days=400))) == {
        "child-benefit": (1, 0)
    }


async def test_row_question_texts_gone_after_90_days_counts_stay(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "de")
    advance(service, days=89)
    assert (await service.apply_retention())["question_texts"] == 0
    advance(service, days=2)
    removed = await service.apply_retention()
    assert removed["question_texts"] == 1
    records = await service.questions.since(service.clock.now() - dt.timedelta(days=365))
    assert [(r.text, r.entry_id) for r in records] == [(None, "child-benefit")]


async def test_row_votes_until_the_user_deletes_their_data(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "de")
    await service.dialogue.on_button(USER, "fb:-:child-benefit")
    advance(service, days=300)
    await service.apply_retention()
    assert await service.questions.feedback_count_for(USER) == 1
    await service.dialogue.on_button(USER, "del:yes")
    assert await service.questions.feedback_count_for(USER) == 0
    assert database_mentions(service.db.path, USER) == []


async def test_row_tickets_texts_counsellor_and_topic_gone_30_days_after_closing(service: CoreService) -> None:
    ticket_id = await ask_and_hand_off(service)
    advance(service, days=29)
    assert (await service.apply_retention())["ticket_texts"] == 0
    kept = await service.tickets.get(ticket_id)
    assert kept is not None
    assert (kept.claimed_by, kept.claimed_by_name, kept.thread_id) == (COUNSELLOR, "Anna", 77)
    assert await service.tickets.topics_to_delete() == []
    advance(service, days=2)
    assert (await service.apply_retention())["ticket_texts"] == 1
    expired = await service.tickets.get(ticket_id)
    assert expired is not None
    assert (expired.question, expired.bot_answer, expired.claimed_by, expired.claimed_by_name) == (None,) * 4
    assert (expired.thread_id, expired.card_message_id) == (None, None)
    assert await service.tickets.topics_to_delete() == [(77, ticket_id)]  # Telegram's copy goes too
    assert database_mentions(service.db.path, COUNSELLOR) == []
    assert expired.status == "closed"
    assert expired.language == "de"  # the figures stay


async def test_deleting_my_data_leaves_no_id_and_queues_every_topic(service: CoreService) -> None:
    first = await ask_and_hand_off(service)
    await service.dialogue.on_text(USER, "ich brauche nochmal hilfe", "de")
    await service.dialogue.on_button(USER, "human")
    second = await service.tickets.open_for_user(USER)
    assert second is not None
    await service.tickets.set_thread(second.id, 88, 89)
    inbox = InboxStore(service.db)
    await inbox.record_sent("u1:1", 5, service.clock.now())
    assert {"users.user_id", "questions.user_id", "feedback.user_id", "tickets.user_id"} <= set(
        database_mentions(service.db.path, USER)
    )
    out = await service.dialogue.on_button(USER, "del:yes")
    assert out.replies
    assert database_mentions(service.db.path, USER) == []
    assert sorted(await service.tickets.topics_to_delete()) == [(77, first), (88, second.id)]


async def test_row_send_records_keep_no_chat_id(service: CoreService) -> None:
    inbox = InboxStore(service.db)
    await inbox.record_sent("u7:1", 12, service.clock.now())
    assert await inbox.sent_message_id("u7:1") == 12
    assert database_mentions(service.db.path, USER) == []
    advance(service, days=2)
    await inbox.purge(service.clock.now() - dt.timedelta(days=1))
    assert not await inbox.was_sent("u7:1")


async def test_row_inbox_text_dropped_when_handled(service: CoreService) -> None:
    inbox = InboxStore(service.db)
    payload = {"update_id": 5, "message": {"text": "GEHEIM 123", "from": {"id": USER}}}
    await inbox.store([(5, payload)], service.clock.now())
    assert await inbox.pending() == [(5, payload)]
    await inbox.done(5, service.clock.now())
    await service.db.commit()
    assert database_mentions(service.db.path, USER) == []


# -- files -------------------------------------------------------------------------------------------------


async def test_database_folder_and_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "data" / "bot.sqlite3"
    old = os.umask(0o022)
    try:
        async with Database(path) as db:
            await InboxStore(db).set_value("k", "v")
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
            assert set(modes) >= {"bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm"}
            assert set(modes.values()) == {0o600}
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        path.chmod(0o644)  # a database from an older version is tightened
        async with Database(path):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_report_files_are_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "unanswered.md"
    out.parent.mkdir()
    out.write_text("old")
    out.chmod(0o644)
    write_private(out, "# Bericht\nFrage: äöü")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8") == "# Bericht\nFrage: äöü"


async def test_deleted_texts_leave_no_trace_in_the_database_files(service: CoreService) -> None:
    secret = "Mein Nachname ist Quaxelbrunn"
    await service.dialogue.on_text(USER, secret, "de")
    await service.db.commit()
    path = Path(service.db.path)
    files = [path, Path(f"{path}-wal")]
    assert any(secret.encode() in f.read_bytes() for f in files if f.exists())
    await service.dialogue.on_button(USER, "del:yes")
    for f in files:
        if f.exists():
            assert secret.encode() not in f.read_bytes(), f.name
    async with service.db.conn.execute("PRAGMA secure_delete") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 1


async def test_retention_leaves_no_expired_text_in_the_database_files(service: CoreService) -> None:
    secret = "Frage von Familie Quaxelbrunn"
    await service.dialogue.on_text(USER, secret, "de")
    advance(service, days=91)
    await service.apply_retention()
    path = Path(service.db.path)
    for f in (path, Path(f"{path}-wal")):
        if f.exists():
            assert secret.encode() not in f.read_bytes(), f.name


# -- log pseudonyms ----------------------------------------------------------------------------------------


def test_pseudonym_is_a_keyed_hmac_sha256_with_8_bytes_shown() -> None:
    key = bytes(range(32))
    pseudonyms.use_key(key)
    expected = hmac.new(key, b"529000111", hashlib.sha256).digest()[:8].hex()
    assert pseudonyms.pseudonym(529000111) == f"u-{expected}"
    assert len(expected) == 16
    old = "u-" + hashlib.blake2s(b"529000111", digest_size=4, key=b"wegweiser-logs").hexdigest()
    assert pseudonyms.pseudonym(529000111) != old  # the constant key in the source is gone
    pseudonyms.use_key(bytes(reversed(range(32))))
    assert pseudonyms.pseudonym(529000111) != f"u-{expected}"
    with pytest.raises(ValueError, match="16 bytes"):
        pseudonyms.use_key(b"short")


async def test_log_key_is_generated_once_and_kept_or_taken_from_the_environment(
    kb_dir: Path, tmp_path: Path, clock: FixedClock
) -> None:
    db = tmp_path / "keys.sqlite3"
    shown = []
    for _ in range(2):
        core = CoreService(kb_dir, db, clock=clock)
        await core.start()
        shown.append(pseudonyms.pseudonym(USER))
        await core.stop()
    assert shown[0] == shown[1]  # stable across restarts: the key is kept in the database
    core = CoreService(kb_dir, db, clock=clock, log_key="ab" * 32)
    await core.start()
    await core.stop()
    assert pseudonyms.pseudonym(USER) == "u-" + hmac.new(b"\xab" * 32, str(USER).encode(), "sha256").hexdigest()[:16]
    assert load_settings({"BOT_LOG_KEY": "cd" * 32}).log_key == "cd" * 32
    config = tmp_path / "bot.yaml"
    config.write_text("log_key: abc\n")
    with pytest.raises(ConfigError, match="secrets come only from environment"):
        load_settings({"BOT_CONFIG": str(config)})


# -- editors' YAML -----------------------------------------------------------------------------------------

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def problems_of(kb_dir: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_dir)
    return [str(p) for p in caught.value.problems]


def test_alias_bomb_is_refused_quickly_with_file_and_line(kb_dir: Path) -> None:
    (kb_dir / "faq" / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.monotonic()
    problems = problems_of(kb_dir)
    assert time.monotonic() - started < 5
    assert any("faq/bomb.yaml:1" in p and "anchors (&a) are not allowed" in p for p in problems), problems


def test_aliases_merge_keys_deep_nesting_and_huge_files_are_refused(kb_dir: Path) -> None:
    faq = kb_dir / "faq" / "extra.yaml"
    faq.write_text("base: {x: 1}\nentries:\n  - <<: *base\n", encoding="utf-8")
    assert any("faq/extra.yaml:3" in p and "aliases (*base)" in p for p in problems_of(kb_dir))
    faq.write_text("x: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert any("faq/extra.yaml:1" in p and "nested deeper" in p for p in problems_of(kb_dir))
    faq.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    assert any("faq/extra.yaml:1" in p and "split it" in p for p in problems_of(kb_dir))


# -- the editors' report -----------------------------------------------------------------------------------


async def test_markdown_report_shows_user_text_as_text(service: CoreService) -> None:
    nasty = [
        "![x](https://tracker.example/pixel.png)",
        '<img src="https://tracker.example/p.png" onerror="alert(1)">',
        "[hier klicken](javascript:alert(1))",
        "<script>alert(1)</script> & mehr",
    ]
    for i, text in enumerate(nasty):
        await service.dialogue.on_text(USER + i, text, "de")
    report = format_markdown(await collect_unanswered(service.questions, service.clock.now() - dt.timedelta(days=1)))
    rows = [line for line in report.splitlines() if line.startswith("| 1 |")]
    assert len(rows) == len(nasty)
    body = "\n".join(rows)
    assert "<" not in body  # no HTML tag can open
    assert "![" not in body  # no image: escaped as \!\[
    assert "](" not in body  # no link target: escaped as \]\(
    assert "\\!\\[x\\]\\(https://tracker.example/pixel.png\\)" in body  # the text itself stays readable
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; mehr" in body


# -- the crash window's storage side -----------------------------------------------------------------------


async def test_send_records_are_durable_at_once_even_while_a_batch_is_open(tmp_path: Path) -> None:
    """An urgent write waits for the open batch only, goes ahead of batches that have not begun, and its
    literal quoting keeps any text a text."""
    import asyncio

    async with Database(tmp_path / "urgent.sqlite3") as db:
        inbox = InboxStore(db)
        started, release = asyncio.Event(), asyncio.Event()

        async def long_batch() -> None:
            async with db.batch():
                await inbox.set_value("batch", "half")
                started.set()
                await release.wait()

        batch = asyncio.create_task(long_batch())
        await started.wait()
        order: list[str] = []

        async def record_it() -> None:
            await inbox.record_sent("u1:1'); DROP TABLE sent; --", 7, dt.datetime.now(dt.UTC))
            order.append("record")

        async def late_batch() -> None:
            async with db.batch():
                order.append("late batch")

        record = asyncio.create_task(record_it())
        await asyncio.sleep(0.05)
        assert not record.done()  # it must not commit the batch half-done
        late = asyncio.create_task(late_batch())
        await asyncio.sleep(0.05)
        assert order == []
        release.set()
        await asyncio.gather(batch, record, late)
        assert order == ["record", "late batch"]  # the record went ahead of the batch that began later
        other = sqlite3.connect(db.path)
        try:
            keys = [r[0] for r in other.execute("SELECT key FROM sent")]
        finally:
            other.close()
        assert keys == ["u1:1'); DROP TABLE sent; --"]


def test_webhook_listens_on_loopback_by_default() -> None:
    assert load_settings({}).webhook_listen == "127.0.0.1"
    assert load_settings({"WEBHOOK_LISTEN": "0.0.0.0"}).webhook_listen == "0.0.0.0"
