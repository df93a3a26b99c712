"""Contact cards: the confirmed details of an office in the user's language, with "open now"."""

from __future__ import annotations

import datetime as dt

from bot.clock import LOCAL_TZ
from bot.knowledge.model import WEEKDAYS, Contact, Texts

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


def contact_card(contact: Contact, language: str, texts: Texts, now: dt.datetime) -> str:
    """Only confirmed details: a number nobody checked is worse than no number."""
    lines = [f"*{contact.name.get(language)}*"]
    for field_name in ("address", "phone", "email", "web"):
        if contact.shown(field_name):
            lines.append(f"{ICONS[field_name]} {getattr(contact, field_name)}")
    hours = format_hours(contact, language, texts)
    if hours and contact.hours is not None:
        status = "contact_open_now" if contact.hours.is_open(now.astimezone(LOCAL_TZ)) else "contact_closed_now"
        if contact.hours.always_open:
            lines.append(f"{ICONS['hours']} {hours}")
        else:
            lines.append(f"{ICONS['hours']} {hours} ({texts.get(language, status)})")
    if contact.hours_note is not None and contact.hours_note.values:
        lines.append(contact.hours_note.get(language))
    return "\n".join(lines)
