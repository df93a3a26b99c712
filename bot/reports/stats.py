"""The KI's figures: questions per week, how often the bot could answer, handoffs and their waiting times.

`collect_stats` + `format_stats` are shared by `python -m bot report stats` and the admins' `/stats`
command. `render_chart` draws questions per week as stacked bars by decision into a PNG.

No plotting library on purpose: the chart is a handful of rectangles and labels, and matplotlib/Pillow
would add tens of megabytes to the image for it. The PNG writer below (zlib + struct) and a 3×5 bitmap
font cover exactly what the chart needs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import LOCAL_TZ
from bot.knowledge.model import KnowledgeBase
from bot.languages import LANGUAGES
from bot.storage.questions import QuestionRecord, QuestionStore
from bot.storage.tickets import Ticket, TicketStore

if TYPE_CHECKING:
    from bot.service import CoreService

DECISIONS = ("answer", "suggest", "fallback", "menu")
DECISION_LABELS = {
    "answer": "beantwortet (answered)",
    "suggest": "Vorschläge (suggested)",
    "fallback": "keine Antwort (fallback)",
    "menu": "über das Menü (menu)",
}
NO_CATEGORY = "none"
UNKNOWN_LANGUAGE = "?"


@dataclass(frozen=True)
class Stats:
    """Figures for one period; plain data so the CLI, /stats and the chart read the same numbers."""

    since: dt.datetime
    until: dt.datetime
    weeks: tuple[str, ...]  # ISO weeks "2026-W47", oldest first, including weeks without questions
    by_language: Mapping[str, Mapping[str, int]]  # week -> language -> questions
    by_category: Mapping[str, Mapping[str, int]]  # week -> category -> questions
    by_decision: Mapping[str, Mapping[str, int]]  # week -> decision -> questions
    decisions: Mapping[str, int]
    questions: int
    handoffs: int
    claimed: int  # tickets a counsellor took (they have a waiting time)
    closed: int  # tickets closed after being taken (they have a handling time)
    median_wait: dt.timedelta | None
    median_handling: dt.timedelta | None
    feedback_up: int
    feedback_down: int

    def share(self, decision: str) -> float:
        return self.decisions.get(decision, 0) / self.questions if self.questions else 0.0


def iso_week(moment: dt.datetime) -> str:
    """The ISO week in Heinsberg's local time, so a Sunday-evening question counts for that week."""
    year, week, _ = moment.astimezone(LOCAL_TZ).isocalendar()
    return f"{year}-W{week:02d}"


def _weeks_between(since: dt.datetime, until: dt.datetime) -> list[str]:
    """Every ISO week of the period, so a quiet week shows as 0 instead of disappearing."""
    day = since.astimezone(LOCAL_TZ).date()
    last = until.astimezone(LOCAL_TZ).date()
    weeks: list[str] = []
    while day <= last:
        year, week, _ = day.isocalendar()
        weeks.append(f"{year}-W{week:02d}")
        day += dt.timedelta(days=7 - day.weekday())  # the next Monday
    return weeks


def _category(record: QuestionRecord, knowledge: KnowledgeBase | None) -> str:
    """The answered (or, for "did you mean", the top suggested) entry's category; otherwise "none"."""
    entry_id = record.entry_id or (record.nearest_entry if record.decision == "suggest" else None)
    if knowledge is None or entry_id is None or entry_id not in knowledge.entries:
        return NO_CATEGORY
    return knowledge.entries[entry_id].category


def _median(values: Sequence[float]) -> dt.timedelta | None:
    return dt.timedelta(seconds=round(statistics.median(values))) if values else None


def compute_stats(
    records: Iterable[QuestionRecord],
    tickets: Iterable[Ticket],
    votes: Mapping[str, tuple[int, int]],
    since: dt.datetime,
    until: dt.datetime,
    knowledge: KnowledgeBase | None = None,
) -> Stats:
    """The arithmetic, separate from the database so it is easy to check by hand."""
    by_language: dict[str, Counter[str]] = {}
    by_category: dict[str, Counter[str]] = {}
    by_decision: dict[str, Counter[str]] = {}
    decisions: Counter[str] = Counter()
    total = 0
    for record in records:
        week = iso_week(record.asked_at)
        by_language.setdefault(week, Counter())[record.language or UNKNOWN_LANGUAGE] += 1
        by_category.setdefault(week, Counter())[_category(record, knowledge)] += 1
        by_decision.setdefault(week, Counter())[record.decision] += 1
        decisions[record.decision] += 1
        total += 1
    weeks = sorted(set(_weeks_between(since, until)) | set(by_language))
    ticket_list = list(tickets)
    waits = [(t.claimed_at - t.created_at).total_seconds() for t in ticket_list if t.claimed_at is not None]
    handling = [
        (t.closed_at - t.claimed_at).total_seconds()
        for t in ticket_list
        if t.status == "closed" and t.claimed_at is not None and t.closed_at is not None
    ]
    return Stats(
        since=since,
        until=until,
        weeks=tuple(weeks),
        by_language={w: dict(by_language.get(w, {})) for w in weeks},
        by_category={w: dict(by_category.get(w, {})) for w in weeks},
        by_decision={w: dict(by_decision.get(w, {})) for w in weeks},
        decisions=dict(decisions),
        questions=total,
        handoffs=len(ticket_list),
        claimed=len(waits),
        closed=len(handling),
        median_wait=_median(waits),
        median_handling=_median(handling),
        feedback_up=sum(up for up, _ in votes.values()),
        feedback_down=sum(down for _, down in votes.values()),
    )


async def collect_stats(
    questions: QuestionStore,
    tickets: TicketStore,
    since: dt.datetime,
    *,
    knowledge: KnowledgeBase | None = None,
    now: dt.datetime | None = None,
) -> Stats:
    """Read the period from the stores (the service's or the CLI's own) and compute the figures."""
    until = now or dt.datetime.now(dt.UTC)
    return compute_stats(
        await questions.since(since),
        await tickets.all_since(since),
        await questions.feedback_by_entry(since),
        since,
        until,
        knowledge,
    )


async def collect_service_stats(service: CoreService, since: dt.datetime) -> Stats:
    """For the `/stats` admin command: the running service's stores, knowledge and clock."""
    return await collect_stats(
        service.questions, service.tickets, since, knowledge=service.knowledge, now=service.clock.now()
    )


# -- text ---------------------------------------------------------------------------------------------


def format_duration(value: dt.timedelta | None) -> str:
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    hours = round(seconds / 3600)
    return f"{hours // 24} d {hours % 24} h"


def _table(corner: str, columns: Sequence[str], rows: Mapping[str, Mapping[str, int]], order: Sequence[str]) -> str:
    """Weeks down, columns across, with a total column: fits a terminal and a Telegram <pre> block."""
    header = [corner, "gesamt", *columns]
    body = [[week, str(sum(rows[week].values())), *(str(rows[week].get(c, 0)) for c in columns)] for week in order]
    totals: Counter[str] = Counter()
    for week in order:
        totals.update(rows[week])
    body.append(["Summe", str(sum(totals.values())), *(str(totals.get(c, 0)) for c in columns)])
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = []
    for line in [header, *body]:
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _columns(rows: Mapping[str, Mapping[str, int]], preferred: Sequence[str]) -> list[str]:
    present = {key for counts in rows.values() for key, n in counts.items() if n}
    return [k for k in preferred if k in present] + sorted(present - set(preferred))


def format_stats(stats: Stats, knowledge: KnowledgeBase | None = None) -> str:
    """Plain text (German, English in brackets) for the terminal and the admins' `/stats` message."""
    since = stats.since.astimezone(LOCAL_TZ)
    until = stats.until.astimezone(LOCAL_TZ)
    lines = [f"Wegweiser – Zahlen (figures) {since:%d.%m.%Y} – {until:%d.%m.%Y}", ""]
    lines.append(f"Fragen gesamt (questions): {stats.questions}")
    for decision in (*DECISIONS, *sorted(set(stats.decisions) - set(DECISIONS))):
        count = stats.decisions.get(decision, 0)
        label = DECISION_LABELS.get(decision, decision)
        lines.append(f"  {label}: {count} ({stats.share(decision):.0%})")
    lines += ["", "Fragen je Woche und Sprache (questions per week by language)"]
    lines.append(_table("Woche", _columns(stats.by_language, LANGUAGES), stats.by_language, stats.weeks))
    categories = list(knowledge.categories) if knowledge is not None else []
    lines += ["", "Fragen je Woche und Kategorie (questions per week by category)"]
    lines.append(
        _table("Woche", _columns(stats.by_category, [*categories, NO_CATEGORY]), stats.by_category, stats.weeks)
    )
    lines += [
        "",
        f"Übergaben an Berater*innen (handoffs): {stats.handoffs}",
        f"  Wartezeit, Median (median waiting time): {format_duration(stats.median_wait)}"
        f" ({stats.claimed} angenommen / claimed)",
        f"  Bearbeitungszeit, Median (median handling time): {format_duration(stats.median_handling)}"
        f" ({stats.closed} abgeschlossen / closed)",
        "",
        f"Bewertungen (feedback): 👍 {stats.feedback_up}  👎 {stats.feedback_down}",
    ]
    return "\n".join(lines) + "\n"


# -- chart ----------------------------------------------------------------------------------------------

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
INK: Color = (40, 40, 40)
GRID: Color = (222, 222, 222)
DECISION_COLORS: Mapping[str, Color] = {
    "answer": (46, 139, 87),
    "menu": (70, 130, 180),
    "suggest": (230, 159, 0),
    "fallback": (204, 68, 68),
}
STACK_ORDER = ("answer", "menu", "suggest", "fallback")  # confident at the bottom, the gaps on top

# 3×5 bitmap font: each glyph is five rows of three pixels ("1" = ink). Upper case only.
_FONT_ROWS: Mapping[str, str] = {
    "0": "111 101 101 101 111",
    "1": "010 110 010 010 111",
    "2": "111 001 111 100 111",
    "3": "111 001 111 001 111",
    "4": "101 101 111 001 001",
    "5": "111 100 111 001 111",
    "6": "111 100 111 101 111",
    "7": "111 001 001 010 010",
    "8": "111 101 111 101 111",
    "9": "111 101 111 001 111",
    "A": "010 101 111 101 101",
    "B": "110 101 110 101 110",
    "C": "011 100 100 100 011",
    "D": "110 101 101 101 110",
    "E": "111 100 110 100 111",
    "F": "111 100 110 100 100",
    "G": "011 100 101 101 011",
    "H": "101 101 111 101 101",
    "I": "111 010 010 010 111",
    "J": "001 001 001 101 010",
    "K": "101 101 110 101 101",
    "L": "100 100 100 100 111",
    "M": "101 111 111 101 101",
    "N": "110 101 101 101 101",
    "O": "010 101 101 101 010",
    "P": "110 101 110 100 100",
    "Q": "010 101 101 110 011",
    "R": "110 101 110 101 101",
    "S": "011 100 010 001 110",
    "T": "111 010 010 010 010",
    "U": "101 101 101 101 111",
    "V": "101 101 101 101 010",
    "W": "101 101 111 111 101",
    "X": "101 101 010 101 101",
    "Y": "101 101 010 010 010",
    "Z": "111 001 010 100 111",
    "-": "000 000 111 000 000",
    ":": "000 010 000 010 000",
    ".": "000 000 000 000 010",
    "/": "001 001 010 100 100",
    "(": "010 100 100 100 010",
    ")": "010 001 001 001 010",
    "%": "101 001 010 100 101",
    "?": "111 001 010 000 010",
    " ": "000 000 000 000 000",
}
FONT: Mapping[str, tuple[str, ...]] = {char: tuple(rows.split()) for char, rows in _FONT_ROWS.items()}
FONT_SCALE = 2
GLYPH_ADVANCE = 4 * FONT_SCALE  # 3 pixels and one pixel of space
GLYPH_HEIGHT = 5 * FONT_SCALE


class Canvas:
    """An RGB pixel buffer with just rectangles and text: all a bar chart needs."""

    def __init__(self, width: int, height: int, background: Color = WHITE) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill [x0, x1) × [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        if x0 >= x1:
            return
        row = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            start = (y * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def text(self, x: int, y: int, text: str, color: Color = INK) -> None:
        for char in text.upper():
            glyph = FONT.get(char, FONT["?"])
            for gy, row in enumerate(glyph):
                for gx, bit in enumerate(row):
                    if bit == "1":
                        px, py = x + gx * FONT_SCALE, y + gy * FONT_SCALE
                        self.rect(px, py, px + FONT_SCALE, py + FONT_SCALE, color)
            x += GLYPH_ADVANCE

    def png(self) -> bytes:
        return encode_png(self.width, self.height, bytes(self.pixels))


def text_width(text: str) -> int:
    return len(text) * GLYPH_ADVANCE - FONT_SCALE if text else 0


def encode_png(width: int, height: int, rgb: bytes) -> bytes:
    """A minimal, valid PNG: 8-bit RGB, no interlace, filter 0 on every row."""
    if len(rgb) != width * height * 3:
        raise ValueError("pixel data does not match the image size")
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _nice_step(maximum: int, lines: int = 5) -> int:
    """1, 2, 5, 10, 20, 50, ...: the smallest step that needs at most `lines` grid lines."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * lines:
                return step * factor
        step *= 10


CHART_TITLE = "FRAGEN JE WOCHE (QUESTIONS PER WEEK)"
PLOT_HEIGHT = 200
BAR_WIDTH = 18
BAR_GAP = 10
LEGEND_BOX = 10


def chart_canvas(stats: Stats) -> Canvas:
    """Questions per ISO week as stacked bars by decision, with y-axis grid, week labels and a legend."""
    weeks = stats.weeks or (iso_week(stats.until),)
    totals = [sum(stats.by_decision.get(w, {}).values()) for w in weeks]
    step = _nice_step(max(totals, default=0) or 1)
    top = step * -(-max(max(totals, default=0), 1) // step)
    left = 12 + text_width(str(top)) + 8
    pitch = BAR_WIDTH + BAR_GAP
    plot_top, title_y, legend_y = 64, 10, 34
    legend = [(d, d.upper()) for d in STACK_ORDER]
    legend_width = sum(LEGEND_BOX + 6 + text_width(label) + 16 for _, label in legend)
    width = max(left + len(weeks) * pitch + 20, text_width(CHART_TITLE) + 24, legend_width + 24)
    height = plot_top + PLOT_HEIGHT + 36
    canvas = Canvas(width, height)
    canvas.text(12, title_y, CHART_TITLE)
    x = 12
    for decision, label in legend:
        canvas.rect(x, legend_y, x + LEGEND_BOX, legend_y + LEGEND_BOX, DECISION_COLORS[decision])
        canvas.text(x + LEGEND_BOX + 6, legend_y, label)
        x += LEGEND_BOX + 6 + text_width(label) + 16
    base = plot_top + PLOT_HEIGHT

    def y_of(value: int) -> int:
        return base - round(value * PLOT_HEIGHT / top)

    for value in range(0, top + 1, step):
        y = y_of(value)
        canvas.rect(left - 4, y, width - 10, y + 1, GRID if value else INK)
        label = str(value)
        canvas.text(left - 8 - text_width(label), y - GLYPH_HEIGHT // 2, label)
    canvas.rect(left - 1, plot_top - 4, left, base + 1, INK)
    for index, week in enumerate(weeks):
        x0 = left + BAR_GAP // 2 + index * pitch
        counts = stats.by_decision.get(week, {})
        stacked = 0
        for decision in (*STACK_ORDER, *sorted(set(counts) - set(STACK_ORDER))):
            count = counts.get(decision, 0)
            if not count:
                continue
            color = DECISION_COLORS.get(decision, INK)
            canvas.rect(x0, y_of(stacked + count), x0 + BAR_WIDTH, y_of(stacked), color)
            stacked += count
        label = "W" + week.rsplit("W", 1)[-1]
        canvas.text(x0 + (BAR_WIDTH - text_width(label)) // 2, base + 8, label)
        total = str(stacked)
        if stacked and text_width(total) <= pitch:
            canvas.text(x0 + (BAR_WIDTH - text_width(total)) // 2, y_of(stacked) - GLYPH_HEIGHT - 3, total)
    return canvas


def render_chart(stats: Stats) -> bytes:
    return chart_canvas(stats).png()
