"""Editors' and operators' tools: the unanswered-questions report, the KI's figures and poster QR codes.

Everything here only reads the database and the knowledge; nothing changes what the bot answers.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.clock import LOCAL_TZ

_PERIOD = re.compile(r"^\s*(\d{1,4})\s*([dw])\s*$", re.IGNORECASE)


def parse_since(text: str, now: dt.datetime) -> dt.datetime:
    """`30d`, `12w` or an ISO date (local midnight in Heinsberg), as an aware datetime.

    One syntax for every report, so an operator can type the same `--since` everywhere.
    Raises ValueError with a message fit for the command line.
    """
    match = _PERIOD.match(text)
    if match:
        amount = int(match.group(1))
        days = amount * (7 if match.group(2).lower() == "w" else 1)
        return now - dt.timedelta(days=days)
    try:
        if "T" in text.strip() or " " in text.strip():
            moment = dt.datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since must look like 30d, 12w or 2026-01-31, not '{text}'") from None
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LOCAL_TZ)


__all__ = ["parse_since"]
