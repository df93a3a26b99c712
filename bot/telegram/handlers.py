"""Newcomers' private chats: translate each update into a dialogue call and send what it returns."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable

from telegram import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.dialogue.actions import GROUP_ONLY, ONE_SHOT, unpack
from bot.dialogue.replies import Outcome, outcome_from_json, outcome_to_json
from bot.languages import normalise_language_code
from bot.service import CoreService
from bot.telegram.counsellors import CounsellorDesk, media_kind
from bot.telegram.sender import Blocked, Sender, SendKeys, pseudonym

log = logging.getLogger(__name__)


class ButtonGate:
    """Runs before every handler (group -1): a button press counts only where its kind belongs.

    Counsellors' card buttons only in the counsellor group; every other button only in the presser's
    own private chat. Anything else (a forged press, a client sending garbage in the group) is answered
    and stopped here, before any handler or any lookup runs."""

    def __init__(self, counsellor_chat_id: int | None, sender: Sender) -> None:
        self.counsellor_chat_id = counsellor_chat_id
        self.sender = sender

    def allows(self, query: CallbackQuery) -> bool:
        message = query.message
        if message is None:  # inline-mode messages: we have none
            return False
        action = unpack(query.data)
        chat = message.chat
        if self.counsellor_chat_id is not None and chat.id == self.counsellor_chat_id:
            return action is not None and action.kind in GROUP_ONLY
        if chat.type == ChatType.PRIVATE and chat.id == query.from_user.id:
            # unknown data in one's own chat (an old button) is answered with the menu by the dialogue
            return action is None or action.kind not in GROUP_ONLY
        return False

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or self.allows(query):
            return
        log.warning("refused a button press of %s outside its chat", pseudonym(query.from_user.id))
        in_group = query.message is not None and query.message.chat.type != ChatType.PRIVATE
        with contextlib.suppress(TelegramError):
            await self.sender.retrying(
                lambda: query.answer("Nicht erlaubt." if in_group else None, show_alert=in_group)
            )
        raise ApplicationHandlerStop


def for_newcomers(data: object) -> bool:
    """Pattern of the newcomers' button handler: all but the counsellors' card buttons."""
    action = unpack(data) if isinstance(data, str) else None
    return action is None or action.kind not in GROUP_ONLY


def _rows_after_vote(message: MaybeInaccessibleMessage, data: str) -> list[tuple[InlineKeyboardButton, ...]] | None:
    """The keyboard's rows minus the row of the pressed one-shot button (a vote counts once; the menu
    stays); None when the message has no such button (a forged press): then nothing is to be edited."""
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return None
    rows = [row for row in markup.inline_keyboard if not any(b.callback_data == data for b in row)]
    return rows if len(rows) < len(markup.inline_keyboard) else None


class NewcomerHandlers:
    def __init__(self, service: CoreService, sender: Sender, desk: CounsellorDesk | None) -> None:
        self.service = service
        self.sender = sender
        self.desk = desk
        self._fresh: set[int] = set()

    async def decide(self, update: Update, compute: Callable[[], Awaitable[Outcome]]) -> Outcome:
        """Decide once per update: after a crash the stored decision is delivered, not a new one."""
        stored = await self.sender.inbox.load_outcome(update.update_id)
        if stored is not None:
            return outcome_from_json(stored)
        async with self.service.db.batch():  # the state change and the decision: both or neither
            outcome = await compute()
            await self.sender.inbox.save_outcome(update.update_id, outcome_to_json(outcome))
        self._fresh.add(update.update_id)
        return outcome

    async def deliver(self, update: Update, chat_id: int, outcome: Outcome, message: Message | None) -> None:
        fresh = update.update_id in self._fresh  # decided just now: nothing of it can have been sent before
        self._fresh.discard(update.update_id)
        keys = SendKeys(update.update_id, replay=not fresh)
        delivered = await self.sender.send_replies(chat_id, outcome.replies, keys, urgent=outcome.urgent)
        if not delivered:
            return
        if self.desk is not None and outcome.effects:
            await self.desk.apply(outcome.effects, message, keys)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or message.text is None:
            return
        head, _, args = message.text.partition(" ")
        command = head[1:].split("@")[0]
        outcome = await self.decide(
            update, lambda: self.service.dialogue.on_command(user.id, command, args, user.language_code)
        )
        await self.deliver(update, message.chat_id, outcome, message)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or message.text is None:
            return
        text = message.text
        outcome = await self.decide(update, lambda: self.service.dialogue.on_text(user.id, text, user.language_code))
        await self.deliver(update, message.chat_id, outcome, message)

    async def media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        kind = media_kind(message)
        outcome = await self.decide(update, lambda: self.service.dialogue.on_media(user.id, kind, user.language_code))
        await self.deliver(update, message.chat_id, outcome, message)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        with contextlib.suppress(BadRequest):  # too old: Telegram shows no spinner any more
            await self.sender.retrying(query.answer)
        action = unpack(query.data)
        if (
            action is not None
            and action.kind in ONE_SHOT
            and isinstance(query.message, Message)
            and query.message.is_accessible
        ):
            # an inaccessible (old) message tells us nothing of its keyboard: leave it rather than wipe it
            rows = _rows_after_vote(query.message, query.data)
            if rows is not None:
                markup = InlineKeyboardMarkup(rows) if rows else None
                with contextlib.suppress(BadRequest):
                    await self.sender.retrying(lambda: query.edit_message_reply_markup(markup))
        user = query.from_user
        data = query.data
        outcome = await self.decide(update, lambda: self.service.dialogue.on_button(user.id, data, user.language_code))
        await self.deliver(update, user.id, outcome, None)

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message was answered when it was new: no second answer. During a ticket the
        counsellors see the corrected text, marked as edited (an address typed wrong matters to them)."""
        message = update.edited_message
        user = update.effective_user
        if message is None or user is None or self.desk is None:
            return
        ticket = await self.service.tickets.open_for_user(user.id)
        if ticket is not None:
            await self.desk.relay_to_topic(ticket, message, SendKeys(update.update_id), edited=True)

    async def chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A newcomer blocked (kicked) or unblocked the bot in their private chat."""
        change: ChatMemberUpdated | None = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        blocked = change.new_chat_member.status in ("kicked", "left")
        log.info("user %s %s the bot", pseudonym(change.chat.id), "blocked" if blocked else "unblocked")
        if await self.service.users.get(change.chat.id) is not None:
            await self.service.users.set_active(change.chat.id, not blocked)

    async def group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In other groups the bot stays silent, except when addressed: then it points to a private chat."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        me = context.bot.username
        addressed = message.text.startswith("/") or (me is not None and f"@{me}".lower() in message.text.lower())
        if not addressed:
            return
        user = update.effective_user
        lang = (user.language_code if user else None) or "de"
        text = self.service.knowledge.texts.get(
            normalise_language_code(lang) or "de", "group_chat", link=f"https://t.me/{me}"
        )
        with contextlib.suppress(Blocked):
            await self.sender.send_text(
                message.chat_id,
                text,
                keys=SendKeys(update.update_id),
                markup=False,
                thread_id=message.message_thread_id if message.is_topic_message else None,
            )
