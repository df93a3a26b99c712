"""When a tap tells us what an unanswered question meant: the "learn from use" rule of the dialogue.

A newcomer who taps one of the "did you mean" buttons, or who finds an entry in the menu within a few
minutes after the bot said it did not know, has labelled their own question. The editors get these as
proposed example questions (`python -m bot report learn`); nothing changes the FAQ by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping

from bot.clock import from_text

FALLBACK_WINDOW = dt.timedelta(minutes=10)  # a menu tap later than this may be about something else
SUGGEST_PREFIX = "suggest: "


def learned_from_tap(pending: MutableMapping[str, object], entry_id: str, now: dt.datetime) -> tuple[str, str] | None:
    """(question, source) if tapping `entry_id` now labels the user's last question; each question once."""
    asked_at = pending.pop("asked_at", None)
    question = pending.get("last_question")
    last_answer = pending.get("last_answer")
    if not isinstance(asked_at, str) or not isinstance(question, str) or not isinstance(last_answer, str):
        return None
    if last_answer.startswith(SUGGEST_PREFIX) and entry_id in last_answer[len(SUGGEST_PREFIX) :].split(", "):
        return question, "suggest"
    if last_answer == "fallback" and dt.timedelta(0) <= now - from_text(asked_at) <= FALLBACK_WINDOW:
        return question, "fallback"
    return None
