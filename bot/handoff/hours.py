"""Counsellors' office hours, NRW public holidays and the KI's own closing days: when a reply can come."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import holidays

from bot.clock import LOCAL_TZ
from bot.knowledge.model import WEEKDAYS


@functools.cache
def nrw_holidays(year: int) -> frozenset[dt.date]:
    """Statutory public holidays in North Rhine-Westphalia, from the maintained `holidays` package."""
    return frozenset(holidays.country_holidays("DE", subdiv="NW", years=year))


MAX_CLOSING_SPAN = 366  # a longer range is almost surely a typo in the year


def _closing_date(value: object, entry: object) -> dt.date:
    # YAML reads an unquoted 2026-12-24 as a date already; a datetime (with a time) is not a day
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(
            f"closing day '{entry}' must be a date like 2026-12-24 or a range like 2026-12-28..2026-12-31"
        ) from exc


def parse_closing_days(spec: object) -> frozenset[dt.date]:
    """The KI's own closing days (bridge days, Christmas week): ["2026-12-24", "2026-12-28..2026-12-31"].

    Ranges include both ends. Raises ValueError naming the entry to fix.
    """
    if spec is None:
        return frozenset()
    items = [spec] if isinstance(spec, str | dt.date) else spec
    if not isinstance(items, list | tuple):
        raise ValueError('closing_days must be a list, e.g. ["2026-12-24", "2026-12-28..2026-12-31"]')
    days: set[dt.date] = set()
    for item in items:
        first, separator, last = str(item).partition("..") if isinstance(item, str) else (item, "", None)
        start = _closing_date(first, item)
        end = _closing_date(last, item) if separator else start
        if end < start:
            raise ValueError(f"closing days '{item}': the range ends before it starts")
        span = (end - start).days + 1
        if span > MAX_CLOSING_SPAN:
            raise ValueError(f"closing days '{item}': {span} days is longer than a year; check the years")
        days.update(start + dt.timedelta(days=offset) for offset in range(span))
    return frozenset(days)


def parse_ranges(spec: Mapping[str, Iterable[str]]) -> dict[int, tuple[tuple[dt.time, dt.time], ...]]:
    """{"mon": ["09:00-12:00"]} -> {0: ((09:00, 12:00),)}; raises ValueError with a readable message."""
    result: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for day, spans in spec.items():
        if day not in WEEKDAYS:
            raise ValueError(f"unknown day '{day}' in office hours (use {' '.join(WEEKDAYS)})")
        parsed = []
        for span in [spans] if isinstance(spans, str) else spans:
            start, _, end = str(span).partition("-")
            try:
                parsed.append((dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())))
            except ValueError as exc:
                raise ValueError(f"office hours '{span}' must look like 09:00-12:00") from exc
        result[WEEKDAYS.index(day)] = tuple(parsed)
    return result


@dataclass(frozen=True)
class OfficeHours:
    """Empty `ranges` means "not configured": then we promise no times at all."""

    ranges: Mapping[int, tuple[tuple[dt.time, dt.time], ...]] = field(default_factory=dict)
    closed_days: frozenset[dt.date] = frozenset()  # the KI's closing days on top of the public holidays

    @property
    def configured(self) -> bool:
        return any(self.ranges.values())

    def _closed(self, day: dt.date) -> bool:
        return day in self.closed_days or day in nrw_holidays(day.year)

    def is_open(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(LOCAL_TZ)
        if not self.configured or self._closed(local.date()):
            return False
        now = local.time()
        return any(start <= now < end for start, end in self.ranges.get(local.weekday(), ()))

    def next_open(self, moment: dt.datetime) -> dt.datetime | None:
        """The next time the office opens (or `moment` if it is open now); None if never configured."""
        if not self.configured:
            return None
        local = moment.astimezone(LOCAL_TZ)
        if self.is_open(local):
            return local
        for offset in range(0, 60):
            day = local.date() + dt.timedelta(days=offset)
            if self._closed(day):
                continue
            for start, _ in sorted(self.ranges.get(day.weekday(), ())):
                opening = dt.datetime.combine(day, start, tzinfo=LOCAL_TZ)
                if opening > local:
                    return opening
        return None

    def describe(self, day_names: Mapping[int, str]) -> str:
        """ "Mo 09:00–12:00, Di 09:00–12:00" in the user's language; days with equal hours stay separate."""
        parts = []
        for day in range(7):
            spans = self.ranges.get(day)
            if spans:
                times = ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in spans)
                parts.append(f"{day_names[day]} {times}")
        return "; ".join(parts)
