"""Proves the Bot API double is strict like Telegram and works with the real PTB stack.

Every PTB-facing test runs twice: through the in-process ``FakeRequest`` and through the
loopback HTTP server with PTB's own ``HTTPXRequest``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
)
from telegram.request import BaseRequest, HTTPXRequest

from tests.telegram.botapi_double import (
    BOT_USERNAME,
    DEFAULT_TOKEN,
    FakeRequest,
    FakeTelegram,
    UserHandle,
    parse_html,
    serve_http,
    utf16_len,
)

SUPPORT_GROUP = -1001234567890
TRANSPORTS = ["inprocess", "http"]


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB >= 22.2 warns (an error under -W error) whenever RetryAfter is built unless opted in."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def anna(fake: FakeTelegram) -> UserHandle:
    """A newcomer who has already started the bot."""
    return fake.user(4242, "Anna", language_code="uk", started=True)


class Transport:
    """Builds PTB request objects and base URLs for one of the two transports."""

    def __init__(self, fake: FakeTelegram, kind: str, base_url: str | None, base_file_url: str | None) -> None:
        self.fake = fake
        self.kind = kind
        self.base_url = base_url
        self.base_file_url = base_file_url

    def request(self, read_timeout: float = 5.0) -> BaseRequest:
        if self.kind == "inprocess":
            return FakeRequest(self.fake, read_timeout=read_timeout)
        # trust_env=False: never let a proxy variable route loopback traffic elsewhere
        return HTTPXRequest(read_timeout=read_timeout, httpx_kwargs={"trust_env": False})

    def bot_kwargs(self) -> dict[str, Any]:
        if self.base_url is None:
            return {}
        return {"base_url": self.base_url, "base_file_url": self.base_file_url}

    def bot(self, token: str = DEFAULT_TOKEN, read_timeout: float = 5.0) -> Bot:
        return Bot(
            token,
            request=self.request(read_timeout),
            get_updates_request=self.request(read_timeout),
            **self.bot_kwargs(),
        )


@pytest.fixture(params=TRANSPORTS)
async def transport(request: pytest.FixtureRequest, fake: FakeTelegram) -> AsyncIterator[Transport]:
    if request.param == "inprocess":
        yield Transport(fake, "inprocess", None, None)
        return
    async with serve_http(fake) as url:
        yield Transport(fake, "http", str(url), url.base_file_url)


@pytest.fixture
async def bot(transport: Transport) -> AsyncIterator[Bot]:
    async with transport.bot() as started:
        yield started


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)] for text, data in pairs])


# ------------------------------------------------------------------ basics


async def test_get_me(bot: Bot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.username == BOT_USERNAME
    assert me.is_bot
    assert me.id == fake.bot_id
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert fake.calls_to("getMe")


async def test_send_message_is_stored(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    sent = await bot.send_message(
        anna.id,
        "<b>Willkommen</b> in Heinsberg &amp; Umgebung",
        parse_mode="HTML",
        reply_markup=keyboard(("Wohnen", "topic:wohnen"), ("Arbeit", "topic:arbeit")),
        disable_notification=True,
    )
    assert sent.text == "Willkommen in Heinsberg & Umgebung"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup is not None

    [stored] = fake.sent_to(anna.id)
    assert stored.message_id == sent.message_id
    assert stored.text == "Willkommen in Heinsberg & Umgebung"
    assert stored.raw_text == "<b>Willkommen</b> in Heinsberg &amp; Umgebung"
    assert stored.button_texts == ["Wohnen", "Arbeit"]
    assert stored.callback_datas == ["topic:wohnen", "topic:arbeit"]
    assert stored.disable_notification
    assert stored.sender == fake.bot_user
    method, params = fake.calls[-1]
    assert method == "sendMessage"
    assert params["chat_id"] == anna.id


async def test_bot_cannot_start_a_conversation(bot: Bot, fake: FakeTelegram) -> None:
    fake.user(77, "Silent")
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(77, "Hallo")
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(123456, "Hallo")


async def test_invalid_token_rejected(transport: Transport) -> None:
    wrong = "7000000001:" + "B" * 35
    with pytest.raises(InvalidToken):
        async with transport.bot(token=wrong):
            pass


# ------------------------------------------------------------------ strictness


async def test_too_long_text_raises_bad_request(bot: Bot, anna: UserHandle) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(anna.id, "x" * 4097)
    await bot.send_message(anna.id, "x" * 4096)


async def test_text_length_counts_utf16_code_units(bot: Bot, anna: UserHandle) -> None:
    emoji = "😀"  # two UTF-16 code units, as Telegram counts
    assert utf16_len(emoji * 2048) == 4096
    await bot.send_message(anna.id, emoji * 2048)
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(anna.id, emoji * 2049)


async def test_length_is_measured_after_entity_parsing(bot: Bot, anna: UserHandle) -> None:
    await bot.send_message(anna.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")


async def test_empty_text_rejected(bot: Bot, anna: UserHandle) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
        await bot.send_message(anna.id, "<b></b>", parse_mode="HTML")


async def test_long_caption_rejected(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    photo = fake.send_photo(anna)
    file_id = photo.media["photo"][-1]["file_id"]
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(anna.id, file_id, caption="x" * 1025)
    await bot.send_photo(anna.id, file_id, caption="x" * 1024)
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(anna.id, "no-such-file")


@pytest.mark.parametrize(
    "markup",
    [
        "<b>offen",
        "<b>falsch</i>",
        "<b><i>verschachtelt</b></i>",
        "<div>unbekannt</div>",
        "<span>ohne Klasse</span>",
        "a < b",
        "Tom & Jerry",
        "3 > 2",
        "&nbsp;",
        "</b>",
    ],
)
async def test_bad_html_raises_bad_request(bot: Bot, anna: UserHandle, markup: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Can't parse entities"):
        await bot.send_message(anna.id, markup, parse_mode="HTML")


@pytest.mark.parametrize(
    "markup",
    [
        "<b>fett</b> <strong>fett</strong> <i>kursiv</i> <em>kursiv</em> <u>u</u> <ins>u</ins>",
        "<s>s</s> <strike>s</strike> <del>s</del> <tg-spoiler>x</tg-spoiler>",
        '<span class="tg-spoiler">x</span> <a href="https://kreis-heinsberg.de/?a=1&amp;b=2">Link</a>',
        '<code>c</code> <pre><code class="language-python">print(1)</code></pre> <blockquote>q</blockquote>',
        "&lt;tag&gt; &quot;q&quot; &#39; &#x27; &amp;",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <blockquote expandable>lang</blockquote>',
    ],
)
async def test_good_html_accepted(bot: Bot, anna: UserHandle, markup: str) -> None:
    await bot.send_message(anna.id, markup, parse_mode="HTML")


def test_html_parser_produces_utf16_entities() -> None:
    text, entities = parse_html('😀 <b>fett</b> <pre><code class="language-py">x</code></pre>')
    assert text == "😀 fett x"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "pre", "offset": 8, "length": 1, "language": "py"},
    ]


async def test_markdown_v2_reserved_characters(bot: Bot, anna: UserHandle) -> None:
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(anna.id, "Termin am 12.03.", parse_mode="MarkdownV2")
    await bot.send_message(anna.id, "*Termin* am 12\\.03\\.", parse_mode="MarkdownV2")


async def test_65_byte_callback_data_rejected(bot: Bot, anna: UserHandle) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
        await bot.send_message(anna.id, "Wahl", reply_markup=keyboard(("zu lang", "x" * 65)))
    # 64 bytes is fine, and the limit is bytes, not characters
    await bot.send_message(anna.id, "Wahl", reply_markup=keyboard(("genau", "x" * 64)))
    with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
        await bot.send_message(anna.id, "Wahl", reply_markup=keyboard(("Umlaut", "ä" * 33)))


async def test_inline_button_needs_exactly_one_action(bot: Bot, anna: UserHandle) -> None:
    text_only = InlineKeyboardMarkup([[InlineKeyboardButton("nur Text")]])
    with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
        await bot.send_message(anna.id, "x", reply_markup=text_only)
    both = InlineKeyboardMarkup([[InlineKeyboardButton("beides", callback_data="x", url="https://example.org")]])
    with pytest.raises(BadRequest, match=r"(?i)exactly one"):
        await bot.send_message(anna.id, "x", reply_markup=both)
    with pytest.raises(BadRequest, match=r"(?i)Button_url_invalid"):
        await bot.send_message(
            anna.id, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Link", url="kreis-heinsberg.de")]])
        )


async def test_edit_with_identical_content_not_modified(bot: Bot, anna: UserHandle) -> None:
    sent = await bot.send_message(anna.id, "Frage?", reply_markup=keyboard(("Ja", "yes")))
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_text("Frage?", anna.id, sent.message_id, reply_markup=keyboard(("Ja", "yes")))
    edited = await bot.edit_message_text("Frage beantwortet", anna.id, sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "Frage beantwortet"


async def test_editing_text_without_markup_removes_the_keyboard(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    sent = await bot.send_message(anna.id, "Frage?", reply_markup=keyboard(("Ja", "yes")))
    await bot.edit_message_text("Danke!", anna.id, sent.message_id)
    stored = fake.message(anna, sent.message_id)
    assert stored.text == "Danke!"
    assert stored.buttons == []
    assert stored.edited
    assert stored.history[0]["text"] == "Frage?"


async def test_callback_query_answer_once(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    sent = await bot.send_message(anna.id, "Wahl", reply_markup=keyboard(("Ja", "yes")))
    query_id = fake.press_button(anna, fake.message(anna, sent.message_id), "yes")
    [update] = await bot.get_updates(timeout=1)
    assert isinstance(update.callback_query, CallbackQuery)
    assert update.callback_query.data == "yes"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, text="Gespeichert")
    assert fake.callback_answer(query_id) == {
        "text": "Gespeichert",
        "show_alert": False,
        "url": None,
        "cache_time": None,
    }
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await bot.answer_callback_query("123")


def test_pressing_a_missing_button_fails_the_test(fake: FakeTelegram, anna: UserHandle) -> None:
    msg = fake.send_text(anna, "hallo")
    with pytest.raises(AssertionError):
        fake.press_button(anna, msg, "nope")


# ------------------------------------------------------------------ blocked users and faults


async def test_blocked_user_raises_forbidden(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.block_bot(anna)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(anna.id, "Hallo?")
    [update] = await bot.get_updates(timeout=1)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.chat.id == anna.id
    fake.unblock_bot(anna)
    await bot.send_message(anna.id, "Willkommen zurück")


async def test_429_raises_retry_after(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.fail_next("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(anna.id, "Hallo")
    assert caught.value.retry_after == dt.timedelta(seconds=7)
    await bot.send_message(anna.id, "Hallo")  # the fault is used up
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 200]
    assert len(fake.sent_to(anna)) == 1


async def test_502_raises_network_error(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.fail_next("sendMessage", "502", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.send_message(anna.id, "Hallo")
    assert fake.sent_to(anna) == []


async def test_timeout_raises_timed_out(transport: Transport, fake: FakeTelegram, anna: UserHandle) -> None:
    async with transport.bot(read_timeout=0.3) as quick:
        fake.fail_next("sendMessage", "timeout")
        with pytest.raises(TimedOut):
            await quick.send_message(anna.id, "Hallo")
        assert fake.sent_to(anna) == []
        fake.fail_next("sendMessage", "lost_response")
        with pytest.raises(TimedOut):
            await quick.send_message(anna.id, "Hallo")
        assert len(fake.sent_to(anna)) == 1  # processed, only the answer was lost


async def test_slow_answer_is_processed_at_once_and_answered_late(
    transport: Transport, fake: FakeTelegram, anna: UserHandle
) -> None:
    async with transport.bot(read_timeout=0.3) as quick:
        fake.fail_next("sendMessage", "slow", delay=0.6)
        with pytest.raises(TimedOut):
            await quick.send_message(anna.id, "Hallo")
        assert len(fake.sent_to(anna)) == 1  # delivered although the client gave up
    async with transport.bot(read_timeout=2.0) as patient:
        fake.fail_next("sendMessage", "slow", delay=0.6)
        message = await patient.send_message(anna.id, "Hallo")
        assert message.text == "Hallo"
        assert len(fake.sent_to(anna)) == 2


async def test_network_drop_raises_network_error(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.fail_next("*", "network")
    with pytest.raises(NetworkError):
        await bot.send_message(anna.id, "Hallo")
    await bot.send_message(anna.id, "Hallo")


async def test_flood_mode_limits_messages_per_chat(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.flood(per_chat_per_second=2)
    results = await asyncio.gather(*(bot.send_message(anna.id, str(i)) for i in range(3)), return_exceptions=True)
    limited = [r for r in results if isinstance(r, RetryAfter)]
    assert len(limited) == 1
    assert limited[0].retry_after == dt.timedelta(seconds=1)  # the window frees within a second
    assert len(fake.sent_to(anna)) == 2
    other = fake.user(5, "Ben", started=True)
    await bot.send_message(other.id, "andere Chats sind frei")


async def test_flood_mode_limits_groups_per_minute(bot: Bot, fake: FakeTelegram) -> None:
    group = fake.supergroup(-1009876543210, "Gruppe")
    fake.flood(None, group_per_minute=2)
    await bot.send_message(group.id, "1")
    await bot.send_message(group.id, "2")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(group.id, "3")
    retry_after = caught.value.retry_after
    assert isinstance(retry_after, dt.timedelta)
    assert dt.timedelta(seconds=50) < retry_after <= dt.timedelta(seconds=60)
    fake.no_flood()
    await bot.send_message(group.id, "3")


async def test_unknown_method_is_recorded(bot: Bot, fake: FakeTelegram) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    assert fake.unknown_methods == ["sendTelepathy"]


# ------------------------------------------------------------------ updates


async def test_long_poll_returns_update_sent_after_poll_started(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")), message="poll arrived")
    await asyncio.sleep(0.2)
    assert not poll.done()
    fake.send_text(anna, "Hallo Bot")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert loop.time() - started < 5
    assert [u.message.text for u in updates if u.message] == ["Hallo Bot"]


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_offset_confirmation_drops_earlier_updates(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    for text in ("eins", "zwei", "drei"):
        fake.send_text(anna, text)
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["eins", "zwei", "drei"]
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first]  # not yet confirmed
    rest = await bot.get_updates(offset=first[1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest if u.message] == ["drei"]
    assert len(fake.pending_updates) == 1
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_limit_and_allowed_updates(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    fake.send_text(anna, "a")
    fake.send_text(anna, "b")
    assert len(await bot.get_updates(limit=1, timeout=0)) == 1
    await bot.get_updates(offset=-1, timeout=0, allowed_updates=["callback_query"])
    fake.send_text(anna, "wird nicht geliefert")
    assert [u.message.text for u in await bot.get_updates(timeout=0) if u.message] == ["b"]


async def test_webhook_blocks_get_updates(bot: Bot, fake: FakeTelegram) -> None:
    with pytest.raises(BadRequest, match=r"(?i)HTTPS URL"):
        await bot.set_webhook("http://example.org/hook")
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cr3t")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Exception, match=r"(?i)webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""


async def test_group_privacy_mode(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    ben = fake.user(5, "Ben")
    group = fake.group(-4001, "Stammtisch", members=[anna, ben])
    fake.send_text(ben, "plaudern", chat=group)
    fake.send_text(ben, f"/help@{BOT_USERNAME}", chat=group)
    fake.send_text(ben, "/help@other_bot", chat=group)
    texts = [u.message.text for u in await bot.get_updates(timeout=0) if u.message]
    assert texts == [f"/help@{BOT_USERNAME}"]


# ------------------------------------------------------------------ forum topics and copies


async def test_forum_topic_create_send_delete_then_send(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    counsellor = fake.user(900, "Beraterin")
    group = fake.forum_group(SUPPORT_GROUP, "Beratung", admins=[counsellor])
    topic = await bot.create_forum_topic(SUPPORT_GROUP, "Anna · Wohnen")
    thread = topic.message_thread_id
    assert [t.name for t in fake.topics(group)] == ["Anna · Wohnen"]

    sent = await bot.send_message(SUPPORT_GROUP, "Neue Anfrage", message_thread_id=thread)
    assert sent.message_thread_id == thread
    assert sent.is_topic_message
    assert [m.text for m in fake.sent_to(SUPPORT_GROUP, thread)] == ["Neue Anfrage"]
    assert fake.sent_to_general(SUPPORT_GROUP) == []

    reply = fake.send_text_in_topic(counsellor, group, thread, "Ich übernehme")
    [update] = await bot.get_updates(timeout=1)
    assert update.message is not None
    assert update.message.message_thread_id == thread
    assert update.message.text == "Ich übernehme"
    assert update.message.message_id == reply.message_id

    with pytest.raises(BadRequest, match=r"(?i)Message thread not found"):
        await bot.send_message(SUPPORT_GROUP, "falsch", message_thread_id=thread + 1000)
    with pytest.raises(BadRequest, match=r"(?i)Topic_title_too_long"):
        await bot.create_forum_topic(SUPPORT_GROUP, "x" * 129)

    await bot.delete_forum_topic(SUPPORT_GROUP, thread)
    with pytest.raises(BadRequest, match=r"(?i)Message thread not found"):
        await bot.send_message(SUPPORT_GROUP, "noch da?", message_thread_id=thread)
    assert fake.sent_to(SUPPORT_GROUP, thread) == []


async def test_topic_deleted_by_hand(bot: Bot, fake: FakeTelegram) -> None:
    counsellor = fake.user(900, "Beraterin")
    group = fake.forum_group(SUPPORT_GROUP, "Beratung", admins=[counsellor])
    topic = fake.create_topic(group, "manuell", by=counsellor)
    [update] = await bot.get_updates(timeout=1)
    assert update.message is not None
    assert update.message.forum_topic_created is not None
    await bot.send_message(SUPPORT_GROUP, "ok", message_thread_id=topic.thread_id)
    fake.delete_topic(group, topic.thread_id)
    with pytest.raises(BadRequest, match=r"(?i)Message thread not found"):
        await bot.send_message(SUPPORT_GROUP, "weg", message_thread_id=topic.thread_id)


async def test_reply_in_general_topic_is_no_topic(bot: Bot, fake: FakeTelegram) -> None:
    counsellor = fake.user(900, "Beraterin")
    group = fake.forum_group(SUPPORT_GROUP, "Beratung", admins=[counsellor])
    notice = await bot.send_message(SUPPORT_GROUP, "Neue Anfrage in der Warteschlange")
    fake.send_text(counsellor, "übernehme ich", chat=group, reply_to=notice.message_id)
    [update] = await bot.get_updates(timeout=1)
    message = update.message
    assert message is not None
    assert message.message_thread_id == notice.message_id  # Telegram's reply-chain root ...
    assert not message.is_topic_message  # ... which is no forum topic
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(SUPPORT_GROUP, "x", message_thread_id=message.message_thread_id)
    await message.reply_text("Danke")  # PTB only reuses the thread for real topics
    assert fake.sent_to_general(SUPPORT_GROUP)[-1].text == "Danke"


async def test_copy_message_between_private_chat_and_topic(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    counsellor = fake.user(900, "Beraterin")
    group = fake.forum_group(SUPPORT_GROUP, "Beratung", admins=[counsellor])
    topic = await bot.create_forum_topic(SUPPORT_GROUP, "Anna")
    thread = topic.message_thread_id

    question = fake.send_text(anna, "Wo finde ich eine Wohnung?")
    photo = fake.send_photo(anna, caption="Mein Mietvertrag")
    copied = await bot.copy_message(SUPPORT_GROUP, anna.id, question.message_id, message_thread_id=thread)
    await bot.copy_message(SUPPORT_GROUP, anna.id, photo.message_id, message_thread_id=thread)
    in_topic = fake.sent_to(SUPPORT_GROUP, thread)
    assert [m.kind for m in in_topic] == ["text", "photo"]
    assert in_topic[0].message_id == copied.message_id
    assert in_topic[0].text == "Wo finde ich eine Wohnung?"
    assert in_topic[0].copied_from == (anna.id, question.message_id)
    assert in_topic[1].caption == "Mein Mietvertrag"

    answer = fake.send_text_in_topic(counsellor, group, thread, "Beim Wohnungsamt.")
    await bot.copy_message(anna.id, SUPPORT_GROUP, answer.message_id)
    assert fake.sent_to(anna)[-1].text == "Beim Wohnungsamt."

    forwarded = await bot.forward_message(SUPPORT_GROUP, anna.id, question.message_id, message_thread_id=thread)
    assert forwarded.forward_origin is not None

    with pytest.raises(BadRequest, match=r"(?i)Message to copy not found"):
        await bot.copy_message(SUPPORT_GROUP, anna.id, 9999, message_thread_id=thread)


async def test_reply_parameters_and_missing_reply_target(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    question = fake.send_text(anna, "Frage")
    sent = await bot.send_message(anna.id, "Antwort", reply_parameters=ReplyParameters(question.message_id))
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "Frage"
    with pytest.raises(BadRequest, match=r"(?i)Message to be replied not found"):
        await bot.send_message(anna.id, "x", reply_parameters=ReplyParameters(9999))
    await bot.send_message(anna.id, "x", reply_parameters=ReplyParameters(9999, allow_sending_without_reply=True))


async def test_commands_per_scope_and_language(bot: Bot, fake: FakeTelegram) -> None:
    await bot.set_my_commands([("start", "Beginnen"), ("hilfe", "Hilfe")], language_code="de")
    await bot.set_my_commands([("start", "Start")])
    assert fake.bot_commands(language_code="de") == [("start", "Beginnen"), ("hilfe", "Hilfe")]
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Start-Now", "ungültig")])
    await bot.delete_my_commands(language_code="de")
    assert fake.bot_commands(language_code="de") == []
    assert await bot.set_my_description("Wegweiser für Neuzugewanderte", language_code="de")
    assert (await bot.get_my_description(language_code="de")).description == "Wegweiser für Neuzugewanderte"
    assert await bot.set_my_short_description("Hilfe im Kreis Heinsberg")


async def test_upload_is_parsed(bot: Bot, fake: FakeTelegram, anna: UserHandle) -> None:
    sent = await bot.send_document(anna.id, b"Merkblatt-Inhalt", filename="merkblatt.txt", caption="Merkblatt")
    assert sent.document is not None
    assert sent.document.file_name == "merkblatt.txt"
    [stored] = fake.sent_to(anna)
    assert fake.files[stored.media["document"]["file_id"]].content == b"Merkblatt-Inhalt"
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"Merkblatt-Inhalt")


# ------------------------------------------------------------------ the full PTB stack


async def test_application_with_rate_limiter(transport: Transport, fake: FakeTelegram, anna: UserHandle) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Willkommen! Worum geht es?", reply_markup=keyboard(("Wohnen", "wohnen")))

    async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Thema: {query.data}")

    builder = (
        ApplicationBuilder()
        .token(DEFAULT_TOKEN)
        .request(transport.request())
        .get_updates_request(transport.request())
        .rate_limiter(AIORateLimiter(max_retries=2))
    )
    if transport.base_url is not None:
        builder = builder.base_url(transport.base_url).base_file_url(transport.base_file_url or "")
    app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
    assert isinstance(app.bot, ExtBot)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(choose))

    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app)
        await app.start()
        stack.push_async_callback(app.stop)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        stack.push_async_callback(app.updater.stop)

        fake.fail_next("sendMessage", "429", retry_after=1)  # the rate limiter must retry
        fake.send_text(anna, "/start")
        [welcome] = await fake.wait_for_reply(anna, timeout=10)
        assert welcome.text == "Willkommen! Worum geht es?"
        assert [c.status for c in fake.calls_to("sendMessage")] == [429, 200]

        fake.press_button(anna, welcome, "wohnen")
        [answer] = await fake.wait_for_call("answerCallbackQuery", timeout=5)
        assert answer.ok
        await fake.wait_until(lambda: fake.message(anna, welcome.message_id).text == "Thema: wohnen")
        await fake.expect_no_reply(anna, within=0.2)
    assert fake.unknown_methods == []
    assert [(c.method, c.status) for c in fake.failed_calls()] == [("sendMessage", 429)]  # only the injected one


async def test_wait_for_reply_times_out_with_a_helpful_error(fake: FakeTelegram, anna: UserHandle) -> None:
    with pytest.raises(AssertionError, match=r"(?i)expected 1 new bot message"):
        await fake.wait_for_reply(anna, timeout=0.1)


def test_serve_http_refuses_non_loopback(fake: FakeTelegram) -> None:
    async def run() -> None:
        async with serve_http(fake, host="0.0.0.0"):
            pass

    with pytest.raises(ValueError, match=r"(?i)loopback"):
        asyncio.run(run())


async def test_bot_in_a_subprocess(fake: FakeTelegram, anna: UserHandle) -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from telegram import Bot
        from telegram.request import HTTPXRequest

        async def main() -> None:
            request = HTTPXRequest(httpx_kwargs={"trust_env": False})
            async with Bot(sys.argv[1], base_url=sys.argv[2], request=request) as bot:
                await bot.send_message(int(sys.argv[3]), "aus dem Subprozess")

        asyncio.run(main())
        """
    )
    async with serve_http(fake) as url:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            script,
            DEFAULT_TOKEN,
            str(url),
            str(anna.id),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        assert process.returncode == 0, stderr.decode()
        [msg] = await fake.wait_for_reply(anna)
    assert msg.text == "aus dem Subprozess"
    assert {c.transport for c in fake.calls} == {"http"}


@pytest.fixture(autouse=True)
def _no_unknown_methods(fake: FakeTelegram, request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test here (except the one probing it) must leave unknown_methods empty."""
    yield
    if request.node.name.startswith("test_unknown_method_is_recorded"):
        return
    assert fake.unknown_methods == []
