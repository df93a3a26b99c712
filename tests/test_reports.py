"""Editors' and operators' tools: unanswered-questions report, the KI's figures, the chart and QR codes."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import datetime as dt
import io
import os
import random
import re
import struct
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import segno
from matplotlib.colors import to_hex

from bot.clock import LOCAL_TZ
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.reports import parse_since
from bot.reports.chart import (
    DECISION_COLORS,
    DPI,
    PAGE_INCHES,
    ChartUnavailable,
    build_figure,
    render_chart,
    wait_histogram,
)
from bot.reports.qr import (
    DeepLink,
    PayloadError,
    build_payload,
    clean_username,
    deep_link,
    validate_payload,
    write_qr,
)
from bot.reports.stats import (
    Stats,
    collect_stats,
    compute_stats,
    format_duration,
    format_stats,
    iso_week,
)
from bot.reports.unanswered import (
    CSV_HEADER,
    cluster_questions,
    collect_unanswered,
    format_csv,
    format_markdown,
)
from bot.storage import Database, QuestionRecord, QuestionStore, TicketStatus, TicketStore
from bot.storage.tickets import OPEN_STATUSES
from tests.conftest import ROOT

T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)  # Monday, ISO week 2026-W48
MINUTE = dt.timedelta(minutes=1)


def record(
    text: str | None,
    decision: str = "fallback",
    language: str | None = "de",
    nearest: str | None = None,
    entry: str | None = None,
    at: dt.datetime = T0,
) -> QuestionRecord:
    return QuestionRecord(at, language, text, decision, entry, 0.4, nearest)


# -- PNG reading (independent of the writer under test) -----------------------------------------------


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """All chunks, checking the signature and every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1] == (b"IEND", b"")
    return chunks


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """width, height, bit depth, colour type."""
    width, height, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", png_chunks(data)[0][1])
    return width, height, depth, colour


def png_rows(data: bytes) -> list[bytes]:
    """Decompress and unfilter the scanlines (all five PNG filters)."""
    width, height, depth, colour = png_header(data)
    channels = {0: 1, 2: 3, 3: 1}[colour]
    bpp = max(1, channels * depth // 8)
    stride = (width * channels * depth + 7) // 8
    raw = zlib.decompress(b"".join(body for kind, body in png_chunks(data) if kind == b"IDAT"))
    assert len(raw) == height * (stride + 1)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            else:
                assert kind == 0, f"unknown filter {kind}"
        rows.append(bytes(line))
        previous = line
    return rows


def png_dpi(data: bytes) -> float:
    """Dots per inch from the pHYs chunk (pixels per metre), as print shops and viewers read it."""
    (body,) = [body for kind, body in png_chunks(data) if kind == b"pHYs"]
    x_per_metre, y_per_metre, unit = struct.unpack(">IIB", body)
    assert unit == 1, "pHYs must be in pixels per metre"
    assert x_per_metre == y_per_metre
    return x_per_metre * 0.0254


# -- --since ------------------------------------------------------------------------------------------


def test_since_accepts_days_weeks_and_iso_dates() -> None:
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
    assert parse_since("30d", now) == now - dt.timedelta(days=30)
    assert parse_since("12w", now) == now - dt.timedelta(days=84)
    assert parse_since("2026-01-31", now) == dt.datetime(2026, 1, 31, 0, 0, tzinfo=LOCAL_TZ)
    with pytest.raises(ValueError, match="'last month'"):
        parse_since("last month", now)
    with pytest.raises(ValueError, match="30d"):
        parse_since("30x", now)


# -- clustering ------------------------------------------------------------------------------------------


def test_similar_questions_form_one_cluster_with_the_most_frequent_nearest_entry() -> None:
    records = [
        record("wo kann ich kindergeld beantragen", "suggest", nearest="child-benefit"),
        record("Wo kann ich Kindergeld beantragen?", "fallback", nearest="child-benefit"),
        record("kindergeld beantragen wo", "fallback", nearest="housing-benefit"),
        record("wie bekomme ich einen hund", nearest="housing-search"),
        record("wie bekomme ich eine wohnung", nearest="housing-search"),
        record("kindergeld beantragen", "answer", entry="child-benefit"),  # answered: not in the report
        record("", "menu", entry="child-benefit"),  # a menu click: not a question
        record("kindergeld beantragen wo", "fallback", language="en", nearest="child-benefit"),
    ]
    clusters, without_text = cluster_questions(records)
    assert without_text == {}
    assert [(c.language, c.count) for c in clusters] == [("de", 3), ("de", 1), ("de", 1), ("en", 1)]
    kindergeld = clusters[0]
    assert kindergeld.nearest_entry == "child-benefit"  # 2 × child-benefit beat 1 × housing-benefit
    assert kindergeld.example == "wo kann ich kindergeld beantragen"  # the most frequent raw wording
    assert set(kindergeld.variants) == {
        "wo kann ich kindergeld beantragen",
        "Wo kann ich Kindergeld beantragen?",
        "kindergeld beantragen wo",
    }
    # "a dog" and "a flat" share most words but are different questions
    assert {c.example for c in clusters[1:3]} == {"wie bekomme ich einen hund", "wie bekomme ich eine wohnung"}


def test_clustering_is_deterministic_whatever_the_order() -> None:
    texts = [
        "wo ist das jobcenter",
        "jobcenter wo ist das",
        "wo finde ich das jobcenter",
        "wann ist sperrmüll",
        "sperrmüll termin",
        "wie teuer ist das deutschlandticket",
        "deutschlandticket kaufen",
        "deutschlandticket wo kaufen",
    ]
    records = [record(t, nearest=f"entry-{i % 3}") for i, t in enumerate(texts)]
    expected = cluster_questions(records)
    shuffler = random.Random(4)
    for _ in range(10):
        shuffled = records[:]
        shuffler.shuffle(shuffled)
        assert cluster_questions(shuffled) == expected


def test_questions_without_text_are_counted_but_not_clustered() -> None:
    records = [
        record(None, language="ar"),
        record(None, "suggest", language="ar"),
        record(None, language=None),
        record(None, "answer", language="ar"),  # answered: not counted either
        record("أين أجد طبيب أسنان", language="ar", nearest="find-doctor"),
    ]
    clusters, without_text = cluster_questions(records)
    assert without_text == {"ar": 2, "?": 1}
    assert [(c.language, c.count, c.example) for c in clusters] == [("ar", 1, "أين أجد طبيب أسنان")]


# -- the report from a database ---------------------------------------------------------------------------


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "reports.sqlite3")
    await database.open()
    yield database
    await database.close()


async def fill_questions(store: QuestionStore) -> None:
    """A known month of questions and votes (T0 is a Monday)."""
    rows = [
        (T0 - dt.timedelta(days=60), "de", "kindergeld alt", "fallback", None, "child-benefit"),  # before --since
        (T0 - dt.timedelta(days=10), "de", "wo beantrage ich kindergeld", "fallback", None, "child-benefit"),
        (T0 - dt.timedelta(days=9), "de", "kindergeld beantragen wo", "suggest", None, "child-benefit"),
        (T0 - dt.timedelta(days=8), "de", "kindergeld wo beantragen", "suggest", None, "housing-benefit"),
        (T0 - dt.timedelta(days=7), "de", "=HYPERLINK(evil) | pipe", "fallback", None, None),
        (T0 - dt.timedelta(days=6), "uk", "де купити квиток на автобус", "fallback", None, "public-transport"),
        (T0 - dt.timedelta(days=5), "uk", "квиток на автобус де купити", "fallback", None, "public-transport"),
        (T0 - dt.timedelta(days=4), "de", "wo melde ich mich an", "answer", "address-registration", None),
        (T0 - dt.timedelta(days=3), "de", "", "menu", "child-benefit", "child-benefit"),
    ]
    for user, (at, language, text, decision, entry, nearest) in enumerate(rows):
        await store.add(user, at, language, text, decision, entry, 0.4, nearest)
    votes = [("child-benefit", 1), ("child-benefit", -1), ("child-benefit", -1), ("child-benefit", -1)]
    votes += [("find-doctor", -1), ("address-registration", 1)] + [("address-registration", 1)] * 4
    for user, (entry, vote) in enumerate(votes):
        await store.add_feedback(100 + user, entry, vote, T0 - dt.timedelta(days=2, minutes=user))
    await store.add_feedback(999, "find-doctor", 1, T0 - dt.timedelta(days=90))  # before --since


async def test_report_clusters_counts_and_votes_worst_first(db: Database) -> None:
    store = QuestionStore(db)
    await fill_questions(store)
    # retention has removed the oldest text in the period
    await store.expire_texts(T0 - dt.timedelta(days=9, hours=12))
    report = await collect_unanswered(store, T0 - dt.timedelta(days=30))

    assert report.total == 6  # 6 fallback/suggest rows in the period; the answer and the menu click are not
    assert report.without_text == {"de": 1}
    assert [(c.language, c.count, c.nearest_entry) for c in report.clusters] == [
        ("de", 2, "child-benefit"),  # child-benefit 1 × vs housing-benefit 1 ×: the tie goes to the shorter id
        ("uk", 2, "public-transport"),
        ("de", 1, None),
    ]
    assert report.languages() == ["de", "uk"]
    # child-benefit: net -2, find-doctor: net -1, address-registration: net +5
    assert [(v.entry_id, v.up, v.down) for v in report.votes] == [
        ("child-benefit", 1, 3),
        ("find-doctor", 0, 1),
        ("address-registration", 5, 0),
    ]


async def test_csv_has_one_row_per_cluster_and_cannot_run_formulas(db: Database) -> None:
    store = QuestionStore(db)
    await fill_questions(store)
    await store.expire_texts(T0 - dt.timedelta(days=9, hours=12))
    rows = list(csv.reader(io.StringIO(format_csv(await collect_unanswered(store, T0 - dt.timedelta(days=30))))))

    assert tuple(rows[0]) == CSV_HEADER
    assert all(len(row) == len(CSV_HEADER) for row in rows)
    sections = Counter(row[0] for row in rows[1:])
    assert sections == {"cluster": 3, "without_text": 1, "feedback": 3}
    clusters = [row for row in rows if row[0] == "cluster"]
    assert [int(row[2]) for row in clusters] == [2, 2, 1]  # sorted by count
    formula = next(row for row in clusters if "HYPERLINK" in row[3])
    assert formula[3] == "'=HYPERLINK(evil) | pipe"  # a spreadsheet shows it as text
    assert rows[1 + len(clusters)][:3] == ["without_text", "de", "1"]
    feedback = [row for row in rows if row[0] == "feedback"]
    assert [(row[4], row[5], row[6]) for row in feedback] == [
        ("child-benefit", "1", "3"),
        ("find-doctor", "0", "1"),
        ("address-registration", "5", "0"),
    ]


async def test_markdown_sections_tables_and_escaping(db: Database) -> None:
    store = QuestionStore(db)
    await fill_questions(store)
    text = format_markdown(await collect_unanswered(store, T0 - dt.timedelta(days=30)))
    lines = text.splitlines()

    assert lines[0].startswith("# Unbeantwortete Fragen")
    assert "## de (4)" in lines
    assert "## uk (2)" in lines
    assert lines.index("## de (4)") < lines.index("## uk (2)")  # the biggest gap first
    assert "| 1 | =HYPERLINK\\(evil\\) \\| pipe | – | 1 |" in lines  # a "|" in a question cannot split the row
    table_rows = [line for line in lines if line.startswith("| ") and line.count("|") == 5]
    assert all(line.endswith("|") for line in table_rows)
    votes = lines[lines.index(next(line for line in lines if line.startswith("## 👍/👎"))) :]
    order = [
        line.split("|")[1].strip()
        for line in votes
        if line.startswith("| ") and "entry" not in line and "---" not in line
    ]
    assert order == ["child-benefit", "find-doctor", "address-registration"]
    assert "| child-benefit | 1 | 3 | 75% |" in lines


# -- figures ---------------------------------------------------------------------------------------------


@pytest.fixture
def knowledge(kb_dir: Path) -> KnowledgeBase:
    kb, _ = load_knowledge(kb_dir)
    return kb


async def fill_tickets(store: TicketStore) -> None:
    """Skewed on purpose, so a mean would give other numbers than the median.

    Waits 10, 90, 20, 5, 30 min: median 20 (mean 31). Handling 60, 20, 300 min: median 60 (mean 127).
    """

    async def ticket(user: int, created: dt.datetime) -> int:
        made = await store.create(user, created, "de", None, None, "frage", None)
        assert made is not None
        return made.id

    async def claim(ticket_id: int, at: dt.datetime) -> None:
        assert await store.transition(ticket_id, (TicketStatus.WAITING,), TicketStatus.CLAIMED, at, 7, "A")

    async def end(ticket_id: int, status: TicketStatus, at: dt.datetime) -> None:
        assert await store.transition(ticket_id, OPEN_STATUSES, status, at)

    old = await ticket(1, T0 - dt.timedelta(days=100))  # before the period
    await claim(old, T0 - dt.timedelta(days=99))
    await end(old, TicketStatus.CLOSED, T0 - dt.timedelta(days=98))
    first = await ticket(2, T0)
    await claim(first, T0 + 10 * MINUTE)
    await end(first, TicketStatus.CLOSED, T0 + 70 * MINUTE)
    second = await ticket(3, T0 + 60 * MINUTE)
    await claim(second, T0 + 150 * MINUTE)
    await end(second, TicketStatus.CLOSED, T0 + 170 * MINUTE)
    third = await ticket(4, T0 + 120 * MINUTE)
    await claim(third, T0 + 140 * MINUTE)
    await end(third, TicketStatus.CLOSED, T0 + 440 * MINUTE)
    fourth = await ticket(5, T0 + 180 * MINUTE)
    await claim(fourth, T0 + 185 * MINUTE)  # still being handled
    await ticket(6, T0 + 190 * MINUTE)  # still waiting
    fifth = await ticket(7, T0 + 200 * MINUTE)
    await claim(fifth, T0 + 230 * MINUTE)
    await end(fifth, TicketStatus.CANCELLED, T0 + 240 * MINUTE)  # the newcomer cancelled: a wait, but no handling time
    never = await ticket(8, T0 + 240 * MINUTE)
    await end(never, TicketStatus.CANCELLED, T0 + 250 * MINUTE)


async def fill_week_questions(store: QuestionStore) -> None:
    previous_week = T0 - dt.timedelta(days=7)
    rows = [
        (previous_week, "de", "answer", "child-benefit", "child-benefit"),  # arrival
        (previous_week, "ar", "answer", "address-registration", "address-registration"),  # arrival
        (previous_week, "ar", "fallback", None, "emergency-numbers"),  # fallback: no category
        (T0, "de", "suggest", None, "emergency-numbers"),  # the top suggestion's category: health
        (T0, "uk", "menu", "talk-to-counsellor", "talk-to-counsellor"),  # support
        (T0, "de", "answer", "removed-entry", "removed-entry"),  # no longer in the knowledge
        (T0, None, "fallback", None, None),
        (T0 + dt.timedelta(hours=1), "de", "answer", "child-benefit", "child-benefit"),
    ]
    for user, (at, language, decision, entry, nearest) in enumerate(rows):
        await store.add(user, at, language, "frage", decision, entry, 0.5, nearest)
    await store.add(50, T0 - dt.timedelta(days=400), "de", "alt", "answer", "child-benefit", 0.9, "child-benefit")
    for user, vote in enumerate((1, 1, -1)):
        await store.add_feedback(user, "child-benefit", vote, T0)


async def test_stats_numbers_and_medians(db: Database, knowledge: KnowledgeBase) -> None:
    questions, tickets = QuestionStore(db), TicketStore(db)
    await fill_week_questions(questions)
    await fill_tickets(tickets)
    since = T0 - dt.timedelta(days=21)
    stats = await collect_stats(questions, tickets, since, knowledge=knowledge, now=T0 + dt.timedelta(hours=5))

    assert stats.weeks == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")  # quiet weeks are listed too
    assert stats.questions == 8
    assert stats.decisions == {"answer": 4, "fallback": 2, "suggest": 1, "menu": 1}
    assert stats.share("answer") == pytest.approx(0.5)
    assert stats.by_language["2026-W47"] == {"de": 1, "ar": 2}
    assert stats.by_language["2026-W48"] == {"de": 3, "uk": 1, "?": 1}
    assert stats.by_language["2026-W45"] == {}
    assert stats.by_category["2026-W47"] == {"arrival": 2, "none": 1}
    assert stats.by_category["2026-W48"] == {"health": 1, "support": 1, "none": 2, "arrival": 1}
    assert stats.by_decision["2026-W48"] == {"suggest": 1, "menu": 1, "answer": 2, "fallback": 1}
    assert stats.handoffs == 7  # the ticket from 100 days ago is outside the period
    assert stats.claimed == 5
    assert stats.median_wait == dt.timedelta(minutes=20)
    assert stats.wait_times == tuple(dt.timedelta(minutes=m) for m in (5, 10, 20, 30, 90))  # for the chart
    assert stats.closed == 3
    assert stats.median_handling == dt.timedelta(minutes=60)
    assert (stats.feedback_up, stats.feedback_down) == (2, 1)

    text = format_stats(stats, knowledge)
    assert "Fragen gesamt (questions): 8" in text
    assert "  beantwortet (answered): 4 (50%)" in text
    assert "Übergaben an Berater*innen (handoffs): 7" in text
    assert "Wartezeit, Median (median waiting time): 20 min (5 angenommen / claimed)" in text
    assert "Bearbeitungszeit, Median (median handling time): 1 h 00 min (3 abgeschlossen / closed)" in text
    assert "👍 2  👎 1" in text
    language_table = text.split("by language)\n")[1].split("\n\n")[0].splitlines()
    assert language_table[0].split() == ["Woche", "gesamt", "de", "ar", "uk", "?"]  # the bot's language order
    assert language_table[-1].split() == ["Summe", "8", "4", "2", "1", "1"]
    assert language_table[1].split() == ["2026-W45", "0", "0", "0", "0", "0"]


def test_no_tickets_means_no_median_and_not_zero() -> None:
    stats = compute_stats([], [], {}, T0 - dt.timedelta(days=7), T0)
    assert stats.median_wait is None
    assert stats.median_handling is None
    assert "median waiting time): – (0 angenommen" in format_stats(stats)


def test_even_number_of_times_takes_the_middle_two() -> None:
    from bot.storage import Ticket

    def handled(wait: int, handling: int) -> Ticket:
        claimed = T0 + wait * MINUTE
        closed = claimed + handling * MINUTE
        return Ticket(1, 1, TicketStatus.CLOSED, "de", None, None, None, None, T0, 7, "A", claimed, closed)

    stats = compute_stats([], [handled(10, 5), handled(30, 100), handled(20, 7), handled(400, 9)], {}, T0, T0)
    assert stats.median_wait == dt.timedelta(minutes=25)  # (20 + 30) / 2, not the mean 115
    assert stats.median_handling == dt.timedelta(minutes=8)  # (7 + 9) / 2


def test_weeks_are_counted_in_heinsberg_time() -> None:
    sunday_night = dt.datetime(2026, 11, 29, 23, 30, tzinfo=LOCAL_TZ)  # 22:30 UTC, still week 48
    monday_early = dt.datetime(2026, 11, 30, 0, 30, tzinfo=LOCAL_TZ)  # 23:30 UTC on Sunday, but week 49
    assert iso_week(sunday_night) == "2026-W48"
    assert iso_week(monday_early.astimezone(dt.UTC)) == "2026-W49"


def test_durations_read_naturally() -> None:
    assert format_duration(dt.timedelta(seconds=45)) == "45 s"
    assert format_duration(dt.timedelta(minutes=20)) == "20 min"
    assert format_duration(dt.timedelta(minutes=65)) == "1 h 05 min"
    assert format_duration(dt.timedelta(days=2, hours=3)) == "2 d 3 h"


# -- chart -----------------------------------------------------------------------------------------------


WORLD_LANGUAGES = ("de", "ar", "fa", "uk", "ru", "tr")


def world_stats(knowledge: KnowledgeBase) -> Stats:
    """Two weeks of questions in six languages, one category named in Persian, three handoff waits."""
    week = [record("q", "answer", language=lang, entry="child-benefit", at=T0) for lang in WORLD_LANGUAGES]
    week += [record("q", "fallback", language="ar", at=T0)] * 2
    earlier = [record("q", "answer", language="uk", at=T0 - dt.timedelta(days=7))]
    stats = compute_stats(earlier + week, [], {}, T0 - dt.timedelta(days=7), T0, knowledge)
    persian = "پچژگی"  # the letters Persian adds to the Arabic alphabet
    by_category = {w: dict(counts) for w, counts in stats.by_category.items()}
    by_category["2026-W48"][persian] = 1
    waits = tuple(dt.timedelta(minutes=m) for m in (5, 40, 50))
    return dataclasses.replace(stats, by_category=by_category, wait_times=waits, claimed=3)


def bars(axes: Any) -> list[tuple[float, float, float, str]]:
    """(x, bottom, height, colour) of every bar segment in the panel, left to right, bottom up."""
    found = [(p.get_x(), p.get_y(), p.get_height(), to_hex(p.get_facecolor())) for p in axes.patches]
    return sorted(bar for bar in found if bar[2] > 0)


def test_chart_bars_and_labels_follow_the_figures(knowledge: KnowledgeBase) -> None:
    figure = build_figure(world_stats(knowledge), knowledge)
    decision_axes, language_axes, category_axes, wait_axes = figure.axes[:4]

    # outcome: week 47 one answer; week 48 six answers below two fallbacks
    assert bars(decision_axes) == [
        (pytest.approx(-0.375), 0, 1, DECISION_COLORS["answer"]),
        (pytest.approx(0.625), 0, 6, DECISION_COLORS["answer"]),
        (pytest.approx(0.625), 6, 2, DECISION_COLORS["fallback"]),
    ]
    assert [t.get_text() for t in decision_axes.get_xticklabels()] == ["47", "48"]
    legend = [t.get_text() for t in language_axes.get_legend().get_texts()]
    assert legend == ["de · Deutsch", "ar · العربية", "uk · Українська", "ru · Русский", "tr · Türkçe", "fa · فارسی"]
    assert sum(height for _, _, height, _ in bars(language_axes)) == 9
    categories = [t.get_text() for t in category_axes.get_legend().get_texts()]
    assert "پچژگی" in categories
    assert "ohne Kategorie (none)" in categories
    # waiting times: horizontal bars, < 15 min: 1, 15–60 min: 2, nothing longer
    widths = [p.get_width() for p in wait_axes.patches]
    assert widths == [1, 2, 0, 0, 0, 0]
    assert [t.get_text() for t in wait_axes.get_yticklabels()][:2] == ["< 15 min", "15–60 min"]


def test_wait_histogram_buckets() -> None:
    minutes = [0, 14, 15, 59, 60, 239, 240, 24 * 60, 3 * 24 * 60 - 1, 3 * 24 * 60, 10 * 24 * 60]
    histogram = wait_histogram([dt.timedelta(minutes=m) for m in minutes])
    assert histogram == [("< 15 min", 2), ("15–60 min", 2), ("1–4 h", 2), ("4–24 h", 1), ("1–3 d", 2), ("> 3 d", 2)]


def test_chart_png_is_a4_at_200_dpi_with_arabic_cyrillic_and_persian_labels(knowledge: KnowledgeBase) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # a "Glyph ... missing from font(s)" warning must not even be raised
        png = render_chart(world_stats(knowledge), knowledge)
    assert [str(w.message) for w in caught] == []
    width, height, depth, colour = png_header(png)
    assert (width, height) == (round(PAGE_INCHES[0] * DPI), round(PAGE_INCHES[1] * DPI)) == (2338, 1654)
    assert depth == 8
    assert colour in (2, 6)  # RGB or RGBA
    assert png_dpi(png) == pytest.approx(200, abs=0.01)
    assert len(png) < 1_000_000  # well under Telegram's 10 MB photo limit


def test_chart_svg_has_text_as_paths(knowledge: KnowledgeBase) -> None:
    svg = render_chart(world_stats(knowledge), knowledge, "svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == f"{PAGE_INCHES[0] * 72:g}pt"
    assert root.findall(".//{http://www.w3.org/2000/svg}text") == []  # glyphs as paths: no font needed to view
    assert render_chart(world_stats(knowledge), knowledge, "svg") == svg  # same data, same file


def ink(text: str) -> Any:
    """The text drawn alone, as a 2-D array of ink (True) in the chart's font."""
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bot.reports.chart import RC

    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(3, 1), dpi=100)
        figure.text(0.1, 0.3, text, fontsize=30)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].min(axis=2) < 128
    columns = np.flatnonzero(pixels.any(axis=0))
    rows = np.flatnonzero(pixels.any(axis=1))
    return pixels[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def test_arabic_script_is_joined_and_right_to_left() -> None:
    """What the chart relies on instead of reshaping labels itself: matplotlib ≥ 3.11 shapes with libraqm."""
    beh = ink("ب").shape[1]
    assert ink("ببب").shape[1] < 0.8 * 3 * beh  # joined forms are narrower than three separate letters
    # alef then beh: in right-to-left order the tall alef stands at the right end
    alef_beh = ink("اب")
    top_row = alef_beh[: max(1, alef_beh.shape[0] // 5)]
    assert top_row.any(axis=0).nonzero()[0].min() > alef_beh.shape[1] / 2


def test_chart_without_matplotlib_says_how_to_install(
    knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ChartUnavailable, match=re.escape("pip install 'wegweiser[reports]'")):
        render_chart(world_stats(knowledge), knowledge)


# -- QR codes --------------------------------------------------------------------------------------------


def test_payload_from_known_parts(knowledge: KnowledgeBase) -> None:
    assert build_payload(knowledge, "ar", "erkelenz", "child-benefit") == "ar_erkelenz_child-benefit"
    assert build_payload(knowledge, "UK", None, "address-registration") == "uk_address-registration"
    assert build_payload(knowledge) == ""
    link = DeepLink("WegweiserHSBot", "ar_erkelenz_child-benefit")
    assert link.url == "https://t.me/WegweiserHSBot?start=ar_erkelenz_child-benefit"
    assert DeepLink("WegweiserHSBot", "").url == "https://t.me/WegweiserHSBot"


def test_unknown_parts_are_refused_with_a_hint(knowledge: KnowledgeBase) -> None:
    with pytest.raises(PayloadError, match="unknown town 'erkelen' – did you mean 'erkelenz'"):
        build_payload(knowledge, town="erkelen")
    with pytest.raises(PayloadError, match="unknown town 'gangelt'"):  # a real town, but not in this knowledge
        build_payload(knowledge, town="gangelt")
    with pytest.raises(PayloadError, match="unknown topic 'kindergeld' – did you mean 'child-benefit'"):
        build_payload(knowledge, topic="kindergeld")
    with pytest.raises(PayloadError, match="unknown language 'xx'"):
        build_payload(knowledge, language="xx")


def test_telegram_payload_rules() -> None:
    assert validate_payload("a" * 64) == "a" * 64
    with pytest.raises(PayloadError, match="65 characters; Telegram allows 64"):
        validate_payload("a" * 65)
    with pytest.raises(PayloadError, match="only A-Z"):
        validate_payload("ar erkelenz")
    with pytest.raises(PayloadError, match="'ü'"):
        validate_payload("übach")
    with pytest.raises(PayloadError, match="separates"):
        deep_link("WegweiserHSBot", ["ar", "a_b"]).url  # noqa: B018
    assert deep_link("WegweiserHSBot", ["ar", "child-benefit"]).payload == "ar_child-benefit"


def test_bot_usernames() -> None:
    assert clean_username("@WegweiserHSBot") == "WegweiserHSBot"
    assert clean_username("https://t.me/wegweiser_bot") == "wegweiser_bot"
    with pytest.raises(PayloadError, match="not a bot"):
        clean_username("Wegweiser")
    with pytest.raises(PayloadError, match="not a Telegram username"):
        clean_username("1bot")
    with pytest.raises(PayloadError, match="not a Telegram username"):
        clean_username("we ird_bot")


def test_qr_png_encodes_exactly_the_link(tmp_path: Path) -> None:
    url = "https://t.me/WegweiserHSBot?start=ar_erkelenz_child-benefit"
    path = tmp_path / "poster" / "qr.png"
    write_qr(url, path, scale=4, border=4)
    data = path.read_bytes()
    expected = segno.make(url, error="m", micro=False)
    size = len(expected.matrix)
    width, height, depth, colour = png_header(data)
    assert (width, height) == ((size + 8) * 4, (size + 8) * 4)
    assert (depth, colour) == (1, 0)  # black and white
    rows = png_rows(data)

    def dark(x: int, y: int) -> bool:
        return not (rows[y][x // 8] >> (7 - x % 8)) & 1

    modules = [[dark((4 + c) * 4 + 2, (4 + r) * 4 + 2) for c in range(size)] for r in range(size)]
    assert modules == [[bool(v) for v in row] for row in expected.matrix]
    assert not dark(1, 1)  # the quiet zone is light
    other = segno.make("https://t.me/WegweiserHSBot?start=de", error="m", micro=False)
    assert [[bool(v) for v in row] for row in other.matrix] != modules


# -- command line ----------------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite3"

    async def fill() -> None:
        async with Database(path) as database:
            await fill_questions(QuestionStore(database))
            await fill_week_questions(QuestionStore(database))
            await fill_tickets(TicketStore(database))

    asyncio.run(fill())
    return path


def test_cli_unanswered_csv_markdown_and_errors(filled_db: Path, tmp_path: Path) -> None:
    result = run_cli("report", "unanswered", "--db", str(filled_db), "--since", "2026-11-01", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1][:3] == ["cluster", "de", "3"]  # the three kindergeld questions
    out = tmp_path / "out" / "report.md"
    result = run_cli(
        "report", "unanswered", "--since", "2026-11-01", "--out", str(out), env={"BOT_DB_PATH": str(filled_db)}
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Unbeantwortete Fragen (unanswered questions) seit 2026-11-01")
    csv_file = tmp_path / "report.csv"
    assert (
        run_cli("report", "unanswered", "--db", str(filled_db), "--format", "csv", "--out", str(csv_file)).returncode
        == 0
    )
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfsection,")  # BOM: spreadsheets read UTF-8

    bad = run_cli("report", "unanswered", "--db", str(filled_db), "--since", "yesterday")
    assert bad.returncode == 2
    assert "--since must look like 30d, 12w or 2026-01-31" in bad.stderr
    missing = tmp_path / "nothing-here.sqlite3"
    result = run_cli("report", "unanswered", env={"BOT_DB_PATH": str(missing)})
    assert result.returncode == 1
    assert "No database" in result.stderr
    assert not missing.exists()  # a report never creates an empty database
    assert run_cli("report").returncode == 2  # which report?


def test_cli_stats_with_png(filled_db: Path, kb_dir: Path, tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    result = run_cli(
        "report",
        "stats",
        "--db",
        str(filled_db),
        "--knowledge",
        str(kb_dir),
        "--since",
        "2026-11-01",
        "--png",
        str(png),
    )
    assert result.returncode == 0, result.stderr
    assert "Wartezeit, Median (median waiting time): 20 min" in result.stdout
    assert "Bearbeitungszeit, Median (median handling time): 1 h 00 min" in result.stdout
    assert "2026-W48" in result.stdout
    assert f"Diagramm (chart): {png}" in result.stdout
    assert png_header(png.read_bytes())[:2] == (2338, 1654)
    assert png_dpi(png.read_bytes()) == pytest.approx(200, abs=0.01)


def test_cli_stats_with_svg_and_without_matplotlib(filled_db: Path, kb_dir: Path, tmp_path: Path) -> None:
    svg = tmp_path / "print" / "chart.svg"
    args = ("report", "stats", "--db", str(filled_db), "--knowledge", str(kb_dir), "--since", "2026-11-01")
    result = run_cli(*args, "--svg", str(svg))
    assert result.returncode == 0, result.stderr
    assert ET.fromstring(svg.read_bytes()).tag == "{http://www.w3.org/2000/svg}svg"
    # an install without the reports extra: the figures still come, the chart is refused with a way out
    fake = tmp_path / "no-extra" / "matplotlib"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    png = tmp_path / "chart.png"
    result = run_cli(*args, "--png", str(png), env={"PYTHONPATH": f"{fake.parent}{os.pathsep}{ROOT}"})
    assert result.returncode == 1
    assert "pip install 'wegweiser[reports]'" in result.stderr
    assert "2026-W48" in result.stdout
    assert not png.exists()


def test_cli_qr(kb_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "poster.png"
    result = run_cli(
        "qr", "--bot-username", "@WegweiserHSBot", "--knowledge", str(kb_dir),
        "--lang", "ar", "--town", "erkelenz", "--topic", "child-benefit", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "https://t.me/WegweiserHSBot?start=ar_erkelenz_child-benefit"
    assert png_header(out.read_bytes())[:2][0] > 0

    wrong = tmp_path / "wrong.png"
    result = run_cli(
        "qr", "--bot-username", "WegweiserHSBot", "--knowledge", str(kb_dir), "--town", "atlantis", "-o", str(wrong)
    )
    assert result.returncode == 2
    assert "unknown town 'atlantis'" in result.stderr
    assert not wrong.exists()
    result = run_cli(
        "qr", "--bot-username", "WegweiserHSBot", "--knowledge", str(kb_dir), "--topic", "nope", "-o", str(wrong)
    )
    assert result.returncode == 2
    assert "unknown topic 'nope'" in result.stderr
    result = run_cli("qr", "--bot-username", "Wegweiser", "--knowledge", str(kb_dir), "-o", str(wrong))
    assert result.returncode == 2
    assert "not a bot" in result.stderr
    assert run_cli("qr", "--bot-username", "WegweiserHSBot", "-o", str(tmp_path / "x.svg")).returncode == 2
    assert run_cli("qr", "-o", str(wrong)).returncode == 2  # --bot-username is required
