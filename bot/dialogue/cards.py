"""Contact cards: the confirmed details of an office in the user's language, with "open now"."""

from __future__ import annotations

import datetime as dt

from bot.clock import LOCAL_TZ
from bot.knowledge.model import CHANNELS, WEEKDAYS, Contact, Entry, Texts

ICONS = {"address": "📍", "phone": "☎️", "email": "✉️", "web": "🌐", "hours": "🕒"}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_hours(contact: Contact, language: str, texts: Texts) -> str | None:
    if contact.hours is None or not contact.shown("hours"):
        return None
    if contact.hours.always_open:
        return "24/7"
    parts = []
    for day, spans in contact.hours.days():
        day_name = texts.get(language, f"day_{WEEKDAYS[day]}")
        parts.append(f"{day_name} " + ", ".join(f"{_clock(s)}–{_clock(e)}" for s, e in spans))
    return "; ".join(parts) or None


def _details(contact: Contact, language: str, texts: Texts, now: dt.datetime) -> list[str]:
    """The confirmed channels and opening hours, one line each."""
    lines = [f"{ICONS[name]} {getattr(contact, name)}" for name in CHANNELS if contact.shown(name)]
    hours = format_hours(contact, language, texts)
    if hours and contact.hours is not None:
        status = "contact_open_now" if contact.hours.is_open(now.astimezone(LOCAL_TZ)) else "contact_closed_now"
        if contact.hours.always_open:
            lines.append(f"{ICONS['hours']} {hours}")
        else:
            lines.append(f"{ICONS['hours']} {hours} ({texts.get(language, status)})")
    return lines


def contact_card(
    contact: Contact, language: str, texts: Texts, now: dt.datetime, fallback: Contact | None = None
) -> str:
    """Only confirmed details: a number nobody checked is worse than no number.

    A contact nobody can reach yet shows its name and "ask here:" with the `fallback` contact's name
    and confirmed channels, so a card never leaves a newcomer without someone to ask.
    """
    lines = [f"*{contact.name.get(language)}*", *_details(contact, language, texts, now)]
    for note in (contact.hours_note, contact.note):
        if note is not None and note.values:
            lines.append(note.get(language))
    if fallback is not None and not contact.reachable:
        lines.append(f"{texts.get(language, 'contact_ask_here')} *{fallback.name.get(language)}*")
        lines.extend(_details(fallback, language, texts, now))
    return "\n".join(lines)


def as_of_line(entry: Entry, language: str, texts: Texts) -> str | None:
    """ "Stand: November 2026" under an answer whose facts change, with the month in the user's language."""
    if entry.as_of is None:
        return None
    month = texts.get(language, f"month_{entry.as_of.month}")
    return texts.get(language, "answer_as_of", month=month, year=entry.as_of.year)
