"""The KI's figures: questions per week, how often the bot could answer, handoffs and their waiting times.

`collect_stats` + `format_stats` are shared by `python -m bot report stats` and the admins' `/stats`
command; `bot.reports.chart` draws the same figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import LOCAL_TZ
from bot.knowledge.model import KnowledgeBase
from bot.languages import LANGUAGES
from bot.storage.questions import QuestionRecord, QuestionStore
from bot.storage.tickets import Ticket, TicketStatus, TicketStore

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
    wait_times: tuple[dt.timedelta, ...]  # each claimed ticket's wait, shortest first (the chart's distribution)
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
        if t.status is TicketStatus.CLOSED and t.claimed_at is not None and t.closed_at is not None
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
        wait_times=tuple(dt.timedelta(seconds=round(w)) for w in sorted(waits)),
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
