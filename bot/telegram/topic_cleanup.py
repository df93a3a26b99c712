"""Deleting forum topics in the counsellors' group, so Telegram does not keep what we promise to delete.

A ticket's topic holds its card (the question, the name if the person agreed) and a copy of every message
relayed. When a user deletes their data, or a closed ticket reaches the end of its retention period, the
storage queues the topic (`topic_deletions`, in the same transaction as the deletion); this module deletes
queued topics with deleteForumTopic and forgets them once Telegram confirms or says the topic is gone.
It runs right after a deletion, after the daily retention job, and every few minutes for what failed.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.storage.tickets import TicketStore
from bot.telegram.sender import Sender

log = logging.getLogger(__name__)

GONE = ("topic_id_invalid", "thread not found", "message thread not found", "topic not found")


async def delete_queued_topics(tickets: TicketStore, sender: Sender, chat_id: int, note: bool = True) -> int:
    """Delete every queued topic; returns how many are gone now. What fails stays queued for the next run.

    `note`: leave a line in the group's General topic, so counsellors know why a topic disappeared (ticket
    number only, nothing about the person)."""
    bot: Bot = sender.bot
    deleted = 0
    for thread_id, ticket_id in await tickets.topics_to_delete():
        try:
            await sender.retrying(lambda thread_id=thread_id: bot.delete_forum_topic(chat_id, thread_id))  # type: ignore[misc]
        except BadRequest as exc:
            if not any(text in str(exc).lower() for text in GONE):
                log.warning("cannot delete the topic of ticket %d (is the bot allowed to?): %s", ticket_id, exc)
                continue
        except (Forbidden, TimedOut, NetworkError) as exc:
            log.warning("cannot delete the topic of ticket %d now: %s", ticket_id, type(exc).__name__)
            continue
        await tickets.topic_deleted(thread_id)
        deleted += 1
        if note:
            text = f"🤖 🗑 Ticket #{ticket_id}: Thema gelöscht (Datenlöschung oder Aufbewahrungsfrist abgelaufen)."
            try:
                await sender.retrying(lambda text=text: bot.send_message(chat_id, text, parse_mode=None))  # type: ignore[misc]
            except (BadRequest, Forbidden) as exc:
                log.info("cannot note the deleted topic of ticket %d: %s", ticket_id, exc)
    return deleted
