"""Shared fixtures: a small test knowledge base, a fixed clock and core services (small and real knowledge)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import LOCAL_TZ, FixedClock
from bot.handoff.hours import OfficeHours, parse_ranges
from bot.service import CoreService

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb_min"


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the small test knowledge base, with the real UI texts."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    shutil.copytree(KNOWLEDGE / "texts", target / "texts", dirs_exist_ok=True)
    return target


@pytest.fixture
def clock() -> FixedClock:
    # a Monday, 10:00 in Heinsberg: inside the test office hours
    return FixedClock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ))


@pytest.fixture
def office_hours() -> OfficeHours:
    return OfficeHours(parse_ranges({d: ["09:00-12:00"] for d in ("mon", "tue", "wed", "thu", "fri")}))


@pytest.fixture
async def service(
    kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours
) -> AsyncIterator[CoreService]:
    core = CoreService(kb_dir, tmp_path / "test.sqlite3", clock=clock, office_hours=office_hours)
    await core.start()
    yield core
    await core.stop()


@pytest.fixture
async def real(tmp_path: Path, clock: FixedClock, office_hours: OfficeHours) -> AsyncIterator[CoreService]:
    """A core service on the real knowledge (with the crisis classifier and the semantic layer)."""
    core = CoreService(KNOWLEDGE, tmp_path / "real.sqlite3", clock=clock, office_hours=office_hours)
    await core.start()
    yield core
    await core.stop()
