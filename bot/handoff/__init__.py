"""The counsellor handoff: tickets, their queue and office hours (no Telegram here)."""

from bot.handoff.hours import OfficeHours, nrw_holidays
from bot.handoff.queue import HandoffQueue, QueueStatus

__all__ = ["HandoffQueue", "OfficeHours", "QueueStatus", "nrw_holidays"]
