"""Counsellors' office hours with NRW public holidays, so newcomers know when a reply can come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.clock import LOCAL_TZ
from bot.knowledge.model import WEEKDAYS


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nrw_holidays(year: int) -> set[dt.date]:
    """Statutory public holidays in North Rhine-Westphalia."""
    easter = easter_sunday(year)
    movable = (-2, 1, 39, 50, 60)  # Good Friday, Easter Monday, Ascension, Whit Monday, Corpus Christi
    fixed = ((1, 1), (5, 1), (10, 3), (11, 1), (12, 25), (12, 26))
    return {easter + dt.timedelta(days=d) for d in movable} | {dt.date(year, m, d) for m, d in fixed}


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
    closed_days: frozenset[dt.date] = frozenset()

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
