"""The queue's rules, office hours, retention and the renderer, without Telegram."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import holidays
import pytest

from bot.clock import LOCAL_TZ
from bot.handoff.hours import OfficeHours, nrw_holidays, parse_closing_days, parse_ranges
from bot.service import CoreService
from bot.storage import TicketStatus
from bot.telegram.render import plain, render_parts, split_text, to_html, visible_length


async def test_only_one_of_two_simultaneous_claims_wins(service: CoreService) -> None:
    queue = service.queue
    assert queue is not None
    status = await queue.open(1, "de", None, None, "frage", None)
    results = await asyncio.gather(queue.claim(status.ticket.id, 10, "A"), queue.claim(status.ticket.id, 11, "B"))
    assert sorted(results) == [False, True]


async def test_queue_positions_and_one_open_ticket_per_user(service: CoreService) -> None:
    queue = service.queue
    assert queue is not None
    first = await queue.open(1, "de", None, None, None, None)
    second = await queue.open(2, "ar", None, None, None, None)
    again = await queue.open(1, "de", None, None, None, None)
    assert (first.position, second.position) == (1, 2)
    assert not again.created
    assert again.ticket.id == first.ticket.id
    assert await queue.claim(first.ticket.id, 10, "A")
    assert (await queue.status(second.ticket)).position == 1  # claimed tickets leave the line
    assert await queue.close(first.ticket.id)
    assert await queue.reopen(first.ticket.id, 2) is None  # only its owner reopens a ticket
    reopened = await queue.reopen(first.ticket.id, 1)
    assert reopened is not None
    assert reopened.status == "waiting"
    assert reopened.claimed_by is None


async def test_a_ticket_reads_back_with_its_typed_status_through_its_life(service: CoreService) -> None:
    queue = service.queue
    assert queue is not None
    opened = await queue.open(1, "de", None, None, "frage", None)
    seen = [await service.tickets.get(opened.ticket.id)]
    assert await queue.claim(opened.ticket.id, 10, "A")
    seen.append(await service.tickets.get(opened.ticket.id))
    assert await queue.close(opened.ticket.id)
    seen.append(await service.tickets.get(opened.ticket.id))
    assert await queue.reopen(opened.ticket.id, 1) is not None
    assert await queue.cancel(1) is not None
    seen.append(await service.tickets.get(opened.ticket.id))
    statuses = [t.status if t else None for t in seen]
    assert statuses == [TicketStatus.WAITING, TicketStatus.CLAIMED, TicketStatus.CLOSED, TicketStatus.CANCELLED]
    assert all(type(s) is TicketStatus for s in statuses)  # the enum, not a bare string from the row
    assert [str(s) for s in statuses] == ["waiting", "claimed", "closed", "cancelled"]  # what SQL stores


async def test_reopen_refused_when_user_opened_a_new_ticket(service: CoreService) -> None:
    queue = service.queue
    assert queue is not None
    old = await queue.open(1, "de", None, None, None, None)
    await queue.close(old.ticket.id)
    await queue.open(1, "de", None, None, None, None)
    assert await queue.reopen(old.ticket.id, 1) is None


def test_nrw_holidays_come_from_the_holidays_package() -> None:
    """2026–2028: the office is closed exactly on the library's NRW holidays (and on no other weekday)."""
    hours = OfficeHours(parse_ranges({d: ["09:00-12:00"] for d in ("mon", "tue", "wed", "thu", "fri")}))
    for year in (2026, 2027, 2028):
        expected = set(holidays.country_holidays("DE", subdiv="NW", years=year))
        assert nrw_holidays(year) == expected
        day = dt.date(year, 1, 1)
        while day.year == year:
            ten = dt.datetime.combine(day, dt.time(10), tzinfo=LOCAL_TZ)
            assert hours.is_open(ten) == (day.weekday() < 5 and day not in expected), day
            day += dt.timedelta(days=1)
    # the library is asked for the right state: NRW's own days are in, other states' are not
    days = nrw_holidays(2026)
    assert dt.date(2026, 6, 4) in days  # Fronleichnam (Corpus Christi)
    assert dt.date(2026, 11, 1) in days  # Allerheiligen
    assert dt.date(2026, 4, 3) in days  # Karfreitag: Easter comes from the library too
    assert dt.date(2026, 10, 31) not in days  # Reformationstag is a holiday in the east, not here
    assert dt.date(2027, 3, 26) in nrw_holidays(2027)  # Karfreitag 2027
    assert len(days) == 11


def test_closing_days_with_ranges_close_the_office() -> None:
    closing = parse_closing_days(["2026-05-15", dt.date(2026, 12, 24), "2026-12-28..2026-12-31"])
    assert closing == {
        dt.date(2026, 5, 15),
        dt.date(2026, 12, 24),
        *(dt.date(2026, 12, d) for d in range(28, 32)),
    }
    hours = OfficeHours(parse_ranges({d: ["09:00-12:00"] for d in ("mon", "tue", "wed", "thu", "fri")}), closing)
    bridge_day = dt.datetime(2026, 5, 15, 10, 0, tzinfo=LOCAL_TZ)  # Friday after Ascension
    assert not hours.is_open(bridge_day)
    assert hours.is_open(bridge_day - dt.timedelta(days=2))  # Wednesday before is a normal day
    christmas_eve = dt.datetime(2026, 12, 23, 18, 0, tzinfo=LOCAL_TZ)
    assert hours.next_open(christmas_eve) == dt.datetime(2027, 1, 4, 9, 0, tzinfo=LOCAL_TZ)  # 1 Jan is a holiday
    assert parse_closing_days(None) == frozenset()
    assert parse_closing_days("2026-12-24") == {dt.date(2026, 12, 24)}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (["24.12.2026"], "closing day '24.12.2026' must be a date like 2026-12-24 or a range"),
        (["2026-12-31..2026-12-28"], "ends before it starts"),
        (["2026-12-28..2027-12-31"], "369 days is longer than a year"),
        (["2026-12-28.."], "closing day '2026-12-28..' must be a date"),
        ({"christmas": "2026-12-24"}, "closing_days must be a list"),
    ],
)
def test_closing_days_errors_name_the_entry(spec: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_closing_days(spec)


def test_office_hours_next_open_skips_weekend_and_holidays() -> None:
    hours = OfficeHours(parse_ranges({"mon": ["09:00-12:00"], "fri": ["09:00-12:00"]}))
    friday_evening = dt.datetime(2026, 12, 18, 18, 0, tzinfo=LOCAL_TZ)
    assert hours.next_open(friday_evening) == dt.datetime(2026, 12, 21, 9, 0, tzinfo=LOCAL_TZ)
    christmas = dt.datetime(2026, 12, 24, 18, 0, tzinfo=LOCAL_TZ)  # Fri 25th and Sat 26th are holidays
    assert hours.next_open(christmas) == dt.datetime(2026, 12, 28, 9, 0, tzinfo=LOCAL_TZ)
    assert OfficeHours().next_open(christmas) is None  # not configured: no promises


async def test_retention_removes_texts_but_keeps_counts(service: CoreService) -> None:
    clock = service.clock
    await service.dialogue.on_text(1, "kindergeld beantragen", "de")
    await service.dialogue.on_button(1, "human")
    ticket = await service.tickets.open_for_user(1)
    assert ticket is not None
    assert service.queue is not None
    await service.queue.close(ticket.id)
    clock.advance(days=100)  # type: ignore[attr-defined]
    removed = await service.apply_retention()
    assert removed["question_texts"] == 1
    assert removed["dialogue_states"] == 1  # the last question kept for a handoff goes too
    user = await service.users.get(1)
    assert user is not None
    assert user.pending == {}
    assert removed["ticket_texts"] == 1
    records = await service.questions.since(clock.now() - dt.timedelta(days=365))
    assert [(r.text, r.entry_id) for r in records] == [(None, "child-benefit")]
    closed = await service.tickets.get(ticket.id)
    assert closed is not None
    assert closed.question is None
    clock.advance(days=400)  # type: ignore[attr-defined]
    assert (await service.apply_retention())["inactive_users"] == 1
    assert await service.users.get(1) is None


def test_rendering_escapes_and_marks_up() -> None:
    assert to_html("*Pass* & <Foto>\n- eins") == "<b>Pass</b> &amp; &lt;Foto&gt;\n• eins"
    assert to_html("*nicht fett* <b>", markup=False) == "*nicht fett* &lt;b&gt;"
    assert plain("*fett*\n- a") == "fett\n• a"


def test_splitting_respects_the_limit_in_utf16_and_prefers_paragraphs() -> None:
    text = ("Absatz mit Emoji 😀 und Wörtern. " * 80 + "\n\n") * 3
    parts = split_text(text)
    assert len(parts) >= 2
    assert all(visible_length(plain(p)) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert render_parts("x" * 10000, markup=False)[0] == "x" * 4096
