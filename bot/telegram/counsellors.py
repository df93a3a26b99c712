"""The counsellors' side: one forum topic per ticket in the KI's supergroup, a ticket card with
Claim / Release / Close, and relaying messages both ways. Staff-facing texts are German on purpose."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging
import time
from collections import OrderedDict
from typing import Any

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.clock import LOCAL_TZ
from bot.config import Settings
from bot.dialogue import actions
from bot.dialogue.actions import Kind, TicketAction
from bot.dialogue.replies import (
    Button,
    Effect,
    RelayToTicket,
    TicketCancelled,
    TicketDetailsChanged,
    TicketOpened,
    TicketReopened,
)
from bot.handoff.queue import split_questions
from bot.languages import REFERENCE_LANGUAGE
from bot.service import CoreService
from bot.storage.tickets import HeldMessage, Ticket, TicketStatus
from bot.telegram.sender import Blocked, Sender, SendKeys, pseudonym
from bot.telegram.topic_cleanup import delete_queued_topics

log = logging.getLogger(__name__)

URGENT_MARK = "🚨 "  # tickets opened right after a crisis reply
STATUS_ICON = {
    TicketStatus.WAITING: "⏳",
    TicketStatus.CLAIMED: "🙋",
    TicketStatus.CLOSED: "✅",
    TicketStatus.CANCELLED: "✖️",
}
STATUS_TEXT = {
    TicketStatus.WAITING: "wartet",
    TicketStatus.CLAIMED: "in Bearbeitung",
    TicketStatus.CLOSED: "abgeschlossen",
    TicketStatus.CANCELLED: "vom Nutzer beendet",
}
MEMBER_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)
MEMBERSHIP_CACHE_SECONDS = 300
MEMBERSHIP_CACHE_SIZE = 512
NOTE_PREFIXES = ("/note", "#note", "#intern")
BOT_MARK = "🤖"  # the bot's own notices in the group; a newcomer's words are marked 👤
CAPTION_LIMIT = 1024
MEDIA_PER_BATCH = 3
KIND_NAMES = {
    "photo": "Foto",
    "document": "Dokument",
    "voice": "Sprachnachricht",
    "audio": "Audio",
    "video": "Video",
    "video_note": "Videonachricht",
    "sticker": "Sticker",
    "animation": "GIF",
    "location": "Standort",
    "contact": "Kontakt",
    "venue": "Ort",
    "poll": "Umfrage",
    "other": "Nachricht",
}
CAPTION_KINDS = frozenset({"photo", "document", "voice", "audio", "video", "animation"})


def _when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(LOCAL_TZ):%H:%M (%d.%m.)}"


def _first_words(questions: list[str], limit: int = 40) -> str | None:
    """The first question's first words, as a topic name's subject when no FAQ topic is known."""
    if not questions:
        return None
    words = " ".join(questions[0].split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + "…"


def _held_line(held: HeldMessage) -> str:
    if held.kind == "text":
        return held.text or ""
    name = KIND_NAMES.get(held.kind, held.kind)
    return f"[{name}] {held.text}" if held.text else f"[{name}]"


class MembershipCache:
    """Who is in the counsellor group: answers from Telegram and chat_member updates, for a few minutes,
    for a bounded number of people (the oldest answers go first)."""

    def __init__(self, ttl: float = MEMBERSHIP_CACHE_SECONDS, size: int = MEMBERSHIP_CACHE_SIZE) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[int, tuple[bool, float]] = OrderedDict()

    def get(self, user_id: int) -> bool | None:
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        if time.monotonic() - entry[1] >= self.ttl:
            del self._entries[user_id]
            return None
        return entry[0]

    def put(self, user_id: int, member: bool) -> None:
        self._entries.pop(user_id, None)
        self._entries[user_id] = (member, time.monotonic())
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


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
        self.members = MembershipCache()

    @property
    def bot(self) -> ExtBot[Any]:
        return self.sender.bot

    # -- who may act ------------------------------------------------------------------------------------

    async def is_counsellor(self, user_id: int) -> bool:
        """Members of the counsellor group, and only they: the configured list only says who speaks
        which language. Membership changes arrive as chat_member updates and take effect at once."""
        cached = self.members.get(user_id)
        if cached is not None:
            return cached
        try:
            member = await self.sender.retrying(lambda: self.bot.get_chat_member(self.chat_id, user_id))
            allowed = member.status in MEMBER_STATUSES
        except TelegramError:
            allowed = False
        self.members.put(user_id, allowed)
        return allowed

    async def on_member_change(self, update: Update, context: object = None) -> None:
        """Someone joined, left, was removed or promoted in the counsellor group (chat_member update)."""
        change = update.chat_member
        if change is None or change.chat.id != self.chat_id:
            return
        member = change.new_chat_member
        self.members.put(member.user.id, member.status in MEMBER_STATUSES)

    async def on_member_left(self, update: Update, context: object = None) -> None:
        """The service message of someone leaving: also without chat_member updates, they lose access."""
        message = update.effective_message
        if message is not None and message.left_chat_member is not None:
            self.members.put(message.left_chat_member.id, False)

    # -- the ticket card ---------------------------------------------------------------------------------

    def topic_name(self, ticket: Ticket) -> str:
        """What a counsellor needs to pick a ticket from the topic list; unknown parts are left out.

        The name does not carry the status: renaming on every claim would add a service line each time."""
        town = self.service.knowledge.towns.get(ticket.town or "")
        head = f"#{ticket.id}"
        if ticket.language:
            head += f" {ticket.language.upper()}"
        parts = [head]
        if town:
            parts.append(town.name)
        subject = ticket.topic or _first_words(split_questions(ticket.question))
        if subject:
            parts.append(subject)
        return ((URGENT_MARK if ticket.urgent else "") + " · ".join(parts))[:128]

    async def card_text(self, ticket: Ticket) -> str:
        town = self.service.knowledge.towns.get(ticket.town or "")
        user = await self.service.users.get(ticket.user_id)
        name = "verborgen (keine Zustimmung)"
        if user is not None and user.share_name:
            name = await self._display_name(ticket.user_id)
        language = self.service.knowledge.texts.get(ticket.language or REFERENCE_LANGUAGE, "language_name")
        lines = [
            f"{URGENT_MARK if ticket.urgent else ''}<b>Ticket #{ticket.id}</b> – {STATUS_ICON[ticket.status]} "
            f"{STATUS_TEXT[ticket.status]}",
            f"Sprache: {html.escape(language)} ({html.escape(ticket.language or '?')})",
            f"Ort: {html.escape(town.name if town else 'nicht angegeben')}",
        ]
        if ticket.topic:
            lines.append(f"Thema: {html.escape(ticket.topic)}")
        questions = split_questions(ticket.question)
        if len(questions) == 1:
            lines.append(f"Frage: {html.escape(questions[0][:500])}")
        elif questions:
            lines.append("Fragen (die letzte zuletzt):")
            lines += [f"{n}. {html.escape(q[:300])}" for n, q in enumerate(questions, 1)]
        else:
            lines.append("Frage: – (direkt nach einer Person gefragt)")
        lines.append(f"Bot-Antwort: {html.escape((ticket.bot_answer or '–')[:300])}")
        since = "Wartet seit" if ticket.status is TicketStatus.WAITING else "Eröffnet"
        lines.append(f"{since}: {_when(ticket.created_at)}")
        lines.append(f"Name: {html.escape(name)}")
        if ticket.claimed_by_name:
            lines.append(f"Bearbeitet von: {html.escape(ticket.claimed_by_name)}")
        if user is not None and not user.active:
            lines.append("⚠️ Die Person hat den Bot blockiert: Antworten kommen nicht an.")
        lines.append("Alles, was Sie hier schreiben, geht an die Person. Interne Notiz: /note Text")
        return "\n".join(lines)

    def card_buttons(self, ticket: Ticket) -> InlineKeyboardMarkup:
        if ticket.status is TicketStatus.WAITING:
            row = [("🙋 Übernehmen", TicketAction.CLAIM), ("✅ Schließen", TicketAction.CLOSE)]
        elif ticket.status is TicketStatus.CLAIMED:
            row = [("↩️ Freigeben", TicketAction.RELEASE), ("✅ Schließen", TicketAction.CLOSE)]
        else:
            row = []
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(t, callback_data=actions.ticket(a, ticket.id)) for t, a in row]]
        )

    async def _display_name(self, user_id: int) -> str:
        try:
            chat = await self.sender.retrying(lambda: self.bot.get_chat(user_id))
        except TelegramError:
            return "nicht abrufbar"
        name = " ".join(p for p in (chat.first_name, chat.last_name) if p) or "?"
        return f"{name} (@{chat.username})" if chat.username else name

    async def refresh_card(self, ticket: Ticket) -> None:
        """Redraw the card; the topic keeps its name (it names the ticket, not its state)."""
        if ticket.thread_id is None or ticket.card_message_id is None:
            return
        text = await self.card_text(ticket)
        try:
            await self.sender.retrying(
                lambda: self.bot.edit_message_text(
                    text,
                    chat_id=self.chat_id,
                    message_id=ticket.card_message_id,
                    reply_markup=self.card_buttons(ticket),
                )
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
                self.chat_id, card_text, message_thread_id=thread_id, reply_markup=buttons
            ),
        )
        await self.service.tickets.set_thread(ticket.id, thread_id, card_id)
        # urgent (after a crisis reply): every counsellor is called, whatever the language
        speakers = [c for c in self.settings.counsellors if ticket.urgent or ticket.language in c.languages]
        if speakers:
            mentions = ", ".join(f'<a href="tg://user?id={c.user_id}">Beratung</a>' for c in speakers)
            text = f"{BOT_MARK} Neue Anfrage auf {html.escape((ticket.language or '?').upper())}: {mentions}"
            await self.sender.once(
                f"t{ticket.id}:{thread_id}:mention",
                self.chat_id,
                lambda: self.bot.send_message(self.chat_id, text, message_thread_id=thread_id),
            )
        fresh = await self.service.tickets.get(ticket.id)
        assert fresh is not None
        return fresh

    async def post(self, ticket: Ticket, text_html: str, keys: SendKeys | None = None) -> None:
        """A notice of the bot in the ticket's topic, marked 🤖 so nobody takes it for the newcomer's words;
        if the topic was deleted by hand, a new one is opened first."""
        if ticket.thread_id is None:
            ticket = await self.open_topic(ticket)
        key = keys.next("t") if keys else None
        text = f"{BOT_MARK} {text_html}"

        async def send(thread_id: int | None) -> None:
            await self.sender.once(
                key,
                self.chat_id,
                lambda: self.bot.send_message(self.chat_id, text, message_thread_id=thread_id),
            )

        try:
            await send(ticket.thread_id)
        except BadRequest as exc:
            if "thread not found" not in str(exc).lower():
                raise
            log.warning("topic of ticket %d is gone: opening a new one", ticket.id)
            ticket = await self.open_topic(ticket, new_topic=True)
            await send(ticket.thread_id)

    async def relay_to_topic(self, ticket: Ticket, message: Message, keys: SendKeys, edited: bool = False) -> None:
        """Show the newcomer's message in the topic, visibly theirs (👤 and the ticket number).

        Over `relays_per_minute` the message is held, the group told once and the newcomer told kindly;
        held messages follow in one batch (at the next message under the limit or by the minute job)."""
        if ticket.thread_id is None:
            ticket = await self.open_topic(ticket)
        now = self.service.clock.now()
        tickets = self.service.tickets
        kind = media_kind(message)
        recent = await tickets.count_relayed_since(ticket.id, now - dt.timedelta(minutes=1))
        if recent >= self.settings.relays_per_minute:
            key = keys.next("h")
            inbox = self.sender.inbox
            if key is not None and await inbox.was_sent(key):
                return  # a replay after a crash: this message is held already
            waiting = await tickets.hold(ticket.id, kind, message.text or message.caption, message.message_id, now)
            if key is not None:
                await inbox.record_sent(key, None, now)
            if waiting == 1:
                await self.post(
                    ticket,
                    f"Person #{ticket.id} schreibt viele Nachrichten auf einmal: die weiteren kommen gesammelt "
                    f"(höchstens {self.settings.relays_per_minute} einzeln pro Minute).",
                    keys,
                )
                await self._tell_newcomer(ticket, "handoff_batched", keys)
            return
        if await tickets.held(ticket.id):
            ticket = await self.flush(ticket)  # the older ones first
        try:
            await self._relay(ticket, message, kind, keys, edited)
        except BadRequest as exc:
            if "thread not found" not in str(exc).lower():
                raise
            ticket = await self.open_topic(ticket, new_topic=True)
            await self._relay(ticket, message, kind, keys, edited)
        await tickets.add_message(ticket.id, "in", kind, None, now)

    async def _relay(self, ticket: Ticket, message: Message, kind: str, keys: SendKeys, edited: bool) -> None:
        label = f"👤 Person #{ticket.id}" + (" (bearbeitet)" if edited else "")
        thread_id = ticket.thread_id
        if message.text is not None:
            await self.sender.send_text(
                self.chat_id, f"{label}:\n{message.text}", keys=keys, markup=False, thread_id=thread_id
            )
            return
        caption = message.caption or ""
        label_html: str | None
        if kind in CAPTION_KINDS and len(label) + 2 + len(caption) <= CAPTION_LIMIT:
            label_html = html.escape(f"{label}:\n{caption}" if caption else label)
        else:  # no caption possible, or too long for one: the label (and the caption) as a message first
            note = f"{label} schickt: {KIND_NAMES.get(kind, kind)}" + (f"\n{caption}" if caption else "")
            await self.sender.send_text(self.chat_id, note, keys=keys, markup=False, thread_id=thread_id)
            label_html = html.escape(label) if kind in CAPTION_KINDS else None
        await self._copy(message.chat_id, message.message_id, thread_id, label_html, keys.next("r"))

    async def _copy(
        self, from_chat: int, message_id: int, thread_id: int | None, caption: str | None, key: str | None
    ) -> None:
        await self.sender.once(
            key,
            self.chat_id,
            lambda: self.bot.copy_message(
                self.chat_id,
                from_chat,
                message_id,
                message_thread_id=thread_id,
                caption=caption,
                # a plain copy without a new caption carries no parse mode (not the bot's default HTML)
                parse_mode=ParseMode.HTML if caption is not None else None,
            ),
        )

    async def flush(self, ticket: Ticket) -> Ticket:
        """Deliver held messages: all texts in one message, up to three media copied with a label."""
        held = await self.service.tickets.held(ticket.id)
        if not held:
            return ticket
        if ticket.thread_id is None:
            ticket = await self.open_topic(ticket)
        media = [h for h in held if h.kind != "text"][:MEDIA_PER_BATCH]
        batch = [h for h in held if h.kind == "text" or h in media]
        lines = [f"👤 Person #{ticket.id}: {len(batch)} weitere Nachrichten (gesammelt)"]
        lines += [f"– {_held_line(h)}" for h in batch]
        rest = len(held) - len(batch)
        if rest:
            lines.append(f"({rest} weitere Medien folgen in der nächsten Sammlung)")
        await self.sender.send_text(
            self.chat_id, "\n".join(lines), keys=SendKeys(None), markup=False, thread_id=ticket.thread_id
        )
        for item in media:
            if item.source_id is not None:
                label = html.escape(f"👤 Person #{ticket.id}") if item.kind in CAPTION_KINDS else None
                with contextlib.suppress(BadRequest):  # the newcomer deleted it meanwhile
                    await self._copy(ticket.user_id, item.source_id, ticket.thread_id, label, None)
        await self.service.tickets.release_held([h.id for h in batch])
        return ticket

    async def flush_all(self) -> int:
        """The minute job: every ticket with held messages gets its batch."""
        count = 0
        for ticket_id in sorted({h.ticket_id for h in await self.service.tickets.held()}):
            ticket = await self.service.tickets.get(ticket_id)
            if ticket is not None:
                with contextlib.suppress(BadRequest, Blocked):
                    await self.flush(ticket)
                    count += 1
        return count

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
        # the chat first: no Telegram call for a press outside the group
        in_group = query.message is not None and query.message.chat.id == self.chat_id
        if not in_group or not await self.is_counsellor(actor.id):
            log.warning("refused ticket action from non-counsellor %s", pseudonym(actor.id))
            await query.answer("Nicht erlaubt.", show_alert=True)
            return
        pressed = actions.unpack(query.data)
        action = pressed.arg(0) if pressed is not None and pressed.kind is Kind.TICKET else ""
        ticket_id = pressed.ticket_id() if pressed is not None else None
        ticket = await self.service.tickets.get(ticket_id) if ticket_id is not None else None
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
                Button(texts.get(lang, "button_yes"), actions.solved(ticket.id, yes=True)),
                Button(texts.get(lang, "button_no"), actions.solved(ticket.id, yes=False)),
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
        if ticket.status is TicketStatus.WAITING and await queue.claim(
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
        lines = ["<b>Offene Tickets</b> (🚨 dringende zuerst, dann längste Wartezeit):"]
        for t in tickets:
            who = f" – {html.escape(t.claimed_by_name)}" if t.claimed_by_name else ""
            lines.append(
                f"{html.escape(self.topic_name(t))} {STATUS_ICON[t.status]}: seit {_when(t.created_at)}{who}"
            )
        return "\n".join(lines)

    async def remind(self) -> int:
        """Post a reminder in topics whose ticket waits too long during office hours."""
        queue = self.service.queue
        assert queue is not None
        late = await queue.waiting_too_long(dt.timedelta(minutes=self.settings.reminder_minutes))
        for ticket in late:
            await self.post(
                ticket,
                f"⏰ Dieses Ticket wartet seit {_when(ticket.created_at)}"
                f" (über {self.settings.reminder_minutes} Minuten).",
            )
            await self.service.tickets.mark_reminded(ticket.id, self.service.clock.now())
        return len(late)
