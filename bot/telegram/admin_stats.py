"""The admins' `/stats`: the chart as a photo with the figures as its caption, or the figures alone.

Telegram allows 1024 characters in a caption; the figures usually need more (the weekly tables), so then the
photo carries the title line and the figures follow as text. Without the reports extra (no matplotlib) or if
drawing fails, the figures still come: they matter more than the picture.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging

from telegram import Bot

from bot.knowledge.model import KnowledgeBase
from bot.reports.chart import ChartUnavailable, render_chart
from bot.reports.stats import Stats, collect_service_stats, format_stats
from bot.service import CoreService
from bot.telegram.render import split_text, visible_length
from bot.telegram.sender import Sender

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
TEXT_PART_LIMIT = 3900  # a little under 4096, for the <pre> block around each part
PERIOD = dt.timedelta(weeks=12)  # the same default as `python -m bot report stats`


def _pre(text: str) -> str:
    return f"<pre>{html.escape(text)}</pre>"


async def _chart(stats: Stats, knowledge: KnowledgeBase) -> bytes | None:
    """The PNG, drawn in a worker thread so newcomers' messages are not held up for a second."""
    try:
        return await asyncio.to_thread(render_chart, stats, knowledge)
    except ChartUnavailable:
        log.info("/stats without a chart: the reports extra (matplotlib) is not installed")
    except Exception as exc:  # a drawing bug must not cost the admin the figures
        log.warning("/stats chart failed (%s); sending the figures alone", type(exc).__name__)
    return None


async def send_stats(
    bot: Bot, sender: Sender, chat_id: int, service: CoreService, period: dt.timedelta = PERIOD
) -> None:
    """Figures of the last 12 weeks, as `python -m bot report stats` prints them, with the chart."""
    stats = await collect_service_stats(service, service.clock.now() - period)
    text = format_stats(stats, service.knowledge)
    chart = await _chart(stats, service.knowledge)
    if chart is not None:
        if visible_length(text) <= CAPTION_LIMIT:
            await sender.retrying(lambda: bot.send_photo(chat_id, chart, caption=_pre(text)))
            return
        title = text.split("\n", 1)[0]
        await sender.retrying(lambda: bot.send_photo(chat_id, chart, caption=title, parse_mode=None))
    for part in split_text(text, limit=TEXT_PART_LIMIT):
        await sender.retrying(
            lambda part=part: bot.send_message(chat_id, _pre(part))  # type: ignore[misc]
        )
