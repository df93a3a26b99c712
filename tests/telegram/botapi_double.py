"""An in-memory, strict test double of the Telegram Bot API.

Why: the bot's end-to-end tests must run the real python-telegram-bot stack (Application, Bot,
ExtBot, AIORateLimiter) without ever reaching Telegram, and without monkeypatching the bot.
The double therefore sits *below* PTB: either as a :class:`telegram.request.BaseRequest`
(:class:`FakeRequest`, in-process) or as a loopback HTTP server (:func:`serve_http`, for a bot
running in a subprocess).  Both feed one :class:`FakeTelegram`, which keeps the world state and
answers like Telegram does, including its error messages, so mistakes that Telegram would
reject (too-long texts, broken HTML, oversized callback data, blocked users, deleted topics,
flood limits) fail in tests first.

The test side drives the world through synchronous helpers (``fake.send_text(user, "/start")``)
and observes it through ``fake.sent_to(...)``, ``await fake.wait_for_reply(...)`` and
``fake.calls``.

Deliberate strictness beyond Telegram: in ``parse_mode="HTML"`` a bare ``&`` or ``>`` is an error
here (Telegram tolerates some of them); escaping every ``<``, ``>`` and ``&`` is what Telegram's
documentation asks for, and what ``html.escape`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import json
import math
import re
import time
import urllib.parse
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final, Literal, TypeAlias

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = [
    "BOT_USERNAME",
    "DEFAULT_TOKEN",
    "ApiCall",
    "Button",
    "EntityParseError",
    "FakeChat",
    "FakeRequest",
    "FakeTelegram",
    "FileRecord",
    "ForumTopic",
    "ServedURL",
    "StoredMessage",
    "UploadedFile",
    "UserHandle",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "serve_http",
    "utf16_len",
]

JSONDict: TypeAlias = dict[str, Any]

#: A syntactically valid token (digits, colon, 35 characters) that only this double accepts.
DEFAULT_TOKEN: Final[str] = "7000000001:AAEwegweiserTestDoubleToken000000000"
BOT_USERNAME: Final[str] = "wegweiser_test_bot"
BOT_FIRST_NAME: Final[str] = "Wegweiser"

_TOKEN_RE: Final = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{35}$")

MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_TOPIC_NAME_LENGTH: Final = 128
MAX_BUTTONS: Final = 100
MAX_BUTTONS_PER_ROW: Final = 8

#: Colours Telegram accepts for forum topic icons.
TOPIC_ICON_COLORS: Final = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)

#: Update types a bot receives when it never set allowed_updates (Telegram's default).
DEFAULT_ALLOWED_UPDATES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
ALL_UPDATE_TYPES: Final = DEFAULT_ALLOWED_UPDATES | {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

#: Methods that create a message in a chat; these are subject to flood control.
MESSAGE_CREATING_METHODS: Final = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendVideoNote",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)

FaultKind: TypeAlias = Literal["429", "502", "500", "403", "400", "timeout", "lost_response", "network"]
_FAULT_KINDS: Final = frozenset({"429", "502", "500", "403", "400", "timeout", "lost_response", "network"})

_BAD_GATEWAY_HTML: Final = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


# --------------------------------------------------------------------------------------------
# Errors and small value types
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer; raised inside method handlers, turned into JSON by the dispatcher."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> ApiError:
    """Why: nearly all validation failures are 400 'Bad Request: ...'."""
    return ApiError(400, f"Bad Request: {description}")


class EntityParseError(ValueError):
    """Raised by the formatting parsers; becomes "Bad Request: can't parse entities: ..."."""


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request (as opposed to a file_id or URL)."""

    filename: str
    content: bytes
    mime_type: str | None = None


@dataclass
class ApiCall:
    """One request the bot made. Unpacks as ``method, params`` for terse assertions."""

    method: str
    params: JSONDict
    status: int = 0
    description: str | None = None
    result: Any = None
    transport: str = "inprocess"
    at: float = field(default_factory=time.monotonic)

    def __iter__(self) -> Iterator[Any]:
        """Why: lets tests write ``for method, params in fake.calls``."""
        return iter((self.method, self.params))

    @property
    def ok(self) -> bool:
        """Whether Telegram (the double) answered with ok=true."""
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Button:
    """An inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: JSONDict = field(default_factory=dict, compare=False)


@dataclass(eq=False)
class UserHandle:
    """A Telegram user in the fake world; pass it to the test-side helpers."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "de"
    is_bot: bool = False
    is_premium: bool = False

    @property
    def chat_id(self) -> int:
        """The id of the user's private chat with the bot (equals the user id, as in Telegram)."""
        return self.id

    def to_dict(self) -> JSONDict:
        """The Bot API ``User`` object."""
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        if self.is_premium:
            data["is_premium"] = True
        return data


@dataclass(eq=False)
class ForumTopic:
    """A forum topic of a supergroup."""

    thread_id: int
    name: str
    icon_color: int = TOPIC_ICON_COLORS[0]
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False
    created_by: int = 0

    def to_dict(self) -> JSONDict:
        """The Bot API ``ForumTopic`` object."""
        data: JSONDict = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            data["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return data


@dataclass(eq=False)
class FileRecord:
    """A file Telegram knows, addressable by file_id."""

    file_id: str
    file_unique_id: str
    kind: str
    file_size: int
    content: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None

    @property
    def file_path(self) -> str:
        """Where getFile says the file can be downloaded from."""
        folder = {"photo": "photos", "voice": "voice", "video": "videos", "sticker": "stickers"}.get(
            self.kind, "documents"
        )
        suffix = {"photo": ".jpg", "voice": ".oga", "video": ".mp4", "sticker": ".webp"}.get(self.kind, "")
        return f"{folder}/file_{self.file_unique_id}{suffix}"


@dataclass(eq=False)
class StoredMessage:
    """A message that exists in a chat: sent by a user, by the bot, or a service message.

    ``text``/``caption`` hold the text as Telegram shows it (after entity parsing); ``raw_text``
    keeps what the bot literally sent (e.g. the HTML source).
    """

    chat_id: int
    message_id: int
    date: int
    sender: JSONDict | None
    from_bot: bool
    kind: str
    thread_id: int | None = None
    is_topic_message: bool = False
    text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSONDict] = field(default_factory=list)
    media: JSONDict = field(default_factory=dict)
    service: JSONDict = field(default_factory=dict)
    reply_markup: JSONDict | None = None
    reply_to_message_id: int | None = None
    forward_origin: JSONDict | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    method: str | None = None
    params: JSONDict = field(default_factory=dict)
    copied_from: tuple[int, int] | None = None
    deleted: bool = False
    edit_date: int | None = None
    history: list[JSONDict] = field(default_factory=list)
    protect_content: bool = False
    disable_notification: bool = False
    link_preview_options: JSONDict | None = None
    media_group_id: str | None = None

    @property
    def is_service(self) -> bool:
        """Service messages (topic created, member joined, ...) carry no user content."""
        return self.kind == "service"

    @property
    def edited(self) -> bool:
        """Whether the message was edited at least once."""
        return self.edit_date is not None

    @property
    def content_text(self) -> str | None:
        """The text or, for media, the caption."""
        return self.text if self.text is not None else self.caption

    @property
    def buttons(self) -> list[list[Button]]:
        """The inline keyboard, row by row (empty if there is none)."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [
            [
                Button(
                    text=str(b.get("text", "")),
                    callback_data=b.get("callback_data"),
                    url=b.get("url"),
                    raw=dict(b),
                )
                for b in row
            ]
            for row in self.reply_markup["inline_keyboard"]
        ]

    @property
    def button_texts(self) -> list[str]:
        """All inline button labels, flattened."""
        return [b.text for row in self.buttons for b in row]

    @property
    def callback_datas(self) -> list[str]:
        """All callback_data values of the inline keyboard, flattened."""
        return [b.callback_data for row in self.buttons for b in row if b.callback_data is not None]

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of a reply keyboard (``ReplyKeyboardMarkup``) the bot attached, if any."""
        if not self.reply_markup or "keyboard" not in self.reply_markup:
            return []
        return [
            [b if isinstance(b, str) else str(b.get("text", "")) for b in row]
            for row in self.reply_markup["keyboard"]
        ]

    def button(self, text: str | None = None, callback_data: str | None = None) -> Button:
        """Finds one inline button by label or callback_data; AssertionError if absent."""
        for row in self.buttons:
            for b in row:
                if (text is None or b.text == text) and (
                    callback_data is None or b.callback_data == callback_data
                ):
                    return b
        raise AssertionError(
            f"message {self.message_id} in chat {self.chat_id} has no button "
            f"text={text!r} callback_data={callback_data!r}; it has {self.buttons!r}"
        )

    def __repr__(self) -> str:
        body = self.text if self.text is not None else self.caption
        return (
            f"StoredMessage(chat={self.chat_id}, id={self.message_id}, thread={self.thread_id}, "
            f"kind={self.kind}, from_bot={self.from_bot}, text={body!r}, buttons={self.button_texts!r}"
            f"{', deleted' if self.deleted else ''})"
        )


@dataclass(eq=False)
class FakeChat:
    """A chat in the fake world: a user's private chat with the bot, a group or a supergroup."""

    id: int
    type: Literal["private", "group", "supergroup", "channel"]
    title: str | None = None
    username: str | None = None
    user: UserHandle | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    bot_rights: JSONDict = field(default_factory=dict)
    started: bool = False
    blocked: bool = False
    topics: dict[int, ForumTopic] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    pinned: list[int] = field(default_factory=list)
    migrated_to: int | None = None
    description: str | None = None

    @property
    def admins(self) -> list[int]:
        """Ids of human administrators, owner first."""
        owners = [uid for uid, st in self.members.items() if st == "creator"]
        return owners + [uid for uid, st in self.members.items() if st == "administrator"]

    @property
    def bot_is_admin(self) -> bool:
        """Whether the bot is an administrator of this chat."""
        return self.bot_status == "administrator"

    def bot_can(self, right: str) -> bool:
        """Whether the bot holds an admin right (private chats allow everything)."""
        if self.type == "private":
            return True
        return self.bot_is_admin and bool(self.bot_rights.get(right, False))

    def topic(self, thread_id: int) -> ForumTopic:
        """A live topic by thread id; KeyError if unknown or deleted."""
        topic = self.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise KeyError(thread_id)
        return topic

    def to_dict(self) -> JSONDict:
        """The Bot API ``Chat`` object (as embedded in messages)."""
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
            if self.is_forum:
                data["is_forum"] = True
        return data


@dataclass(eq=False)
class _CallbackQuery:
    """A pressed inline button waiting for answerCallbackQuery."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created: float
    answered: bool = False
    answer: JSONDict | None = None


@dataclass
class _Fault:
    """One injected failure, consumed by the next matching call(s)."""

    method: str
    kind: str
    remaining: int
    retry_after: int
    description: str | None


@dataclass
class _Response:
    """What a transport must do with a processed request."""

    status: int
    body: bytes
    content_type: str = "application/json"
    action: Literal["respond", "hang", "drop"] = "respond"


def _json_response(status: int, payload: JSONDict) -> _Response:
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _error_response(code: int, description: str, parameters: JSONDict | None = None) -> _Response:
    payload: JSONDict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return _json_response(code, payload)


# --------------------------------------------------------------------------------------------
# Text formatting: UTF-16 lengths, HTML / MarkdownV2 / Markdown parsing, auto-detected entities
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


_HTML_TAG_TYPES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_HTML_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE: Final = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")


def _decode_html_entity(source: str, index: int) -> tuple[str, int] | None:
    """Decodes the HTML entity at ``source[index] == '&'``; None if it is not a supported one."""
    match = _HTML_ENTITY_RE.match(source, index)
    if match is None:
        return None
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_HTML_ENTITIES[named], match.end()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]
    byte_offset: int


def _read_tag_name(source: str, index: int) -> int:
    while index < len(source) and (source[index].isascii() and (source[index].isalnum() or source[index] == "-")):
        index += 1
    return index


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Parses Telegram's HTML flavour into (plain text, entities) or raises EntityParseError.

    Why: Telegram rejects the whole message on any malformed markup, so the double must too.
    """
    out: list[str] = []
    pos = 0
    stack: list[_OpenTag] = []
    entities: list[JSONDict] = []
    n = len(source)
    i = 0
    while i < n:
        ch = source[i]
        if ch == "<":
            at = _byte_offset(source, i)
            if i + 1 < n and source[i + 1] == "/":
                j = _read_tag_name(source, i + 2)
                name = source[i + 2 : j].lower()
                while j < n and source[j] in " \t\r\n":
                    j += 1
                if j >= n or source[j] != ">":
                    raise EntityParseError(f"Unclosed end tag at byte offset {at}")
                if not stack:
                    raise EntityParseError(f"Unexpected end tag at byte offset {at}")
                top = stack.pop()
                if top.name != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", found "</{name}>"'
                    )
                _close_html_entity(top, pos, entities)
                i = j + 1
                continue
            j = _read_tag_name(source, i + 1)
            name = source[i + 1 : j].lower()
            if name not in _HTML_TAG_TYPES:
                raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')
            attrs: dict[str, str] = {}
            while True:
                while j < n and source[j] in " \t\r\n":
                    j += 1
                if j >= n:
                    raise EntityParseError(f"Unclosed start tag at byte offset {at}")
                if source[j] == ">":
                    j += 1
                    break
                k = j
                while k < n and source[k].isascii() and (source[k].isalnum() or source[k] in "-_"):
                    k += 1
                if k == j:
                    raise EntityParseError(f'Empty attribute name in the tag "{name}" at byte offset {at}')
                attr = source[j:k].lower()
                j = k
                while j < n and source[j] in " \t\r\n":
                    j += 1
                value = ""
                if j < n and source[j] == "=":
                    j += 1
                    while j < n and source[j] in " \t\r\n":
                        j += 1
                    if j >= n:
                        raise EntityParseError(f"Unclosed start tag at byte offset {at}")
                    if source[j] in "\"'":
                        quote = source[j]
                        end = source.find(quote, j + 1)
                        if end < 0:
                            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
                        value = _decode_attribute(source[j + 1 : end], at)
                        j = end + 1
                    else:
                        k = j
                        while k < n and source[k] not in " \t\r\n>":
                            k += 1
                        value = _decode_attribute(source[j:k], at)
                        j = k
                attrs[attr] = value
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
            if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
                raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}')
            if name == "tg-time" and not attrs.get("unix", "").lstrip("-").isdigit():
                raise EntityParseError(f'Tag "tg-time" must have attribute "unix" at byte offset {at}')
            stack.append(_OpenTag(name, pos, attrs, at))
            i = j
            continue
        if ch == "&":
            decoded = _decode_html_entity(source, i)
            if decoded is None:
                raise EntityParseError(
                    f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(source, i)}'
                )
            out.append(decoded[0])
            pos += utf16_len(decoded[0])
            i = decoded[1]
            continue
        if ch == ">":
            raise EntityParseError(
                f'Character ">" must be escaped as "&gt;" at byte offset {_byte_offset(source, i)}'
            )
        out.append(ch)
        pos += utf16_len(ch)
        i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _decode_attribute(raw: str, at: int) -> str:
    result: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded = _decode_html_entity(raw, i)
            if decoded is None:
                raise EntityParseError(f'Character "&" must be escaped as "&amp;" in the tag at byte offset {at}')
            result.append(decoded[0])
            i = decoded[1]
        elif raw[i] == "<":
            raise EntityParseError(f'Character "<" in an attribute value at byte offset {at}')
        else:
            result.append(raw[i])
            i += 1
    return "".join(result)


def _close_html_entity(tag: _OpenTag, end: int, entities: list[JSONDict]) -> None:
    length = end - tag.start
    if length <= 0:
        return
    etype = _HTML_TAG_TYPES[tag.name]
    entity: JSONDict = {"type": etype, "offset": tag.start, "length": length}
    if tag.name == "a":
        href = tag.attrs.get("href", "").strip()
        if not href:
            return
        entity["url"] = href
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "tg-time":
        entity["unix_time"] = int(tag.attrs["unix"])
        if tag.attrs.get("format"):
            entity["date_time_format"] = tag.attrs["format"]
    elif tag.name == "pre":
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language
        for inner in entities:
            if (
                inner["type"] == "code"
                and inner["offset"] == tag.start
                and inner["length"] == length
                and "_language" in inner
            ):
                entities.remove(inner)
                entity["language"] = inner["_language"]
                break
    elif tag.name == "code":
        cls = tag.attrs.get("class", "")
        if cls.startswith("language-") and len(cls) > len("language-"):
            entity["_language"] = cls[len("language-") :]
    entities.append(entity)
    for e in entities:
        if e is not entity and e["type"] == "code" and "_language" in e and e["offset"] < tag.start:
            e.pop("_language", None)


def _strip_private_keys(entities: list[JSONDict]) -> list[JSONDict]:
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entities]


_MD2_RESERVED: Final = "_*[]()~`>#+-=|{}.!"
_MD2_NAMES: Final = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(source: str) -> tuple[str, list[JSONDict]]:
    """Parses Telegram's MarkdownV2 into (plain text, entities) or raises EntityParseError.

    Why: MarkdownV2 requires every reserved character outside markup to be escaped; forgetting a
    ``.`` or ``-`` is the classic production failure this catches.
    """
    out: list[str] = []
    pos = 0
    entities: list[JSONDict] = []
    stack: list[tuple[str, int, int]] = []  # (type, start utf16, byte offset)
    n = len(source)
    i = 0
    line_start = True
    quote_start: int | None = None

    def emit(text: str) -> None:
        nonlocal pos
        out.append(text)
        pos += utf16_len(text)

    while i < n:
        ch = source[i]
        at = _byte_offset(source, i)
        if line_start and ch == ">":
            if quote_start is None:
                quote_start = pos
            i += 1
            line_start = False
            continue
        if line_start and source.startswith("**>", i):
            if quote_start is None:
                quote_start = pos
            i += 3
            line_start = False
            continue
        if line_start and quote_start is not None:
            if pos > quote_start:
                entities.append({"type": "blockquote", "offset": quote_start, "length": pos - quote_start})
            quote_start = None
        line_start = False
        if ch == "\\":
            if i + 1 < n and 0 < ord(source[i + 1]) < 127:
                emit(source[i + 1])
                i += 2
                continue
            raise EntityParseError(f"Character '\\' is reserved and must be escaped with the preceding '\\'")
        if ch == "\n":
            emit(ch)
            i += 1
            line_start = True
            continue
        if ch == "`":
            if source.startswith("```", i):
                end, text = _md2_code_body(source, i + 3, "```")
                if end < 0:
                    raise EntityParseError(f"Can't find end of Pre entity at byte offset {at}")
                language = ""
                if "\n" in text:
                    first, rest = text.split("\n", 1)
                    if first and " " not in first:
                        language, text = first, rest
                start = pos
                emit(text)
                if pos > start:
                    entity: JSONDict = {"type": "pre", "offset": start, "length": pos - start}
                    if language:
                        entity["language"] = language
                    entities.append(entity)
                i = end + 3
                continue
            end, text = _md2_code_body(source, i + 1, "`")
            if end < 0:
                raise EntityParseError(f"Can't find end of Code entity at byte offset {at}")
            start = pos
            emit(text)
            if pos > start:
                entities.append({"type": "code", "offset": start, "length": pos - start})
            i = end + 1
            continue
        if ch == "]" and stack and stack[-1][0] in ("text_link", "custom_emoji"):
            etype, start, _ = stack.pop()
            if i + 1 >= n or source[i + 1] != "(":
                raise EntityParseError(f"Can't find end of a URL at byte offset {at}")
            url_chars: list[str] = []
            j = i + 2
            while j < n and source[j] != ")":
                if source[j] == "\\" and j + 1 < n:
                    url_chars.append(source[j + 1])
                    j += 2
                    continue
                url_chars.append(source[j])
                j += 1
            if j >= n:
                raise EntityParseError(f"Can't find end of a URL at byte offset {at}")
            url = "".join(url_chars)
            if pos > start:
                if etype == "custom_emoji":
                    emoji_id = url.removeprefix("tg://emoji?id=")
                    entities.append({"type": "custom_emoji", "offset": start, "length": pos - start,
                                     "custom_emoji_id": emoji_id})
                elif url:
                    entities.append({"type": "text_link", "offset": start, "length": pos - start, "url": url})
            i = j + 1
            continue
        if ch == "!" and i + 1 < n and source[i + 1] == "[":
            stack.append(("custom_emoji", pos, at))
            i += 2
            continue
        token: str | None = None
        width = 1
        if ch == "*":
            token = "bold"
        elif ch == "_":
            if source.startswith("__", i):
                token, width = "underline", 2
            else:
                token = "italic"
        elif ch == "~":
            token = "strikethrough"
        elif ch == "|" and source.startswith("||", i):
            if quote_start is not None and (i + 2 >= n or source[i + 2] == "\n") and not any(
                t == "spoiler" for t, _, _ in stack
            ):
                i += 2  # end mark of an expandable block quotation
                continue
            token, width = "spoiler", 2
        elif ch == "[":
            stack.append(("text_link", pos, at))
            i += 1
            continue
        if token is not None:
            if stack and stack[-1][0] == token:
                etype, start, _ = stack.pop()
                if pos > start:
                    entities.append({"type": etype, "offset": start, "length": pos - start})
            elif any(t == token for t, _, _ in stack):
                _, _, open_at = next(s for s in reversed(stack) if s[0] == token)
                raise EntityParseError(f"Can't find end of {_MD2_NAMES[token]} entity at byte offset {open_at}")
            else:
                stack.append((token, pos, at))
            i += width
            continue
        if ch in _MD2_RESERVED:
            raise EntityParseError(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")
        emit(ch)
        i += 1
    if stack:
        etype, _, open_at = stack[-1]
        raise EntityParseError(f"Can't find end of {_MD2_NAMES[etype]} entity at byte offset {open_at}")
    if quote_start is not None and pos > quote_start:
        entities.append({"type": "blockquote", "offset": quote_start, "length": pos - quote_start})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _md2_code_body(source: str, start: int, closer: str) -> tuple[int, str]:
    chars: list[str] = []
    j = start
    while j < len(source):
        if source[j] == "\\" and j + 1 < len(source) and source[j + 1] in "`\\":
            chars.append(source[j + 1])
            j += 2
            continue
        if source.startswith(closer, j):
            return j, "".join(chars)
        chars.append(source[j])
        j += 1
    return -1, ""


def parse_markdown(source: str) -> tuple[str, list[JSONDict]]:
    """Parses Telegram's legacy Markdown (``*bold*``, ``_italic_``, `` `code` ``, links)."""
    out: list[str] = []
    pos = 0
    entities: list[JSONDict] = []
    n = len(source)
    i = 0
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.append(source[i + 1])
            pos += 1
            i += 2
            continue
        if ch in "_*`[":
            at = _byte_offset(source, i)
            if ch == "[":
                close = source.find("]", i + 1)
                if close < 0:
                    raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
                text = source[i + 1 : close]
                url = ""
                end = close + 1
                if source.startswith("(", close + 1):
                    url_end = source.find(")", close + 2)
                    if url_end < 0:
                        raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
                    url = source[close + 2 : url_end]
                    end = url_end + 1
                start = pos
                out.append(text)
                pos += utf16_len(text)
                if url and pos > start:
                    entities.append({"type": "text_link", "offset": start, "length": pos - start, "url": url})
                i = end
                continue
            closer = "```" if source.startswith("```", i) else ch
            close = source.find(closer, i + len(closer))
            if close < 0:
                raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
            text = source[i + len(closer) : close]
            etype = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[closer]
            start = pos
            out.append(text)
            pos += utf16_len(text)
            if pos > start:
                entities.append({"type": etype, "offset": start, "length": pos - start})
            i = close + len(closer)
            continue
        out.append(ch)
        pos += utf16_len(ch)
        i += 1
    return "".join(out), entities


_AUTO_ENTITY_RE: Final = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{4,32})"
    r"|(?P<hashtag>(?<![\w#])#\w+)"
    r"|(?P<url>\bhttps?://[^\s<>\"]+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+\.[\w.-]+\b)"
)


def auto_entities(text: str) -> list[JSONDict]:
    """Entities Telegram detects by itself in user-typed text (commands, mentions, URLs)."""
    result: list[JSONDict] = []
    for match in _AUTO_ENTITY_RE.finditer(text):
        kind = match.lastgroup or "url"
        result.append(
            {
                "type": kind,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return result


# --------------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------------

_INT_FIELDS: Final = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "icon_color",
        "reply_to_message_id",
        "cache_time",
        "max_connections",
        "until_date",
        "duration",
        "width",
        "height",
        "length",
        "live_period",
        "heading",
        "proximity_alert_radius",
    }
)
_FLOAT_FIELDS: Final = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_BOOL_FIELDS: Final = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "has_spoiler",
        "show_caption_above_media",
        "allow_paid_broadcast",
        "disable_content_type_detection",
        "supports_streaming",
        "remove_caption",
        "revoke_messages",
        "only_if_banned",
    }
)
_JSON_FIELDS: Final = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "scope",
        "commands",
        "allowed_updates",
        "entities",
        "caption_entities",
        "message_ids",
        "media",
        "menu_button",
        "rights",
        "reaction",
    }
)


def normalize_params(raw: dict[str, Any]) -> JSONDict:
    """Converts transport-level values (form strings, JSON strings) into typed values.

    Why: over HTTP every form value is a string, in-process they are typed; Telegram's server
    coerces by field, and so does the double, so both transports behave identically.
    """
    result: JSONDict = {}
    for name, value in raw.items():
        if isinstance(value, str):
            if name in _INT_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
                result[name] = int(value.strip())
                continue
            if name in _FLOAT_FIELDS:
                with contextlib.suppress(ValueError):
                    result[name] = float(value)
                    continue
            if name in _BOOL_FIELDS and value.lower() in ("true", "false", "1", "0"):
                result[name] = value.lower() in ("true", "1")
                continue
            if name in _JSON_FIELDS:
                try:
                    result[name] = json.loads(value)
                except ValueError:
                    result[name] = value
                continue
        result[name] = value
    return result


class _Params:
    """Typed access to one request's parameters, raising Telegram's errors on bad input."""

    def __init__(self, raw: JSONDict) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def get(self, name: str) -> Any:
        return self.raw.get(name)

    def int(self, name: str) -> int:
        value = self.opt_int(name)
        if value is None:
            raise _bad(f"{name} is empty")
        return value

    def opt_int(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _bad(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        raise _bad(f"invalid {name} specified")

    def str(self, name: str) -> str:
        value = self.opt_str(name)
        if value is None or value == "":
            raise _bad(f"{name} is empty")
        return value

    def opt_str(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str):
            return value
        raise _bad(f"field \"{name}\" must be of type String")

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", ""):
            return value.lower() in ("true", "1")
        raise _bad(f"field \"{name}\" must be of type Boolean")

    def float(self, name: str) -> float:
        value = self.raw.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return float(value)
        raise _bad(f"{name} is empty" if value is None else f"invalid {name} specified")

    def obj(self, name: str, what: str | None = None) -> JSONDict | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        if not isinstance(value, dict):
            raise _bad(f"can't parse {what or name} JSON object")
        return value

    def list(self, name: str, what: str | None = None) -> list[Any] | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list):
            raise _bad(f"can't parse {what or name} JSON array")
        return value


ChatRef: TypeAlias = "int | UserHandle | FakeChat"
MessageRef: TypeAlias = "StoredMessage | int"
_Handler: TypeAlias = Callable[[_Params], Awaitable[Any]]
