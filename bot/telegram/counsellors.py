"""The counsellors' side: one forum topic per ticket in the KI's supergroup, a ticket card with
Claim / Release / Close, and relaying messages both ways. Staff-facing texts are German on purpose."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging
import time

from telegram import Bot, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.clock import LOCAL_TZ
from bot.config import Settings
from bot.dialogue.replies import (
    Button,
    Effect,
    RelayToTicket,
    TicketCancelled,
    TicketDetailsChanged,
    TicketOpened,
    TicketReopened,
)
from bot.languages import REFERENCE_LANGUAGE
from bot.service import CoreService
from bot.storage.tickets import Ticket
from bot.telegram.sender import Blocked, Sender, SendKeys, pseudonym
from bot.telegram.topic_cleanup import delete_queued_topics

log = logging.getLogger(__name__)

URGENT_MARK = "🚨 "  # tickets opened right after a crisis reply
STATUS_ICON = {"waiting": "⏳", "claimed": "🙋", "closed": "✅", "cancelled": "✖️"}
STATUS_TEXT = {
    "waiting": "wartet",
    "claimed": "in Bearbeitung",
    "closed": "abgeschlossen",
    "cancelled": "vom Nutzer beendet",
}
MEMBER_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)
MEMBERSHIP_CACHE_SECONDS = 300
NOTE_PREFIXES = ("/note", "#note", "#intern")


def media_kind(message: Message) -> str:
    for kind in (
        "photo",
        "document",
        "voice",
        "audio",
        "video",
        "video_note",
        "sticker",
        "animation",
        "location",
        "contact",
        "venue",
        "poll",
    ):
        if getattr(message, kind, None):
            return kind
    return "text" if message.text else "other"


class CounsellorDesk:
    """Turns the core's ticket effects into forum topics and relays; checks who may act on tickets."""

    def __init__(self, service: CoreService, settings: Settings, sender: Sender) -> None:
        assert settings.counsellor_chat_id is not None
        self.service = service
        self.settings = settings
        self.chat_id = settings.counsellor_chat_id
        self.sender = sender
        self._members: dict[int, tuple[bool, float]] = {}

    @property
    def bot(self) -> Bot:
        return self.sender.bot

    # -- who may act ------------------------------------------------------------------------------------

    async def is_counsellor(self, user_id: int) -> bool:
        """Members of the counsellor group (or the configured allowlist); cached for a few minutes."""
        if user_id in {c.user_id for c in self.settings.counsellors}:
            return True
        cached = self._members.get(user_id)
        if cached and time.monotonic() - cached[1] < MEMBERSHIP_CACHE_SECONDS:
            return cached[0]
        try:
            member = await self.sender.retrying(lambda: self.bot.get_chat_member(self.chat_id, user_id))
            allowed = member.status in MEMBER_STATUSES
        except TelegramError:
            allowed = False
        self._members[user_id] = (allowed, time.monotonic())
        return allowed

    # -- the ticket card ---------------------------------------------------------------------------------

    def topic_name(self, ticket: Ticket) -> str:
        town = self.service.knowledge.towns.get(ticket.town or "")
        parts = [f"#{ticket.id} {STATUS_ICON.get(ticket.status, '')}", (ticket.language or "?").upper()]
        parts.append(town.name if town else "Ort ?")
        parts.append(ticket.topic or "allgemein")
        return (URGENT_MARK if ticket.urgent else "") + " · ".join(parts)[:126]

    async def card_text(self, ticket: Ticket) -> str:
        now = self.service.clock.now()
        waited = int((now - ticket.created_at).total_seconds() // 60)
        town = self.service.knowledge.towns.get(ticket.town or "")
        user = await self.service.users.get(ticket.user_id)
        name = "verborgen (keine Zustimmung)"
        if user is not None and user.share_name:
            name = await self._display_name(ticket.user_id)
        language = self.service.knowledge.texts.get(ticket.language or REFERENCE_LANGUAGE, "language_name")
        lines = [
            f"{URGENT_MARK if ticket.urgent else ''}<b>Ticket #{ticket.id}</b> – {STATUS_ICON.get(ticket.status, '')} "
            f"{STATUS_TEXT.get(ticket.status, ticket.status)}",
            f"Sprache: {html.escape(language)} ({html.escape(ticket.language or '?')})",
            f"Ort: {html.escape(town.name if town else 'unbekannt')}",
            f"Thema: {html.escape(ticket.topic or 'unbekannt')}",
            f"Frage: {html.escape((ticket.question or '–')[:500])}",
            f"Bot-Antwort: {html.escape((ticket.bot_answer or '–')[:300])}",
            f"Eröffnet: {ticket.created_at.astimezone(LOCAL_TZ):%d.%m. %H:%M} (wartet {waited} min)",
            f"Name: {html.escape(name)}",
        ]
        if ticket.claimed_by_name:
            lines.append(f"Bearbeitet von: {html.escape(ticket.claimed_by_name)}")
        if user is not None and not user.active:
            lines.append("⚠️ Die Person hat den Bot blockiert: Antworten kommen nicht an.")
        lines.append("Alles, was Sie hier schreiben, geht an die Person. Interne Notiz: /note Text")
        return "\n".join(lines)

    def card_buttons(self, ticket: Ticket) -> InlineKeyboardMarkup:
        if ticket.status == "waiting":
            row = [("🙋 Übernehmen", "claim"), ("✅ Schließen", "close")]
        elif ticket.status == "claimed":
            row = [("↩️ Freigeben", "release"), ("✅ Schließen", "close")]
        else:
            row = []
        return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=f"t:{a}:{ticket.id}") for t, a in row]])

    async def _display_name(self, user_id: int) -> str:
        try:
            chat = await self.sender.retrying(lambda: self.bot.get_chat(user_id))
        except TelegramError:
            return "nicht abrufbar"
        name = " ".join(p for p in (chat.first_name, chat.last_name) if p) or "?"
        return f"{name} (@{chat.username})" if chat.username else name

    async def refresh_card(self, ticket: Ticket) -> None:
        thread_id = ticket.thread_id
        if thread_id is None or ticket.card_message_id is None:
            return
        text = await self.card_text(ticket)
        try:
            await self.sender.retrying(
                lambda: self.bot.edit_message_text(
                    text,
                    chat_id=self.chat_id,
                    message_id=ticket.card_message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=self.card_buttons(ticket),
                )
            )
            await self.sender.retrying(
                lambda: self.bot.edit_forum_topic(self.chat_id, thread_id, name=self.topic_name(ticket))
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                log.warning("cannot update the card of ticket %d: %s", ticket.id, exc)

    # -- topics --------------------------------------------------------------------------------------------

    async def open_topic(self, ticket: Ticket, new_topic: bool = False) -> Ticket:
        """Create the forum topic with the card; mention counsellors who speak the language.

        Each step is recorded as soon as Telegram confirms it, so a replay after a crash continues where
        it stopped instead of opening a second topic or posting a second card."""
        thread_id = ticket.thread_id
        if thread_id is None or new_topic:
            name = self.topic_name(ticket)
            async with self.sender.gate.recording():  # a crash must not leave a second topic
                topic = await self.sender.retrying(lambda: self.bot.create_forum_topic(self.chat_id, name))
                thread_id = topic.message_thread_id
                await self.service.tickets.set_thread(ticket.id, thread_id, None)
        fresh = await self.service.tickets.get(ticket.id)
        assert fresh is not None
        card_text, buttons = await self.card_text(fresh), self.card_buttons(fresh)
        card_id = await self.sender.once(
            f"t{ticket.id}:{thread_id}:card",
            self.chat_id,
            lambda: self.bot.send_message(
                self.chat_id, card_text, message_thread_id=thread_id, parse_mode=ParseMode.HTML, reply_markup=buttons
            ),
        )
        await self.service.tickets.set_thread(ticket.id, thread_id, card_id)
        # urgent (after a crisis reply): every counsellor is called, whatever the language
        speakers = [c for c in self.settings.counsellors if ticket.urgent or ticket.language in c.languages]
        if speakers:
            mentions = ", ".join(f'<a href="tg://user?id={c.user_id}">Beratung</a>' for c in speakers)
            text = f"Neue Anfrage auf {html.escape((ticket.language or '?').upper())}: {mentions}"
            await self.sender.once(
                f"t{ticket.id}:{thread_id}:mention",
                self.chat_id,
                lambda: self.bot.send_message(
                    self.chat_id, text, message_thread_id=thread_id, parse_mode=ParseMode.HTML
                ),
            )
        fresh = await self.service.tickets.get(ticket.id)
        assert fresh is not None
        return fresh

    async def post(self, ticket: Ticket, text_html: str, keys: SendKeys | None = None) -> None:
        """Post into the ticket's topic; if the topic was deleted by hand, open a new one first."""
        if ticket.thread_id is None:
            ticket = await self.open_topic(ticket)
        key = keys.next("t") if keys else None
        try:
            await self.sender.once(
                key,
                self.chat_id,
                lambda: self.bot.send_message(
                    self.chat_id, text_html, message_thread_id=ticket.thread_id, parse_mode=ParseMode.HTML
                ),
            )
        except BadRequest as exc:
            if "thread not found" not in str(exc).lower():
                raise
            log.warning("topic of ticket %d is gone: opening a new one", ticket.id)
            ticket = await self.open_topic(ticket, new_topic=True)
            await self.sender.once(
                key,
                self.chat_id,
                lambda: self.bot.send_message(
                    self.chat_id, text_html, message_thread_id=ticket.thread_id, parse_mode=ParseMode.HTML
                ),
            )

    async def relay_to_topic(self, ticket: Ticket, message: Message, keys: SendKeys) -> None:
        """Copy the newcomer's message (text or media) into the topic, keeping nothing but its kind."""
        if ticket.thread_id is None:
            ticket = await self.open_topic(ticket)
        key = keys.next("r")

        async def copy() -> int | None:
            return await self.sender.once(
                key,
                self.chat_id,
                lambda: self.bot.copy_message(
                    self.chat_id, message.chat_id, message.message_id, message_thread_id=ticket.thread_id
                ),
            )

        try:
            await copy()
        except BadRequest as exc:
            if "thread not found" not in str(exc).lower():
                raise
            ticket = await self.open_topic(ticket, new_topic=True)
            await copy()
        await self.service.tickets.add_message(ticket.id, "in", media_kind(message), None, self.service.clock.now())

    async def close_topic(self, ticket: Ticket) -> None:
        thread_id = ticket.thread_id
        if thread_id is None:
            return
        try:
            await self.sender.retrying(lambda: self.bot.close_forum_topic(self.chat_id, thread_id))
        except BadRequest as exc:
            log.info("cannot close topic of ticket %d: %s", ticket.id, exc)

    # -- effects from the newcomer's side -----------------------------------------------------------------

    async def apply(self, effects: list[Effect], message: Message | None, keys: SendKeys) -> None:
        for effect in effects:
            if isinstance(effect, TicketOpened):
                ticket = await self.service.tickets.get(effect.ticket_id)
                if ticket is not None and (ticket.thread_id is None or ticket.card_message_id is None):
                    await self.open_topic(ticket)
            elif isinstance(effect, RelayToTicket) and message is not None:
                ticket = await self.service.tickets.get(effect.ticket_id)
                if ticket is not None:
                    await self.relay_to_topic(ticket, message, keys)
            elif isinstance(effect, TicketCancelled):
                await self._cancelled(effect, keys)
            elif isinstance(effect, TicketReopened):
                ticket = await self.service.tickets.get(effect.ticket_id)
                if ticket is not None:
                    await self._reopen_topic(ticket)
                    await self.post(ticket, "🔁 Die Person sagt: Frage nicht gelöst. Ticket wieder offen.", keys)
                    await self.refresh_card(ticket)
            elif isinstance(effect, TicketDetailsChanged):
                ticket = await self.service.tickets.get(effect.ticket_id)
                if ticket is not None:
                    await self.refresh_card(ticket)

    async def _reopen_topic(self, ticket: Ticket) -> None:
        thread_id = ticket.thread_id
        if thread_id is not None:
            with contextlib.suppress(BadRequest):
                await self.sender.retrying(lambda: self.bot.reopen_forum_topic(self.chat_id, thread_id))

    async def _cancelled(self, effect: TicketCancelled, keys: SendKeys) -> None:
        ticket = await self.service.tickets.get(effect.ticket_id)
        if ticket is not None:
            await self.post(ticket, "✖️ Die Person hat das Gespräch beendet.", keys)
            await self.refresh_card(ticket)
            await self.close_topic(ticket)
        elif effect.thread_id is not None:  # the newcomer deleted all data: the topic goes too
            await delete_queued_topics(self.service.tickets, self.sender, self.chat_id)

    # -- the counsellors' actions -------------------------------------------------------------------------

    async def on_button(self, update: Update, context: object = None) -> None:
        query = update.callback_query
        assert query is not None
        assert query.data is not None
        actor = query.from_user
        _, action, ticket_text = ([*query.data.split(":"), "", ""])[:3]
        if not await self.is_counsellor(actor.id) or query.message is None or query.message.chat.id != self.chat_id:
            log.warning("refused ticket action from non-counsellor %s", pseudonym(actor.id))
            await query.answer("Nicht erlaubt.", show_alert=True)
            return
        ticket = await self.service.tickets.get(int(ticket_text)) if ticket_text.isdigit() else None
        if ticket is None:
            await query.answer("Ticket nicht gefunden.", show_alert=True)
            return
        queue = self.service.queue
        assert queue is not None
        keys = SendKeys(update.update_id)
        if action == "claim":
            ok = await queue.claim(ticket.id, actor.id, actor.first_name)
            await query.answer("Übernommen." if ok else "Schon übernommen oder geschlossen.", show_alert=not ok)
            if ok:
                await self._tell_newcomer(ticket, "handoff_claimed", keys)
        elif action == "release":
            ok = await queue.release(ticket.id)
            await query.answer("Freigegeben." if ok else "Nicht möglich.")
        elif action == "close":
            ok = await queue.close(ticket.id)
            await query.answer("Geschlossen." if ok else "Schon geschlossen.")
            if ok:
                await self._ask_solved(ticket, keys)
                await self.close_topic(ticket)
        else:
            await query.answer()
            return
        fresh = await self.service.tickets.get(ticket.id)
        if fresh is not None:
            await self.refresh_card(fresh)

    async def _tell_newcomer(self, ticket: Ticket, text_key: str, keys: SendKeys) -> None:
        text = self.service.knowledge.texts.get(ticket.language or REFERENCE_LANGUAGE, text_key)
        try:
            await self.sender.send_text(ticket.user_id, text, keys=keys)
        except Blocked:
            await self.post(ticket, "⚠️ Die Person hat den Bot blockiert: Nachricht nicht zugestellt.", keys)

    async def _ask_solved(self, ticket: Ticket, keys: SendKeys) -> None:
        lang = ticket.language or REFERENCE_LANGUAGE
        texts = self.service.knowledge.texts
        buttons = (
            (
                Button(texts.get(lang, "button_yes"), f"solved:y:{ticket.id}"),
                Button(texts.get(lang, "button_no"), f"solved:n:{ticket.id}"),
            ),
        )
        with contextlib.suppress(Blocked):
            await self.sender.send_text(ticket.user_id, texts.get(lang, "handoff_closed"), keys=keys, buttons=buttons)

    async def on_topic_message(self, update: Update, context: object = None) -> None:
        """A counsellor wrote in a ticket topic: relay to the newcomer unless it is an internal note."""
        message = update.effective_message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        if message.message_thread_id is None or not message.is_topic_message:
            return
        text = message.text or message.caption or ""
        if text.lower().startswith(NOTE_PREFIXES):
            return  # stays in the group
        ticket = await self.service.tickets.by_thread(message.message_thread_id)
        if ticket is None:
            return
        keys = SendKeys(update.update_id)
        if not await self.is_counsellor(message.from_user.id):
            return
        if not ticket.is_open:
            await self.post(ticket, "ℹ️ Das Ticket ist geschlossen: Die Nachricht wurde nicht weitergeleitet.", keys)
            return
        queue = self.service.queue
        assert queue is not None
        if ticket.status == "waiting" and await queue.claim(
            ticket.id, message.from_user.id, message.from_user.first_name
        ):
            fresh = await self.service.tickets.get(ticket.id)
            if fresh is not None:
                await self.refresh_card(fresh)
        lang = ticket.language or REFERENCE_LANGUAGE
        prefix = self.service.knowledge.texts.get(lang, "counsellor_prefix")
        try:
            if message.text:
                await self.sender.send_text(ticket.user_id, f"{prefix}\n{message.text}", keys=keys, markup=False)
            else:
                caption = f"{prefix}\n{message.caption}" if message.caption else prefix
                await self.sender.once(
                    keys.next("c"),
                    ticket.user_id,
                    lambda: self.bot.copy_message(
                        ticket.user_id,
                        self.chat_id,
                        message.message_id,
                        caption=html.escape(caption)[:1024],
                        parse_mode=ParseMode.HTML,
                    ),
                )
        except Blocked:
            await self.post(ticket, "⚠️ Die Person hat den Bot blockiert: Nachricht nicht zugestellt.", keys)
            await self.refresh_card(ticket)
            return
        await self.service.tickets.add_message(ticket.id, "out", media_kind(message), None, self.service.clock.now())

    async def queue_overview(self) -> str:
        tickets = await self.service.tickets.open_tickets()
        if not tickets:
            return "Keine offenen Tickets. 🎉"
        now = self.service.clock.now()
        lines = ["<b>Offene Tickets</b> (längste Wartezeit zuerst):"]
        for t in tickets:
            waited = int((now - t.created_at).total_seconds() // 60)
            who = f" – {html.escape(t.claimed_by_name)}" if t.claimed_by_name else ""
            lines.append(f"{html.escape(self.topic_name(t))}: {waited} min{who}")
        return "\n".join(lines)

    async def remind(self) -> int:
        """Post a reminder in topics whose ticket waits too long during office hours."""
        queue = self.service.queue
        assert queue is not None
        late = await queue.waiting_too_long(dt.timedelta(minutes=self.settings.reminder_minutes))
        for ticket in late:
            await self.post(ticket, f"⏰ Dieses Ticket wartet seit über {self.settings.reminder_minutes} Minuten.")
            await self.service.tickets.mark_reminded(ticket.id, self.service.clock.now())
        return len(late)
