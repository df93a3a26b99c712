"""Time in one place, so tests can move it and office hours use local time (Europe/Berlin)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Berlin")


class Clock:
    """The real clock. Tests use FixedClock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def local(self) -> dt.datetime:
        return self.now().astimezone(LOCAL_TZ)


class FixedClock(Clock):
    """A clock that stands still until a test moves it."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at if at.tzinfo else at.replace(tzinfo=LOCAL_TZ)

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


def to_text(moment: dt.datetime) -> str:
    """UTC ISO text for SQLite: sorts correctly as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def from_text(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
