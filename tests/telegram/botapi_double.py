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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
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
    "auto_entities",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "serve_http",
    "utf16_len",
]

JSONDict: TypeAlias = dict[str, Any]

#: A syntactically valid token (digits, colon, 35 characters) that only this double accepts.
DEFAULT_TOKEN: Final[str] = "7000000001:AAEwegweiserTestDoubleToken00000000"
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

FaultKind: TypeAlias = Literal["429", "502", "500", "403", "400", "timeout", "lost_response", "network", "slow"]
_FAULT_KINDS: Final = frozenset({"429", "502", "500", "403", "400", "timeout", "lost_response", "network", "slow"})

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
            [b if isinstance(b, str) else str(b.get("text", "")) for b in row] for row in self.reply_markup["keyboard"]
        ]

    def button(self, text: str | None = None, callback_data: str | None = None) -> Button:
        """Finds one inline button by label or callback_data; AssertionError if absent."""
        for row in self.buttons:
            for b in row:
                if (text is None or b.text == text) and (callback_data is None or b.callback_data == callback_data):
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
    delay: float = 0.0


@dataclass
class _Response:
    """What a transport must do with a processed request."""

    status: int
    body: bytes
    content_type: str = "application/json"
    action: Literal["respond", "hang", "drop"] = "respond"
    call: ApiCall | None = None


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
            raise EntityParseError(f'Character ">" must be escaped as "&gt;" at byte offset {_byte_offset(source, i)}')
        out.append(ch)
        pos += utf16_len(ch)
        i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), _strip_private_keys(entities)


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
        return  # Telegram drops empty entities
    entity: JSONDict = {"type": _HTML_TAG_TYPES[tag.name], "offset": tag.start, "length": length}
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
    elif tag.name == "code":
        # remembered only so that an enclosing <pre> can take the language over
        cls = tag.attrs.get("class", "")
        if cls.startswith("language-") and len(cls) > len("language-"):
            entity["_language"] = cls[len("language-") :]
    elif tag.name == "pre":
        # <pre><code class="language-x">...</code></pre> is a single pre entity with a language
        for inner in entities:
            if inner["type"] == "code" and inner["offset"] == tag.start and inner["length"] == length:
                entities.remove(inner)
                if "_language" in inner:
                    entity["language"] = inner["_language"]
                break
    entities.append(entity)


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
            if pos - 1 > quote_start:  # the quotation ends before the newline
                entities.append({"type": "blockquote", "offset": quote_start, "length": pos - 1 - quote_start})
            quote_start = None
        line_start = False
        if ch == "\\":
            if i + 1 < n and 0 < ord(source[i + 1]) < 127:
                emit(source[i + 1])
                i += 2
                continue
            raise EntityParseError("Character '\\' is reserved and must be escaped with the preceding '\\'")
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
                    entities.append(
                        {"type": "custom_emoji", "offset": start, "length": pos - start, "custom_emoji_id": emoji_id}
                    )
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
            if (
                quote_start is not None
                and (i + 2 >= n or source[i + 2] == "\n")
                and not any(t == "spoiler" for t, _, _ in stack)
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

    def integer(self, name: str) -> int:
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

    def string(self, name: str) -> str:
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
        raise _bad(f'field "{name}" must be of type String')

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", ""):
            return value.lower() in ("true", "1")
        raise _bad(f'field "{name}" must be of type Boolean')

    def number(self, name: str) -> float:
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

    def array(self, name: str, what: str | None = None) -> list[Any] | None:
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


_INLINE_BUTTON_ACTIONS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_MEDIA_KINDS: Final = ("photo", "document", "video", "audio", "voice", "animation", "sticker", "video_note")
_CAPTIONLESS_KINDS: Final = frozenset({"text", "sticker", "video_note", "location", "contact", "service"})
_ADMIN_RIGHTS: Final[JSONDict] = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}
_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
_QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"


def _json_copy(value: Any) -> Any:
    """Why: updates and results must be snapshots, never aliases of mutable state."""
    return json.loads(json.dumps(value, ensure_ascii=False))


class FakeTelegram:
    """The in-memory Telegram world of one bot: users, chats, topics, messages and updates.

    Why one object: both transports and the test-side helpers must see the same state, exactly as
    the bot and the humans share one Telegram.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = BOT_USERNAME,
        bot_first_name: str = BOT_FIRST_NAME,
        can_join_groups: bool = True,
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = False,
    ) -> None:
        if not _TOKEN_RE.match(token):
            raise ValueError(f"not a syntactically valid bot token: {token!r}")
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.can_join_groups = can_join_groups
        self.can_read_all_group_messages = can_read_all_group_messages
        self.supports_inline_queries = supports_inline_queries

        self.users: dict[int, UserHandle] = {}
        self.chats: dict[int, FakeChat] = {}
        self.files: dict[str, FileRecord] = {}
        self.calls: list[ApiCall] = []
        self.unknown_methods: list[str] = []
        self.chat_actions: list[tuple[int, int | None, str]] = []
        self.callback_queries: dict[str, _CallbackQuery] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.webhook: JSONDict | None = None
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        #: Seconds after which a callback query can no longer be answered (None: never expires).
        self.callback_query_ttl: float | None = None
        #: Upper bound for "never answer" faults, so a forgotten fault cannot hang a test run.
        self.hang_limit: float = 30.0

        self._updates: list[JSONDict] = []
        self._next_update_id = 100_000
        self._delivered_upto = 0
        self._poll_generation = 0
        self._waiters: list[asyncio.Future[None]] = []
        self._faults: list[_Fault] = []
        self._flood_per_second: int | None = None
        self._flood_group_per_minute: int | None = None
        self._flood_retry_after: int | None = None
        self._flood_log: dict[int, deque[float]] = {}
        self._reply_cursors: dict[tuple[int, int | None], int] = {}
        self._call_cursors: dict[str, int] = {}
        self._serial = itertools.count(1)
        self._handlers: dict[str, _Handler] = self._build_handlers()
        self._canonical: dict[str, str] = {name.lower(): name for name in self._handlers}

    # ---------------------------------------------------------------- identities

    @property
    def bot_user(self) -> JSONDict:
        """The bot as a ``User`` (as it appears in ``from`` of its messages)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def get_me(self) -> JSONDict:
        """What getMe answers."""
        return {
            **self.bot_user,
            "can_join_groups": self.can_join_groups,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # ---------------------------------------------------------------- test side: the world

    def user(
        self,
        id: int,
        first_name: str,
        language_code: str | None = "de",
        username: str | None = None,
        *,
        last_name: str | None = None,
        is_premium: bool = False,
        started: bool = False,
    ) -> UserHandle:
        """Creates (or returns the existing) user. ``started``: already has a private chat with the bot."""
        if id <= 0:
            raise ValueError("user ids are positive")
        if id == self.bot_id:
            raise ValueError("that id belongs to the bot")
        existing = self.users.get(id)
        if existing is not None:
            return existing
        handle = UserHandle(id, first_name, last_name, username, language_code, is_premium=is_premium)
        self.users[id] = handle
        self.chats[id] = FakeChat(id=id, type="private", user=handle, started=started)
        return handle

    def group(
        self,
        id: int,
        title: str,
        members: Iterable[UserHandle] = (),
        admins: Iterable[UserHandle] = (),
        *,
        owner: UserHandle | None = None,
        bot_is_admin: bool = False,
        bot_rights: JSONDict | None = None,
        announce: bool = False,
    ) -> FakeChat:
        """A basic (non-super) group the bot is in."""
        if id >= 0:
            raise ValueError("group chat ids are negative")
        return self._new_group(
            id, "group", title, members, admins, owner, bot_is_admin, bot_rights, False, None, announce
        )

    def supergroup(
        self,
        id: int,
        title: str,
        members: Iterable[UserHandle] = (),
        admins: Iterable[UserHandle] = (),
        *,
        forum: bool = False,
        owner: UserHandle | None = None,
        bot_is_admin: bool = True,
        bot_rights: JSONDict | None = None,
        username: str | None = None,
        announce: bool = False,
    ) -> FakeChat:
        """A supergroup (ids look like -100xxxxxxxxxx, as in Telegram)."""
        if not str(id).startswith("-100") or len(str(id)) < 8:
            raise ValueError("supergroup ids look like -100xxxxxxxxxx")
        return self._new_group(
            id, "supergroup", title, members, admins, owner, bot_is_admin, bot_rights, forum, username, announce
        )

    def forum_group(
        self,
        id: int,
        title: str,
        members: Iterable[UserHandle] = (),
        admins: Iterable[UserHandle] = (),
        *,
        owner: UserHandle | None = None,
        bot_is_admin: bool = True,
        bot_rights: JSONDict | None = None,
        username: str | None = None,
        announce: bool = False,
    ) -> FakeChat:
        """A supergroup with topics enabled; by default the bot is an admin that may manage topics."""
        return self.supergroup(
            id,
            title,
            members,
            admins,
            forum=True,
            owner=owner,
            bot_is_admin=bot_is_admin,
            bot_rights=bot_rights,
            username=username,
            announce=announce,
        )

    def _new_group(
        self,
        id: int,
        type_: Literal["group", "supergroup"],
        title: str,
        members: Iterable[UserHandle],
        admins: Iterable[UserHandle],
        owner: UserHandle | None,
        bot_is_admin: bool,
        bot_rights: JSONDict | None,
        forum: bool,
        username: str | None,
        announce: bool,
    ) -> FakeChat:
        if id in self.chats:
            raise ValueError(f"chat {id} already exists")
        chat = FakeChat(id=id, type=type_, title=title, username=username, is_forum=forum)
        for member in members:
            self._known(member)
            chat.members[member.id] = "member"
        for admin in admins:
            self._known(admin)
            chat.members[admin.id] = "administrator"
        if owner is not None:
            self._known(owner)
            chat.members[owner.id] = "creator"
        chat.bot_status = "administrator" if bot_is_admin else "member"
        chat.bot_rights = {**_ADMIN_RIGHTS, **(bot_rights or {})} if bot_is_admin else {}
        self.chats[id] = chat
        if announce:
            by = owner or next((self.users[u] for u in chat.admins), None)
            self._enqueue_my_chat_member(chat, by, {"status": "left"}, self._bot_member_json(chat))
        return chat

    def _known(self, user: UserHandle) -> None:
        if self.users.get(user.id) is not user:
            raise ValueError(f"user {user.id} was not created with fake.user()")

    def add_member(self, chat: ChatRef, user: UserHandle, *, status: str = "member") -> StoredMessage | None:
        """A user joins a group; the bot sees a ``new_chat_members`` service message."""
        group = self._group(chat)
        self._known(user)
        old = group.members.get(user.id, "left")
        group.members[user.id] = status
        self._enqueue_chat_member(group, user, old, status)
        return self._service_message(group, None, {"new_chat_members": [user.to_dict()]}, sender=user.to_dict())

    def remove_member(self, chat: ChatRef, user: UserHandle) -> StoredMessage | None:
        """A user leaves a group; the bot sees a ``left_chat_member`` service message."""
        group = self._group(chat)
        old = group.members.pop(user.id, "left")
        self._enqueue_chat_member(group, user, old, "left")
        return self._service_message(group, None, {"left_chat_member": user.to_dict()}, sender=user.to_dict())

    def set_member_status(self, chat: ChatRef, user: UserHandle, status: str, *, by: UserHandle | None = None) -> None:
        """An admin promotes, restricts, removes or bans a member (no service message, as in Telegram);
        an admin bot that asked for ``chat_member`` updates gets one."""
        group = self._group(chat)
        self._known(user)
        old = group.members.get(user.id, "left")
        if status in ("left", "kicked"):
            group.members.pop(user.id, None)
        else:
            group.members[user.id] = status
        self._enqueue_chat_member(group, user, old, status, by=by)

    def _enqueue_chat_member(
        self, group: FakeChat, user: UserHandle, old: str, new: str, *, by: UserHandle | None = None
    ) -> None:
        """Telegram sends chat_member updates only to admin bots (and only when allowed_updates asks)."""
        if group.bot_status != "administrator":
            return
        self._enqueue(
            "chat_member",
            {
                "chat": group.to_dict(),
                "from": (by or user).to_dict(),
                "date": int(time.time()),
                "old_chat_member": self._member_json(user.to_dict(), old),
                "new_chat_member": self._member_json(user.to_dict(), new),
            },
        )

    def set_bot_status(
        self,
        chat: ChatRef,
        status: Literal["member", "administrator", "left", "kicked"],
        *,
        by: UserHandle | None = None,
        rights: JSONDict | None = None,
    ) -> None:
        """Promotes, demotes, removes or bans the bot in a group (with a my_chat_member update)."""
        group = self._group(chat)
        old = self._bot_member_json(group)
        group.bot_status = status
        group.bot_rights = {**_ADMIN_RIGHTS, **(rights or {})} if status == "administrator" else {}
        self._enqueue_my_chat_member(group, by, old, self._bot_member_json(group))

    def kick_bot(self, chat: ChatRef, *, by: UserHandle | None = None) -> None:
        """Removes and bans the bot from a group; later sends there get 403."""
        self.set_bot_status(chat, "kicked", by=by)

    def migrate_to_supergroup(self, chat: ChatRef, new_id: int) -> FakeChat:
        """Upgrades a basic group; sends to the old id then fail with migrate_to_chat_id (ChatMigrated)."""
        old = self._group(chat)
        if old.type != "group":
            raise ValueError("only basic groups migrate")
        new = self.supergroup(new_id, old.title or "", bot_is_admin=old.bot_is_admin, bot_rights=old.bot_rights)
        new.members = dict(old.members)
        old.migrated_to = new_id
        self._service_message(old, None, {"migrate_to_chat_id": new_id})
        self._service_message(new, None, {"migrate_from_chat_id": old.id})
        return new

    def create_topic(
        self,
        chat: ChatRef,
        name: str,
        *,
        by: UserHandle | None = None,
        icon_color: int = TOPIC_ICON_COLORS[0],
    ) -> ForumTopic:
        """A human creates a forum topic (the bot sees the ``forum_topic_created`` service message)."""
        group = self._group(chat)
        if not group.is_forum:
            raise ValueError(f"chat {group.id} is not a forum")
        creator = by.to_dict() if by is not None else None
        return self._create_topic(group, name, icon_color, None, creator, by_bot=False)

    def delete_topic(self, chat: ChatRef, thread_id: int) -> None:
        """A human deletes a topic and all its messages; Telegram sends the bot no update for this."""
        group = self._group(chat)
        topic = group.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ValueError(f"no topic {thread_id} in chat {group.id}")
        self._delete_topic(group, topic)

    def close_topic(self, chat: ChatRef, thread_id: int, *, by: UserHandle | None = None) -> None:
        """A human closes a topic (service message ``forum_topic_closed``)."""
        group = self._group(chat)
        topic = group.topic(thread_id)
        topic.closed = True
        self._service_message(group, thread_id, {"forum_topic_closed": {}}, sender=by.to_dict() if by else None)

    def reopen_topic(self, chat: ChatRef, thread_id: int, *, by: UserHandle | None = None) -> None:
        """A human reopens a topic (service message ``forum_topic_reopened``)."""
        group = self._group(chat)
        topic = group.topic(thread_id)
        topic.closed = False
        self._service_message(group, thread_id, {"forum_topic_reopened": {}}, sender=by.to_dict() if by else None)

    def topics(self, chat: ChatRef, *, include_deleted: bool = False) -> list[ForumTopic]:
        """The forum topics of a supergroup."""
        group = self._group(chat)
        return [t for t in group.topics.values() if include_deleted or not t.deleted]

    def block_bot(self, user: UserHandle) -> None:
        """The user blocks the bot: my_chat_member 'kicked' update; sends then get 403."""
        chat = self._private_chat(user)
        if chat.blocked:
            raise ValueError(f"user {user.id} has already blocked the bot")
        chat.blocked = True
        self._enqueue_my_chat_member(
            chat,
            user,
            {"user": self.bot_user, "status": "member"},
            {"user": self.bot_user, "status": "kicked", "until_date": 0},
        )

    def unblock_bot(self, user: UserHandle) -> None:
        """The user unblocks (restarts) the bot: my_chat_member 'member' update."""
        chat = self._private_chat(user)
        if not chat.blocked:
            raise ValueError(f"user {user.id} has not blocked the bot")
        chat.blocked = False
        chat.started = True
        self._enqueue_my_chat_member(
            chat,
            user,
            {"user": self.bot_user, "status": "kicked", "until_date": 0},
            {"user": self.bot_user, "status": "member"},
        )

    # ---------------------------------------------------------------- test side: users act

    def send_text(
        self,
        user: UserHandle,
        text: str,
        *,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
        entities: list[JSONDict] | None = None,
    ) -> StoredMessage:
        """The user sends a text (to the bot's private chat unless ``chat`` is given); ``entities``: the
        formatting a client adds (bold, hidden links...), on top of the links Telegram finds itself."""
        if not text:
            raise ValueError("Telegram clients cannot send empty messages")
        found = auto_entities(text) + list(entities or [])
        return self._user_message(user, chat, thread_id, reply_to, "text", text=text, entities=found)

    def send_text_in_group(
        self, user: UserHandle, group: ChatRef, text: str, *, reply_to: MessageRef | None = None
    ) -> StoredMessage:
        """The user writes in a (non-forum part of a) group."""
        return self.send_text(user, text, chat=group, reply_to=reply_to)

    def send_text_in_topic(
        self,
        user: UserHandle,
        group: ChatRef,
        thread_id: int,
        text: str,
        *,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user writes in a forum topic."""
        return self.send_text(user, text, chat=group, thread_id=thread_id, reply_to=reply_to)

    def send_photo(
        self,
        user: UserHandle,
        *,
        caption: str | None = None,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
        file_id: str | None = None,
    ) -> StoredMessage:
        """The user sends a photo (optionally re-using a known photo file_id)."""
        rec = (
            self._existing_file(file_id, "photo")
            if file_id
            else self._register_file("photo", size=48_213, width=1280, height=960, content=b"\xff\xd8\xff\xe0fake-jpeg")
        )
        return self._user_message(
            user, chat, thread_id, reply_to, "photo", caption=caption, media=self._media_payload("photo", rec)
        )

    def send_photo_in_topic(
        self, user: UserHandle, group: ChatRef, thread_id: int, *, caption: str | None = None
    ) -> StoredMessage:
        """The user sends a photo into a forum topic."""
        return self.send_photo(user, caption=caption, chat=group, thread_id=thread_id)

    def send_document(
        self,
        user: UserHandle,
        *,
        file_name: str = "dokument.pdf",
        mime_type: str = "application/pdf",
        content: bytes = b"%PDF-1.4 fake document",
        caption: str | None = None,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user sends a document."""
        rec = self._register_file("document", content=content, file_name=file_name, mime_type=mime_type)
        return self._user_message(
            user, chat, thread_id, reply_to, "document", caption=caption, media=self._media_payload("document", rec)
        )

    def send_voice(
        self,
        user: UserHandle,
        *,
        duration: int = 3,
        caption: str | None = None,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user sends a voice message."""
        rec = self._register_file("voice", content=b"OggS fake voice", mime_type="audio/ogg", duration=duration)
        return self._user_message(
            user, chat, thread_id, reply_to, "voice", caption=caption, media=self._media_payload("voice", rec)
        )

    def send_video(
        self,
        user: UserHandle,
        *,
        duration: int = 5,
        caption: str | None = None,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user sends a video."""
        rec = self._register_file(
            "video", content=b"fake mp4", mime_type="video/mp4", duration=duration, width=640, height=360
        )
        return self._user_message(
            user, chat, thread_id, reply_to, "video", caption=caption, media=self._media_payload("video", rec)
        )

    def send_sticker(
        self,
        user: UserHandle,
        *,
        emoji: str = "👍",
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user sends a sticker."""
        rec = self._register_file("sticker", content=b"RIFF fake webp", width=512, height=512)
        media = self._media_payload("sticker", rec)
        media["sticker"]["emoji"] = emoji
        return self._user_message(user, chat, thread_id, reply_to, "sticker", media=media)

    def send_location(
        self,
        user: UserHandle,
        latitude: float = 51.0634,
        longitude: float = 6.0957,
        *,
        chat: ChatRef | None = None,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
    ) -> StoredMessage:
        """The user shares a location (default: Heinsberg)."""
        media = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._user_message(user, chat, thread_id, reply_to, "location", media=media)

    def send_contact(
        self,
        user: UserHandle,
        phone_number: str = "+4924521234567",
        *,
        chat: ChatRef | None = None,
    ) -> StoredMessage:
        """The user shares their own contact."""
        media = {"contact": {"phone_number": phone_number, "first_name": user.first_name, "user_id": user.id}}
        return self._user_message(user, chat, None, None, "contact", media=media)

    def edit_text(
        self, user: UserHandle, message: MessageRef, text: str, *, chat: ChatRef | None = None
    ) -> StoredMessage:
        """The user edits one of their text messages (``edited_message`` update)."""
        msg = self._message_ref(message, chat if chat is not None else user)
        if msg.sender is None or msg.sender.get("id") != user.id or msg.kind != "text":
            raise ValueError("users can only edit their own text messages")
        if not text:
            raise ValueError("empty text")
        msg.history.append(self.message_json(msg, nested=True))
        msg.text = text
        msg.entities = auto_entities(text)
        msg.edit_date = int(time.time())
        group = self.chats[msg.chat_id]
        if self._bot_receives(group, msg):
            self._enqueue("edited_message", self.message_json(msg))
        return msg

    def press_button(
        self,
        user: UserHandle,
        message: MessageRef,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        chat: ChatRef | None = None,
    ) -> str:
        """The user taps an inline button of a bot message; returns the callback query id."""
        msg = self._message_ref(message, chat if chat is not None else user)
        if msg.deleted:
            raise AssertionError(f"message {msg.message_id} was deleted; its buttons cannot be pressed")
        if not msg.from_bot:
            raise AssertionError("only the bot's messages carry the bot's inline keyboards")
        if callback_data is None and text is None:
            raise ValueError("give callback_data or text")
        button = msg.button(text=text, callback_data=callback_data)
        if button.callback_data is None:
            raise AssertionError(f"button {button.text!r} has no callback_data (url button?)")
        group = self.chats[msg.chat_id]
        if group.type == "private":
            if group.id != user.id:
                raise ValueError("a user can only press buttons in their own private chat")
            if group.blocked:
                raise ValueError(f"user {user.id} has blocked the bot")
        elif group.members.get(user.id) not in ("creator", "administrator", "member", "restricted"):
            raise ValueError(f"user {user.id} is not a member of chat {group.id}")
        query_id = str(4_000_000_000_000_000_000 + next(self._serial))
        self.callback_queries[query_id] = _CallbackQuery(
            query_id, user.id, msg.chat_id, msg.message_id, button.callback_data, time.monotonic()
        )
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_dict(),
                "message": self.message_json(msg),
                "chat_instance": str(abs(msg.chat_id * 7919 + self.bot_id) % 10**18),
                "data": button.callback_data,
            },
        )
        return query_id

    def forge_callback(
        self,
        user: UserHandle,
        message: MessageRef,
        data: str,
        *,
        chat: ChatRef | None = None,
        inaccessible: bool = False,
    ) -> str:
        """A modified client sends arbitrary callback data on a message it can see (no check that the
        message carries such a button); returns the callback query id. ``inaccessible``: the update
        carries an InaccessibleMessage (date 0, no content), as Telegram sends for messages the bot
        can no longer access."""
        msg = self._message_ref(message, chat if chat is not None else user)
        self._known(user)
        query_id = str(4_000_000_000_000_000_000 + next(self._serial))
        self.callback_queries[query_id] = _CallbackQuery(
            query_id, user.id, msg.chat_id, msg.message_id, data, time.monotonic()
        )
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_dict(),
                "message": self.message_json(msg),
                "chat_instance": str(abs(msg.chat_id * 7919 + self.bot_id) % 10**18),
                "data": data,
                **(
                    {"message": {"chat": self.chats[msg.chat_id].to_dict(), "message_id": msg.message_id, "date": 0}}
                    if inaccessible
                    else {}
                ),
            },
        )
        return query_id

    def callback_answer(self, query_id: str) -> JSONDict | None:
        """How the bot answered a callback query (text, show_alert, url, cache_time), or None."""
        query = self.callback_queries.get(query_id)
        return None if query is None else query.answer

    def _user_message(
        self,
        user: UserHandle,
        chat_ref: ChatRef | None,
        thread_id: int | None,
        reply_to: MessageRef | None,
        kind: str,
        *,
        text: str | None = None,
        entities: list[JSONDict] | None = None,
        caption: str | None = None,
        media: JSONDict | None = None,
    ) -> StoredMessage:
        self._known(user)
        chat = self._private_chat(user) if chat_ref is None else self._chat(chat_ref)
        if chat.type == "private":
            if chat.id != user.id:
                raise ValueError("users write to the bot in their own private chat")
            if chat.blocked:
                raise ValueError(f"user {user.id} has blocked the bot; call unblock_bot() first")
            chat.started = True
        else:
            if chat.migrated_to is not None:
                raise ValueError(f"chat {chat.id} was migrated to {chat.migrated_to}")
            status = chat.members.get(user.id)
            if status not in ("creator", "administrator", "member", "restricted"):
                raise ValueError(f"user {user.id} is not a member of chat {chat.id}")
        if thread_id is not None:
            if not chat.is_forum:
                raise ValueError(f"chat {chat.id} has no topics")
            topic = chat.topics.get(thread_id)
            if topic is None or topic.deleted:
                raise ValueError(f"topic {thread_id} does not exist in chat {chat.id}")
            if topic.closed and chat.members.get(user.id) not in ("creator", "administrator"):
                raise ValueError(f"topic {thread_id} is closed")
        reply: StoredMessage | None = None
        if reply_to is not None:
            reply = self._message_ref(reply_to, chat)
            if reply.deleted:
                raise ValueError("cannot reply to a deleted message")
            if thread_id is None and chat.is_forum:
                # A reply inherits the topic; in General, Telegram reports the reply chain's root as
                # message_thread_id although it is no topic (is_topic_message stays unset).
                thread_id = reply.thread_id if reply.thread_id is not None else reply.message_id
        is_topic = thread_id is not None and thread_id in chat.topics
        if caption is not None and utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise ValueError("caption too long for a Telegram client")
        if text is not None and utf16_len(text) > MAX_TEXT_LENGTH:
            raise ValueError("text too long for a Telegram client")
        msg = StoredMessage(
            chat_id=chat.id,
            message_id=self._next_message_id(chat),
            date=int(time.time()),
            sender=user.to_dict(),
            from_bot=False,
            kind=kind,
            thread_id=thread_id,
            is_topic_message=is_topic,
            text=text,
            entities=entities or [],
            caption=caption,
            caption_entities=auto_entities(caption) if caption else [],
            media=media or {},
            reply_to_message_id=reply.message_id if reply is not None else thread_id,
        )
        chat.messages[msg.message_id] = msg
        if self._bot_receives(chat, msg):
            self._enqueue("message", self.message_json(msg))
        self._notify()
        return msg

    def _bot_receives(self, chat: FakeChat, msg: StoredMessage) -> bool:
        """Privacy mode: in groups a bot only sees commands, replies to it, mentions and service messages."""
        if chat.type == "private":
            return not chat.blocked
        if chat.bot_status not in ("member", "administrator"):
            return False
        if self.can_read_all_group_messages or chat.bot_is_admin or msg.is_service:
            return True
        body = msg.text if msg.text is not None else (msg.caption or "")
        ents = msg.entities if msg.text is not None else msg.caption_entities
        for ent in ents:
            if ent["type"] == "bot_command" and ent["offset"] == 0:
                command = body[: ent["length"]]
                if "@" not in command or command.split("@", 1)[1].lower() == self.bot_username.lower():
                    return True
            if ent["type"] == "mention" and f"@{self.bot_username}".lower() in body.lower():
                return True
        implicit_topic_root = msg.is_topic_message and msg.reply_to_message_id == msg.thread_id
        if msg.reply_to_message_id is not None and not implicit_topic_root:
            replied = chat.messages.get(msg.reply_to_message_id)
            if replied is not None and replied.from_bot:
                return True
        return False

    # ---------------------------------------------------------------- test side: observe

    def sent_to(
        self, chat: ChatRef, thread_id: int | None = None, *, include_deleted: bool = False
    ) -> list[StoredMessage]:
        """Messages the bot sent to a chat (all threads unless ``thread_id``), oldest first."""
        return self._bot_messages(self._chat_id(chat), thread_id, include_deleted=include_deleted)

    def sent_to_general(self, chat: ChatRef, *, include_deleted: bool = False) -> list[StoredMessage]:
        """Bot messages in a forum's General topic (i.e. without message_thread_id)."""
        return [m for m in self.sent_to(chat, include_deleted=include_deleted) if m.thread_id is None]

    def last_sent(self, chat: ChatRef, thread_id: int | None = None) -> StoredMessage | None:
        """The newest live bot message in a chat/thread, if any."""
        sent = self.sent_to(chat, thread_id)
        return sent[-1] if sent else None

    def messages_in(
        self, chat: ChatRef, thread_id: int | None = None, *, include_deleted: bool = False
    ) -> list[StoredMessage]:
        """Every message (users, bot, service) in a chat/thread, oldest first."""
        group = self.chats.get(self._chat_id(chat))
        if group is None:
            return []
        return [
            m
            for m in group.messages.values()
            if (include_deleted or not m.deleted) and (thread_id is None or m.thread_id == thread_id)
        ]

    def message(self, chat: ChatRef, message_id: int) -> StoredMessage:
        """One stored message by chat and id (KeyError if unknown)."""
        return self.chats[self._chat_id(chat)].messages[message_id]

    def calls_to(self, method: str) -> list[ApiCall]:
        """All calls of one Bot API method (case-insensitive name)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def failed_calls(self) -> list[ApiCall]:
        """Calls that got an error answer (useful in assertion messages)."""
        return [c for c in self.calls if c.status and not c.ok]

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot through getUpdates' offset."""
        return _json_copy(self._updates)  # type: ignore[no-any-return]

    def bot_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[tuple[str, str]]:
        """The bot's command list for exactly this scope and language, as (command, description)."""
        key = self._scope_key(scope)
        return [(c["command"], c["description"]) for c in self.commands.get((key, language_code), [])]

    def _bot_messages(self, chat_id: int, thread_id: int | None, *, include_deleted: bool) -> list[StoredMessage]:
        group = self.chats.get(chat_id)
        if group is None:
            return []
        return [
            m
            for m in group.messages.values()
            if m.from_bot
            and not m.is_service
            and (include_deleted or not m.deleted)
            and (thread_id is None or m.thread_id == thread_id)
        ]

    async def wait_for_reply(
        self,
        chat: ChatRef,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout is this helper's contract
        *,
        thread_id: int | None = None,
    ) -> list[StoredMessage]:
        """Waits for the next ``count`` bot messages in a chat (thread) and returns them.

        "Next" means not yet returned by an earlier wait_for_reply for the same chat and thread, so a
        reply the bot sent before the wait started is not missed. AssertionError on timeout.
        """
        chat_id = self._chat_id(chat)
        key = (chat_id, thread_id)
        start = self._reply_cursors.get(key, 0)

        def arrived() -> bool:
            return len(self._bot_messages(chat_id, thread_id, include_deleted=True)) >= start + count

        if not await self._wait_for(arrived, timeout):
            got = self._bot_messages(chat_id, thread_id, include_deleted=True)[start:]
            errors = [f"{c.method}: {c.description}" for c in self.failed_calls()[-5:]]
            raise AssertionError(
                f"expected {count} new bot message(s) in chat {chat_id} thread {thread_id} within "
                f"{timeout}s, got {len(got)}: {got!r}; recent failed calls: {errors}"
            )
        self._reply_cursors[key] = start + count
        return self._bot_messages(chat_id, thread_id, include_deleted=True)[start : start + count]

    async def expect_no_reply(self, chat: ChatRef, within: float = 0.3, *, thread_id: int | None = None) -> None:
        """Asserts the bot sends nothing new to a chat (thread) for ``within`` seconds."""
        chat_id = self._chat_id(chat)
        start = self._reply_cursors.get((chat_id, thread_id), 0)
        if await self._wait_for(
            lambda: len(self._bot_messages(chat_id, thread_id, include_deleted=True)) > start, within
        ):
            extra = self._bot_messages(chat_id, thread_id, include_deleted=True)[start:]
            raise AssertionError(f"bot unexpectedly sent to chat {chat_id} thread {thread_id}: {extra!r}")

    def skip_replies(self, chat: ChatRef, *, thread_id: int | None = None) -> None:
        """Marks everything the bot sent so far to a chat (thread) as seen by wait_for_reply."""
        chat_id = self._chat_id(chat)
        self._reply_cursors[(chat_id, thread_id)] = len(self._bot_messages(chat_id, thread_id, include_deleted=True))

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout is this helper's contract
        *,
        ok: bool | None = None,
    ) -> list[ApiCall]:
        """Waits for the next ``count`` completed calls of a method (cursor per method, like wait_for_reply)."""
        name = method.lower()
        start = self._call_cursors.get(name, 0)

        def matching() -> list[ApiCall]:
            return [c for c in self.calls if c.method.lower() == name and c.status and (ok is None or c.ok == ok)]

        if not await self._wait_for(lambda: len(matching()) >= start + count, timeout):
            raise AssertionError(
                f"expected {count} more call(s) of {method} within {timeout}s, got {matching()[start:]!r}"
            )
        self._call_cursors[name] = start + count
        return matching()[start : start + count]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout is this helper's contract
        message: str = "condition",
    ) -> None:
        """Waits until ``predicate()`` holds (re-checked on every state change)."""
        if not await self._wait_for(predicate, timeout):
            raise AssertionError(f"{message} not met within {timeout}s")

    async def wait_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout is this helper's contract
        quiet: float = 0.2,
    ) -> None:
        """Waits until every update was delivered and the bot made no call but getUpdates for ``quiet`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            undelivered = any(u["update_id"] > self._delivered_upto for u in self._updates)
            busy = [c for c in self.calls if c.method != "getUpdates"]
            idle_for = time.monotonic() - busy[-1].at if busy else math.inf
            if not undelivered and idle_for >= quiet:
                return
            if loop.time() >= deadline:
                raise AssertionError(f"bot not idle within {timeout}s (undelivered updates: {undelivered})")
            await asyncio.sleep(0.01)

    # ---------------------------------------------------------------- test side: faults

    def fail_next(
        self,
        method: str,
        kind: FaultKind = "429",
        times: int = 1,
        retry_after: int = 3,
        *,
        description: str | None = None,
        delay: float = 7.0,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` ("*" = any) fail.

        Kinds: "429" (flood, parameters.retry_after), "502" (HTML body like a proxy), "500", "403",
        "400", "timeout" (never answered, not processed), "lost_response" (processed, answer lost),
        "network" (connection dropped, not processed), "slow" (processed at once, answered after ``delay``
        seconds, as Telegram does under load).
        """
        if kind not in _FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        self._faults.append(_Fault(method.lower(), kind, times, retry_after, description, delay))

    def clear_faults(self) -> None:
        """Drops all pending injected faults."""
        self._faults.clear()

    def flood(
        self,
        per_chat_per_second: int | None = 1,
        *,
        group_per_minute: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Enables Telegram-like flood control for message-creating methods (None, None: off).

        More than ``per_chat_per_second`` messages to one chat within a second (or more than
        ``group_per_minute`` to one group within a minute) get 429 with a retry_after that, if not
        given, is the real time until the window frees up.
        """
        self._flood_per_second = per_chat_per_second
        self._flood_group_per_minute = group_per_minute
        self._flood_retry_after = retry_after
        self._flood_log.clear()

    def no_flood(self) -> None:
        """Switches flood control off."""
        self.flood(None, group_per_minute=None)

    # ---------------------------------------------------------------- internals: state helpers

    def _chat_id(self, chat: ChatRef) -> int:
        if isinstance(chat, UserHandle | FakeChat):
            return chat.id
        return int(chat)

    def _chat(self, chat: ChatRef) -> FakeChat:
        chat_id = self._chat_id(chat)
        found = self.chats.get(chat_id)
        if found is None:
            raise ValueError(f"unknown chat {chat_id}")
        return found

    def _group(self, chat: ChatRef) -> FakeChat:
        found = self._chat(chat)
        if found.type == "private":
            raise ValueError(f"chat {found.id} is a private chat, not a group")
        return found

    def _private_chat(self, user: UserHandle) -> FakeChat:
        self._known(user)
        return self.chats[user.id]

    def _message_ref(self, message: MessageRef, chat: ChatRef | None) -> StoredMessage:
        if isinstance(message, StoredMessage):
            return self.chats[message.chat_id].messages[message.message_id]
        if chat is None:
            raise ValueError("a message id needs a chat")
        found = self._chat(chat).messages.get(message)
        if found is None:
            raise ValueError(f"no message {message} in chat {self._chat_id(chat)}")
        return found

    def _next_message_id(self, chat: FakeChat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def _service_message(
        self,
        chat: FakeChat,
        thread_id: int | None,
        service: JSONDict,
        *,
        sender: JSONDict | None = None,
        from_bot: bool = False,
    ) -> StoredMessage | None:
        msg = StoredMessage(
            chat_id=chat.id,
            message_id=self._next_message_id(chat),
            date=int(time.time()),
            sender=self.bot_user if from_bot else sender,
            from_bot=from_bot,
            kind="service",
            thread_id=thread_id,
            is_topic_message=thread_id is not None,
            service=service,
            reply_to_message_id=thread_id if thread_id is not None and thread_id in chat.messages else None,
        )
        chat.messages[msg.message_id] = msg
        if not from_bot and self._bot_receives(chat, msg):
            self._enqueue("message", self.message_json(msg))
        self._notify()
        return msg

    def _create_topic(
        self,
        chat: FakeChat,
        name: str,
        icon_color: int,
        icon_custom_emoji_id: str | None,
        creator: JSONDict | None,
        *,
        by_bot: bool,
    ) -> ForumTopic:
        thread_id = chat.next_message_id
        topic = ForumTopic(
            thread_id,
            name,
            icon_color,
            icon_custom_emoji_id,
            created_by=self.bot_id if by_bot else int((creator or {}).get("id", 0)),
        )
        chat.topics[thread_id] = topic
        created: JSONDict = {"name": name, "icon_color": icon_color}
        if icon_custom_emoji_id:
            created["icon_custom_emoji_id"] = icon_custom_emoji_id
        self._service_message(chat, thread_id, {"forum_topic_created": created}, sender=creator, from_bot=by_bot)
        return topic

    def _delete_topic(self, chat: FakeChat, topic: ForumTopic) -> None:
        topic.deleted = True
        for msg in chat.messages.values():
            if msg.thread_id == topic.thread_id:
                msg.deleted = True
        self._notify()

    def _bot_member_json(self, chat: FakeChat) -> JSONDict:
        return self._member_json(self.bot_user, chat.bot_status, chat.bot_rights)

    def _member_json(self, user: JSONDict, status: str, rights: JSONDict | None = None) -> JSONDict:
        if status == "administrator":
            return {
                "user": user,
                "status": status,
                "can_be_edited": False,
                "is_anonymous": False,
                **{**_ADMIN_RIGHTS, **(rights or {})},
            }
        if status == "creator":
            return {"user": user, "status": status, "is_anonymous": False}
        if status == "kicked":
            return {"user": user, "status": status, "until_date": 0}
        if status == "restricted":
            perms = dict.fromkeys(
                (
                    "can_send_messages",
                    "can_send_audios",
                    "can_send_documents",
                    "can_send_photos",
                    "can_send_videos",
                    "can_send_video_notes",
                    "can_send_voice_notes",
                    "can_send_polls",
                    "can_send_other_messages",
                    "can_add_web_page_previews",
                    "can_change_info",
                    "can_invite_users",
                    "can_pin_messages",
                    "can_manage_topics",
                    "can_edit_tag",
                ),
                False,
            )
            return {"user": user, "status": status, "is_member": True, "until_date": 0, **perms}
        return {"user": user, "status": status}

    def _enqueue_my_chat_member(self, chat: FakeChat, by: UserHandle | None, old: JSONDict, new: JSONDict) -> None:
        actor = by.to_dict() if by is not None else (chat.user.to_dict() if chat.user else self.bot_user)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_dict(),
                "from": actor,
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def _enqueue(self, kind: str, payload: JSONDict) -> JSONDict | None:
        """Creates an update; types outside allowed_updates are never created (as in Telegram)."""
        if kind not in self.allowed_updates:
            return None
        update: JSONDict = {"update_id": self._next_update_id, kind: _json_copy(payload)}
        self._next_update_id += 1
        self._updates.append(update)
        self._notify()
        return update

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done() and not fut.get_loop().is_closed():
                fut.set_result(None)

    async def _wait_for(self, predicate: Callable[[], bool], limit: float | None) -> bool:
        """Sleeps until predicate() holds (checked after each state change) or ``limit`` seconds pass."""
        loop = asyncio.get_running_loop()
        deadline = None if limit is None else loop.time() + limit
        while not predicate():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.append(fut)
            try:
                await asyncio.wait({fut}, timeout=remaining)
            finally:
                if fut in self._waiters:
                    self._waiters.remove(fut)
        return True

    def _register_file(
        self,
        kind: str,
        *,
        content: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
    ) -> FileRecord:
        serial = next(self._serial)
        unique = f"AgAD{serial:08d}"
        file_id = f"{kind[:2].upper()}ACAgIAAxkBAAI{serial:08d}wegweiser"
        rec = FileRecord(
            file_id=file_id,
            file_unique_id=unique,
            kind=kind,
            file_size=size if size is not None else len(content or b"") or 1024,
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            duration=duration,
        )
        self.files[file_id] = rec
        return rec

    def _existing_file(self, file_id: str, kind: str) -> FileRecord:
        rec = self.files.get(file_id)
        if rec is None or rec.kind != kind:
            raise ValueError(f"no {kind} with file_id {file_id!r}")
        return rec

    def _media_payload(self, kind: str, rec: FileRecord) -> JSONDict:
        base: JSONDict = {"file_id": rec.file_id, "file_unique_id": rec.file_unique_id, "file_size": rec.file_size}
        if kind == "photo":
            thumb = self._register_file("photo", size=1_532, width=90, height=68)
            return {
                "photo": [
                    {
                        "file_id": thumb.file_id,
                        "file_unique_id": thumb.file_unique_id,
                        "file_size": thumb.file_size,
                        "width": 90,
                        "height": 68,
                    },
                    {**base, "width": rec.width or 1280, "height": rec.height or 960},
                ]
            }
        if kind == "document":
            return {
                "document": {
                    **base,
                    "file_name": rec.file_name or "file",
                    "mime_type": rec.mime_type or "application/octet-stream",
                }
            }
        if kind == "voice":
            return {"voice": {**base, "duration": rec.duration or 1, "mime_type": rec.mime_type or "audio/ogg"}}
        if kind == "audio":
            return {"audio": {**base, "duration": rec.duration or 1, "mime_type": rec.mime_type or "audio/mpeg"}}
        if kind in ("video", "animation"):
            return {
                kind: {
                    **base,
                    "width": rec.width or 640,
                    "height": rec.height or 360,
                    "duration": rec.duration or 1,
                    "mime_type": rec.mime_type or "video/mp4",
                }
            }
        if kind == "video_note":
            return {"video_note": {**base, "length": rec.width or 240, "duration": rec.duration or 1}}
        if kind == "sticker":
            return {
                "sticker": {
                    **base,
                    "type": "regular",
                    "width": rec.width or 512,
                    "height": rec.height or 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        raise ValueError(f"unknown media kind {kind}")

    def message_json(self, msg: StoredMessage, *, nested: bool = False) -> JSONDict:
        """The Bot API ``Message`` object for a stored message (as Telegram would return it)."""
        chat = self.chats[msg.chat_id]
        data: JSONDict = {"message_id": msg.message_id, "date": msg.date, "chat": chat.to_dict()}
        if msg.sender is not None:
            data["from"] = msg.sender
        if msg.thread_id is not None:
            data["message_thread_id"] = msg.thread_id
        if msg.is_topic_message:
            data["is_topic_message"] = True
        if msg.forward_origin is not None:
            data["forward_origin"] = msg.forward_origin
        if msg.text is not None:
            data["text"] = msg.text
            if msg.entities:
                data["entities"] = msg.entities
        data.update(msg.media)
        if msg.caption is not None:
            data["caption"] = msg.caption
            if msg.caption_entities:
                data["caption_entities"] = msg.caption_entities
        data.update(msg.service)
        if msg.media_group_id is not None:
            data["media_group_id"] = msg.media_group_id
        if msg.reply_markup is not None and "inline_keyboard" in msg.reply_markup:
            data["reply_markup"] = msg.reply_markup
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if msg.protect_content:
            data["has_protected_content"] = True
        if msg.link_preview_options is not None and msg.text is not None:
            data["link_preview_options"] = msg.link_preview_options
        if not nested and msg.reply_to_message_id is not None:
            replied = chat.messages.get(msg.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_json(replied, nested=True)
        return _json_copy(data)  # type: ignore[no-any-return]

    # ---------------------------------------------------------------- the API: dispatch

    async def process(
        self, method: str, raw_params: dict[str, Any], *, token: str, transport: str = "inprocess"
    ) -> _Response:
        """Answers one Bot API request. Shared by both transports."""
        params = normalize_params(raw_params)
        call = ApiCall(method=method, params=params, transport=transport)
        self.calls.append(call)
        response = await self._process(call, method, token)
        response.call = call
        return response

    async def _process(self, call: ApiCall, method: str, token: str) -> _Response:
        try:
            if token != self.token:
                code, text = (401, "Unauthorized") if _TOKEN_RE.match(token) else (404, "Not Found")
                return self._finish(call, code, text, _error_response(code, text))
            canonical = self._canonical.get(method.lower())
            if canonical is not None:
                call.method = canonical
            fault = self._take_fault(call.method)
            if fault is not None:
                return await self._apply_fault(fault, call, canonical)
            if canonical is None:
                self.unknown_methods.append(method)
                return self._finish(call, 404, "Not Found", _error_response(404, "Not Found"))
            return await self._dispatch(call, canonical)
        except asyncio.CancelledError:
            call.description = "abandoned: the client stopped waiting"
            raise
        finally:
            self._notify()

    async def download(self, token: str, file_path: str) -> _Response:
        """Serves ``/file/bot<token>/<file_path>`` like Telegram's file endpoint."""
        if token != self.token:
            return _error_response(
                401 if _TOKEN_RE.match(token) else 404, "Unauthorized" if _TOKEN_RE.match(token) else "Not Found"
            )
        for rec in self.files.values():
            if rec.file_path == file_path:
                return _Response(200, rec.content or b"\0" * min(rec.file_size, 4096), "application/octet-stream")
        return _error_response(404, "Not Found")

    def _finish(self, call: ApiCall, status: int, description: str | None, response: _Response) -> _Response:
        call.status = status
        call.description = description
        return response

    async def _dispatch(self, call: ApiCall, canonical: str) -> _Response:
        handler = self._handlers[canonical]
        try:
            result = await handler(_Params(call.params))
        except ApiError as exc:
            return self._finish(
                call, exc.code, exc.description, _error_response(exc.code, exc.description, exc.parameters)
            )
        call.result = result
        return self._finish(call, 200, None, _json_response(200, {"ok": True, "result": result}))

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in ("*", method.lower()):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _apply_fault(self, fault: _Fault, call: ApiCall, canonical: str | None) -> _Response:
        kind = fault.kind
        if kind == "429":
            text = fault.description or f"Too Many Requests: retry after {fault.retry_after}"
            return self._finish(call, 429, text, _error_response(429, text, {"retry_after": fault.retry_after}))
        if kind == "502":
            return self._finish(call, 502, "Bad Gateway", _Response(502, _BAD_GATEWAY_HTML, "text/html"))
        if kind == "500":
            text = fault.description or "Internal Server Error"
            return self._finish(call, 500, text, _error_response(500, text))
        if kind == "403":
            text = fault.description or "Forbidden: bot was blocked by the user"
            return self._finish(call, 403, text, _error_response(403, text))
        if kind == "400":
            text = fault.description or "Bad Request: injected failure"
            return self._finish(call, 400, text, _error_response(400, text))
        if kind == "timeout":
            return self._finish(call, 504, "timeout (injected, not processed)", _Response(0, b"", action="hang"))
        if kind == "network":
            return self._finish(call, 599, "connection dropped (injected)", _Response(0, b"", action="drop"))
        if kind == "slow":  # Telegram did the work at once; the answer takes its time
            if canonical is None:
                self.unknown_methods.append(call.method)
                return self._finish(call, 404, "Not Found", _error_response(404, "Not Found"))
            response = await self._dispatch(call, canonical)
            await asyncio.sleep(fault.delay)
            return response
        # lost_response: Telegram did the work, the answer never arrived
        if canonical is None:
            self.unknown_methods.append(call.method)
        else:
            await self._dispatch(call, canonical)
        call.description = f"response lost (injected; real status {call.status})"
        call.status = 504
        return _Response(0, b"", action="hang")

    async def hang(self) -> None:
        """Never answers (bounded by hang_limit)."""
        await asyncio.sleep(self.hang_limit)

    def _build_handlers(self) -> dict[str, _Handler]:
        def media(kind: str, method: str) -> _Handler:
            async def handler(p: _Params) -> Any:
                return await self._send_media(p, method, kind)

            return handler

        table: dict[str, _Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendLocation": self._send_location,
            "sendContact": self._send_contact,
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "copyMessages": self._copy_messages,
            "forwardMessage": self._forward_message,
            "forwardMessages": self._forward_messages,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._set_my_name,
            "getMyName": self._get_my_name,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMemberCount": self._get_chat_member_count,
            "leaveChat": self._leave_chat,
            "createForumTopic": self._create_forum_topic,
            "editForumTopic": self._edit_forum_topic,
            "closeForumTopic": self._close_forum_topic,
            "reopenForumTopic": self._reopen_forum_topic,
            "deleteForumTopic": self._delete_forum_topic,
            "unpinAllForumTopicMessages": self._unpin_all_forum_topic_messages,
            "pinChatMessage": self._pin_chat_message,
            "unpinChatMessage": self._unpin_chat_message,
            "unpinAllChatMessages": self._unpin_all_chat_messages,
            "getFile": self._get_file,
        }
        for kind in _MEDIA_KINDS:
            method = "send" + "".join(part.capitalize() for part in kind.split("_"))
            table[method] = media(kind, method)
        return table

    # ---------------------------------------------------------------- the API: shared checks

    def _resolve_chat(self, value: Any) -> FakeChat:
        chat: FakeChat | None = None
        if isinstance(value, bool) or value is None or value == "":
            raise _bad("chat_id is empty")
        if isinstance(value, int):
            chat = self.chats.get(value)
        elif isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"-?\d+", text):
                chat = self.chats.get(int(text))
            elif text.startswith("@"):
                chat = next(
                    (
                        c
                        for c in self.chats.values()
                        if c.username and c.username.lower() == text[1:].lower() and c.type != "private"
                    ),
                    None,
                )
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _chat_for_send(self, value: Any) -> FakeChat:
        chat = self._resolve_chat(value)
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        elif chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def _check_thread(self, chat: FakeChat, thread_id: int | None) -> int | None:
        if thread_id is None:
            return None
        if not chat.is_forum:
            raise _bad("message thread not found")
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise _bad("message thread not found")
        if topic.closed and not chat.bot_can("can_manage_topics"):
            raise _bad("TOPIC_CLOSED")
        return thread_id

    def _reply_target(self, p: _Params, chat: FakeChat) -> StoredMessage | None:
        params = p.obj("reply_parameters", "reply parameters")
        legacy = p.opt_int("reply_to_message_id")
        if params is None and legacy is None:
            return None
        if params is not None:
            message_id = params.get("message_id")
            if not isinstance(message_id, int) or isinstance(message_id, bool):
                raise _bad("can't parse reply parameters JSON object")
            allow = bool(params.get("allow_sending_without_reply", False))
            target = chat if params.get("chat_id") in (None, chat.id) else self._resolve_chat(params["chat_id"])
        else:
            assert legacy is not None
            message_id, allow, target = legacy, p.flag("allow_sending_without_reply"), chat
        replied = target.messages.get(message_id)
        if replied is None or replied.deleted:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return replied

    def _send_target(self, p: _Params, method: str) -> tuple[FakeChat, int | None, StoredMessage | None]:
        """Resolves chat, topic and reply target of a message-creating call, applying Telegram's checks."""
        chat = self._chat_for_send(p.get("chat_id"))
        thread_id = self._check_thread(chat, p.opt_int("message_thread_id"))
        reply = self._reply_target(p, chat)
        if thread_id is None and reply is not None and reply.chat_id == chat.id and reply.is_topic_message:
            thread_id = reply.thread_id
        if method in MESSAGE_CREATING_METHODS:
            self._check_flood(chat.id)
        return chat, thread_id, reply

    def _check_flood(self, chat_id: int) -> None:
        if self._flood_per_second is None and self._flood_group_per_minute is None:
            return
        now = time.monotonic()
        log = self._flood_log.setdefault(chat_id, deque())
        while log and now - log[0] >= 60.0:
            log.popleft()
        wait = 0.0
        if self._flood_per_second is not None:
            recent = [t for t in log if now - t < 1.0]
            if len(recent) >= self._flood_per_second:
                wait = 1.0 - (now - recent[-self._flood_per_second])
        if self._flood_group_per_minute is not None and chat_id < 0 and len(log) >= self._flood_group_per_minute:
            wait = max(wait, 60.0 - (now - log[-self._flood_group_per_minute]))
        if wait > 0:
            retry = self._flood_retry_after or max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        log.append(now)

    def _format(self, text: str, parse_mode: str | None, entities: list[Any] | None) -> tuple[str, list[JSONDict]]:
        mode = (parse_mode or "").strip().lower()
        try:
            if not mode:
                return text, self._explicit_entities(text, entities)
            if mode == "html":
                return parse_html(text)
            if mode == "markdownv2":
                return parse_markdown_v2(text)
            if mode == "markdown":
                return parse_markdown(text)
        except EntityParseError as exc:
            raise _bad(f"can't parse entities: {exc}") from exc
        raise _bad("unsupported parse_mode")

    def _explicit_entities(self, text: str, entities: list[Any] | None) -> list[JSONDict]:
        if not entities:
            return []
        size = utf16_len(text)
        result: list[JSONDict] = []
        for ent in entities:
            if not isinstance(ent, dict) or not isinstance(ent.get("type"), str):
                raise _bad("can't parse entities JSON object")
            offset, length = ent.get("offset"), ent.get("length")
            if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
                raise _bad("can't parse entities JSON object")
            if offset + length > size:
                raise EntityParseError("entity ends beyond the end of the text")
            if length:
                result.append(dict(ent))
        return result

    def _text(self, p: _Params, field_name: str = "text") -> tuple[str, list[JSONDict], str]:
        raw = p.opt_str(field_name)
        if raw is None or not raw.strip():
            raise _bad("message text is empty")
        plain, ents = self._format(raw, p.opt_str("parse_mode"), p.array("entities"))
        if not plain.strip():
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT_LENGTH:
            raise _bad("message is too long")
        return plain, ents, raw

    def _caption(self, p: _Params) -> tuple[str | None, list[JSONDict]]:
        raw = p.opt_str("caption")
        if raw is None or raw == "":
            return None, []
        plain, ents = self._format(raw, p.opt_str("parse_mode"), p.array("caption_entities"))
        if utf16_len(plain) > MAX_CAPTION_LENGTH:
            raise _bad("message caption is too long")
        return plain, ents

    def _reply_markup(self, p: _Params, *, inline_only: bool = False) -> JSONDict | None:
        markup = p.obj("reply_markup", "reply keyboard markup")
        if markup is None:
            return None
        if "inline_keyboard" in markup:
            self._validate_inline_keyboard(markup["inline_keyboard"])
            return markup
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays')
            for row in rows:
                for button in row:
                    label = (
                        button
                        if isinstance(button, str)
                        else (button.get("text") if isinstance(button, dict) else None)
                    )
                    if not isinstance(label, str) or not label:
                        raise _bad("keyboard button text must be non-empty")
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")

    def _validate_inline_keyboard(self, rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays')
        total = 0
        for row in rows:
            if len(row) > MAX_BUTTONS_PER_ROW:
                raise _bad("reply markup is too long")
            for button in row:
                total += 1
                if not isinstance(button, dict):
                    raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
                text = button.get("text")
                if not isinstance(text, str):
                    raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
                if not text.strip():
                    raise _bad("BUTTON_TEXT_INVALID")
                actions = [a for a in _INLINE_BUTTON_ACTIONS if a in button]
                if not actions:
                    raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                if len(actions) > 1:
                    raise _bad("can't parse inline keyboard button: exactly one of the optional fields must be used")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad("BUTTON_DATA_INVALID")
                if "url" in button:
                    url = button["url"]
                    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
                    if (
                        parts is None
                        or parts.scheme not in ("http", "https", "tg", "ton")
                        or (parts.scheme in ("http", "https") and not parts.netloc)
                    ):
                        raise _bad("BUTTON_URL_INVALID")
        if total > MAX_BUTTONS:
            raise _bad("reply markup is too long")

    def _store_bot_message(
        self,
        chat: FakeChat,
        thread_id: int | None,
        kind: str,
        *,
        method: str,
        params: JSONDict,
        reply: StoredMessage | None = None,
        text: str | None = None,
        entities: list[JSONDict] | None = None,
        caption: str | None = None,
        caption_entities: list[JSONDict] | None = None,
        media: JSONDict | None = None,
        reply_markup: JSONDict | None = None,
        raw_text: str | None = None,
        parse_mode: str | None = None,
        forward_origin: JSONDict | None = None,
        copied_from: tuple[int, int] | None = None,
        protect_content: bool = False,
        disable_notification: bool = False,
        link_preview_options: JSONDict | None = None,
        media_group_id: str | None = None,
    ) -> StoredMessage:
        if reply is not None and reply.chat_id == chat.id:
            reply_to: int | None = reply.message_id
        else:
            reply_to = thread_id
        msg = StoredMessage(
            chat_id=chat.id,
            message_id=self._next_message_id(chat),
            date=int(time.time()),
            sender=self.bot_user,
            from_bot=True,
            kind=kind,
            thread_id=thread_id,
            is_topic_message=thread_id is not None,
            text=text,
            entities=entities or [],
            caption=caption,
            caption_entities=caption_entities or [],
            media=media or {},
            reply_markup=reply_markup,
            reply_to_message_id=reply_to,
            forward_origin=forward_origin,
            raw_text=raw_text,
            parse_mode=parse_mode,
            method=method,
            params=params,
            copied_from=copied_from,
            protect_content=protect_content,
            disable_notification=disable_notification,
            link_preview_options=link_preview_options,
            media_group_id=media_group_id,
        )
        chat.messages[msg.message_id] = msg
        self._notify()
        return msg

    def _input_file(self, p: _Params, field_name: str, kind: str) -> FileRecord:
        value = p.get(field_name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value[len("attach://") :])
        return self._file_from_value(value, field_name, kind)

    def _file_from_value(self, value: Any, field_name: str, kind: str) -> FileRecord:
        if isinstance(value, UploadedFile):
            if not value.content:
                raise _bad("file must be non-empty")
            return self._register_file(kind, content=value.content, file_name=value.filename, mime_type=value.mime_type)
        if isinstance(value, str) and value:
            if value.startswith(("http://", "https://")):
                name = urllib.parse.urlsplit(value).path.rsplit("/", 1)[-1] or "file"
                return self._register_file(kind, file_name=name)
            rec = self.files.get(value)
            if rec is None:
                raise _bad("wrong file identifier/HTTP URL specified")
            if rec.kind != kind:
                raise _bad(f"can't use file of type {rec.kind.title()} as {kind.title()}")
            return rec
        raise _bad(f"there is no {field_name} in the request")

    # ---------------------------------------------------------------- the API: methods

    async def _get_me(self, p: _Params) -> Any:
        return self.get_me()

    async def _get_updates(self, p: _Params) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.opt_int("offset")
        limit = min(max(p.opt_int("limit") or 100, 1), 100)
        timeout = max(p.opt_int("timeout") or 0, 0)
        allowed = p.array("allowed_updates", "allowed updates")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll still waiting gets terminated (409), as in Telegram
        self._confirm(offset)
        await self._wait_for(lambda: generation != self._poll_generation or bool(self._updates), timeout)
        if generation != self._poll_generation:
            raise ApiError(
                409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        batch = self._updates[:limit]
        if batch:
            self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
        return _json_copy(batch)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _set_allowed_updates(self, allowed: list[Any]) -> None:
        names = {str(a) for a in allowed}
        self.allowed_updates = frozenset(names & ALL_UPDATE_TYPES) if names else DEFAULT_ALLOWED_UPDATES

    async def _set_webhook(self, p: _Params) -> Any:
        url = p.opt_str("url") or ""
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        allowed = p.array("allowed_updates", "allowed updates")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        if not url:
            self.webhook = None
            return True
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if parts.port not in (None, 80, 88, 443, 8443):
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = p.opt_str("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _bad("secret token contains unallowed characters")
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": p.opt_int("max_connections") or 40,
            "ip_address": p.opt_str("ip_address"),
        }
        return True

    async def _delete_webhook(self, p: _Params) -> Any:
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    async def _get_webhook_info(self, p: _Params) -> Any:
        info: JSONDict = {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}
        if self.webhook is not None:
            info.update(
                url=self.webhook["url"],
                max_connections=self.webhook["max_connections"],
                allowed_updates=sorted(self.allowed_updates),
            )
        return info

    async def _send_message(self, p: _Params) -> Any:
        chat, thread_id, reply = self._send_target(p, "sendMessage")
        plain, ents, raw = self._text(p)
        markup = self._reply_markup(p)
        preview = p.obj("link_preview_options", "link preview options")
        msg = self._store_bot_message(
            chat,
            thread_id,
            "text",
            method="sendMessage",
            params=p.raw,
            reply=reply,
            text=plain,
            entities=ents,
            reply_markup=markup,
            raw_text=raw,
            parse_mode=p.opt_str("parse_mode"),
            protect_content=p.flag("protect_content"),
            disable_notification=p.flag("disable_notification"),
            link_preview_options=preview,
        )
        return self.message_json(msg)

    async def _send_media(self, p: _Params, method: str, kind: str) -> Any:
        chat, thread_id, reply = self._send_target(p, method)
        rec = self._input_file(p, kind, kind)
        caption, caption_ents = (None, []) if kind in _CAPTIONLESS_KINDS else self._caption(p)
        markup = self._reply_markup(p)
        media = self._media_payload(kind, rec)
        if kind == "sticker":
            media["sticker"]["emoji"] = p.opt_str("emoji") or "🙂"
        msg = self._store_bot_message(
            chat,
            thread_id,
            kind,
            method=method,
            params=p.raw,
            reply=reply,
            caption=caption,
            caption_entities=caption_ents,
            media=media,
            reply_markup=markup,
            raw_text=p.opt_str("caption"),
            parse_mode=p.opt_str("parse_mode"),
            protect_content=p.flag("protect_content"),
            disable_notification=p.flag("disable_notification"),
        )
        return self.message_json(msg)

    async def _send_location(self, p: _Params) -> Any:
        chat, thread_id, reply = self._send_target(p, "sendLocation")
        lat, lon = p.number("latitude"), p.number("longitude")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _bad("wrong latitude/longitude specified")
        msg = self._store_bot_message(
            chat,
            thread_id,
            "location",
            method="sendLocation",
            params=p.raw,
            reply=reply,
            media={"location": {"latitude": lat, "longitude": lon}},
            reply_markup=self._reply_markup(p),
        )
        return self.message_json(msg)

    async def _send_contact(self, p: _Params) -> Any:
        chat, thread_id, reply = self._send_target(p, "sendContact")
        contact = {"phone_number": p.string("phone_number"), "first_name": p.string("first_name")}
        if p.opt_str("last_name"):
            contact["last_name"] = p.string("last_name")
        msg = self._store_bot_message(
            chat,
            thread_id,
            "contact",
            method="sendContact",
            params=p.raw,
            reply=reply,
            media={"contact": contact},
            reply_markup=self._reply_markup(p),
        )
        return self.message_json(msg)

    async def _send_media_group(self, p: _Params) -> Any:
        chat, thread_id, reply = self._send_target(p, "sendMediaGroup")
        items = p.array("media", "media")
        if not items or not 2 <= len(items) <= 10:
            raise _bad("wrong number of messages in the media group; must be 2-10")
        group_id = str(10**17 + next(self._serial))
        prepared: list[tuple[str, FileRecord, str | None, list[JSONDict]]] = []
        for item in items:
            if not isinstance(item, dict) or item.get("type") not in ("photo", "video", "document", "audio"):
                raise _bad("can't parse InputMedia JSON object")
            value = item.get("media")
            if isinstance(value, str) and value.startswith("attach://"):
                value = p.get(value[len("attach://") :])
            rec = self._file_from_value(value, "media", str(item["type"]))
            caption: str | None = None
            ents: list[JSONDict] = []
            if item.get("caption"):
                caption, ents = self._format(str(item["caption"]), item.get("parse_mode"), item.get("caption_entities"))
                if utf16_len(caption) > MAX_CAPTION_LENGTH:
                    raise _bad("message caption is too long")
            prepared.append((str(item["type"]), rec, caption, ents))
        results = []
        for kind, rec, caption, ents in prepared:
            msg = self._store_bot_message(
                chat,
                thread_id,
                kind,
                method="sendMediaGroup",
                params=p.raw,
                reply=reply,
                caption=caption,
                caption_entities=ents,
                media=self._media_payload(kind, rec),
                media_group_id=group_id,
            )
            results.append(self.message_json(msg))
        return results

    def _source_message(self, p: _Params, missing: str) -> tuple[FakeChat, StoredMessage]:
        if not p.has("from_chat_id"):
            raise _bad("from_chat_id is empty")
        source_chat = self._resolve_chat(p.get("from_chat_id"))
        message_id = p.integer("message_id")
        source = source_chat.messages.get(message_id)
        if source is None or source.deleted:
            raise _bad(missing)
        return source_chat, source

    def _copy_of(
        self,
        p: _Params,
        method: str,
        source: StoredMessage,
        chat: FakeChat,
        thread_id: int | None,
        reply: StoredMessage | None,
        *,
        forward: bool,
    ) -> StoredMessage:
        if source.is_service:
            raise _bad("the message can't be copied" if not forward else "the message can't be forwarded")
        if source.protect_content:
            raise _bad("message has protected content and can't be forwarded")
        caption, caption_ents = source.caption, list(source.caption_entities)
        markup: JSONDict | None = None
        origin: JSONDict | None = None
        if forward:
            origin = source.forward_origin or {
                "type": "user",
                "sender_user": source.sender or self.bot_user,
                "date": source.date,
            }
        else:
            if source.kind not in _CAPTIONLESS_KINDS and (p.raw.get("caption") is not None or p.flag("remove_caption")):
                caption, caption_ents = self._caption(p)
            markup = self._reply_markup(p)
        return self._store_bot_message(
            chat,
            thread_id,
            source.kind,
            method=method,
            params=p.raw,
            reply=reply,
            text=source.text,
            entities=list(source.entities),
            caption=caption,
            caption_entities=caption_ents,
            media=_json_copy(source.media),
            reply_markup=markup,
            forward_origin=origin,
            copied_from=(source.chat_id, source.message_id),
            protect_content=p.flag("protect_content"),
            disable_notification=p.flag("disable_notification"),
        )

    async def _copy_message(self, p: _Params) -> Any:
        _, source = self._source_message(p, "message to copy not found")
        chat, thread_id, reply = self._send_target(p, "copyMessage")
        msg = self._copy_of(p, "copyMessage", source, chat, thread_id, reply, forward=False)
        return {"message_id": msg.message_id}

    async def _forward_message(self, p: _Params) -> Any:
        _, source = self._source_message(p, "message to forward not found")
        chat, thread_id, _ = self._send_target(p, "forwardMessage")
        msg = self._copy_of(p, "forwardMessage", source, chat, thread_id, None, forward=True)
        return self.message_json(msg)

    async def _copy_messages(self, p: _Params) -> Any:
        return await self._bulk_copy(p, "copyMessages", forward=False)

    async def _forward_messages(self, p: _Params) -> Any:
        return await self._bulk_copy(p, "forwardMessages", forward=True)

    async def _bulk_copy(self, p: _Params, method: str, *, forward: bool) -> Any:
        if not p.has("from_chat_id"):
            raise _bad("from_chat_id is empty")
        source_chat = self._resolve_chat(p.get("from_chat_id"))
        ids = p.array("message_ids", "message identifiers")
        if not ids or len(ids) > 100 or not all(isinstance(i, int) for i in ids):
            raise _bad("message_ids is empty" if not ids else "invalid message identifiers specified")
        if ids != sorted(ids):
            raise _bad("message identifiers must be specified in strictly increasing order")
        chat, thread_id, _ = self._send_target(p, method)
        result = []
        for message_id in ids:
            source = source_chat.messages.get(message_id)
            if source is None or source.deleted or source.is_service:
                continue
            copy = self._copy_of(p, method, source, chat, thread_id, None, forward=forward)
            result.append({"message_id": copy.message_id})
        if not result:
            raise _bad("messages to copy not found" if not forward else "messages to forward not found")
        return result

    def _editable(self, p: _Params) -> StoredMessage:
        if p.has("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(p.get("chat_id"))
        message_id = p.integer("message_id")
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            raise _bad("message to edit not found")
        if not msg.from_bot or msg.is_service or msg.forward_origin is not None:
            raise _bad("message can't be edited")
        return msg

    def _inline_markup(self, msg: StoredMessage) -> JSONDict | None:
        return msg.reply_markup if msg.reply_markup and "inline_keyboard" in msg.reply_markup else None

    def _record_edit(self, msg: StoredMessage) -> None:
        msg.history.append(self.message_json(msg, nested=True))
        msg.edit_date = int(time.time())
        self._notify()

    async def _edit_message_text(self, p: _Params) -> Any:
        msg = self._editable(p)
        if msg.kind != "text":
            raise _bad("there is no text in the message to edit")
        plain, ents, raw = self._text(p)
        markup = self._reply_markup(p, inline_only=True)
        if plain == msg.text and ents == msg.entities and markup == self._inline_markup(msg):
            raise _bad(_NOT_MODIFIED)
        self._record_edit(msg)
        msg.text, msg.entities, msg.raw_text, msg.parse_mode = plain, ents, raw, p.opt_str("parse_mode")
        if markup is not None or self._inline_markup(msg) is not None:
            msg.reply_markup = markup
        preview = p.obj("link_preview_options", "link preview options")
        if preview is not None:
            msg.link_preview_options = preview
        return self.message_json(msg)

    async def _edit_message_caption(self, p: _Params) -> Any:
        msg = self._editable(p)
        if msg.kind in _CAPTIONLESS_KINDS:
            raise _bad("there is no caption in the message to edit")
        caption, ents = self._caption(p)
        markup = self._reply_markup(p, inline_only=True)
        if caption == msg.caption and ents == msg.caption_entities and markup == self._inline_markup(msg):
            raise _bad(_NOT_MODIFIED)
        self._record_edit(msg)
        msg.caption, msg.caption_entities, msg.raw_text = caption, ents, p.opt_str("caption")
        if markup is not None or self._inline_markup(msg) is not None:
            msg.reply_markup = markup
        return self.message_json(msg)

    async def _edit_message_reply_markup(self, p: _Params) -> Any:
        msg = self._editable(p)
        markup = self._reply_markup(p, inline_only=True)
        if markup == self._inline_markup(msg):
            raise _bad(_NOT_MODIFIED)
        self._record_edit(msg)
        msg.reply_markup = markup
        return self.message_json(msg)

    def _deletable(self, chat: FakeChat, msg: StoredMessage) -> bool:
        if msg.is_service and "forum_topic_created" in msg.service:
            return False
        return chat.type == "private" or msg.from_bot or chat.bot_can("can_delete_messages")

    async def _delete_message(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        msg = chat.messages.get(p.integer("message_id"))
        if msg is None or msg.deleted:
            raise _bad("message to delete not found")
        if not self._deletable(chat, msg):
            raise _bad("message can't be deleted")
        msg.deleted = True
        return True

    async def _delete_messages(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        ids = p.array("message_ids", "message identifiers")
        if not ids or len(ids) > 100:
            raise _bad("message_ids is empty" if not ids else "too many messages to delete")
        for message_id in ids:
            msg = chat.messages.get(message_id) if isinstance(message_id, int) else None
            if msg is not None and not msg.deleted and self._deletable(chat, msg):
                msg.deleted = True
        return True

    async def _answer_callback_query(self, p: _Params) -> Any:
        query = self.callback_queries.get(p.opt_str("callback_query_id") or "")
        expired = (
            query is not None
            and self.callback_query_ttl is not None
            and time.monotonic() - query.created > self.callback_query_ttl
        )
        if query is None or query.answered or expired:
            raise _bad(_QUERY_TOO_OLD)
        text = p.opt_str("text")
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {
            "text": text,
            "show_alert": p.flag("show_alert"),
            "url": p.opt_str("url"),
            "cache_time": p.opt_int("cache_time"),
        }
        return True

    async def _send_chat_action(self, p: _Params) -> Any:
        chat = self._chat_for_send(p.get("chat_id"))
        thread_id = self._check_thread(chat, p.opt_int("message_thread_id"))
        action = p.opt_str("action")
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((chat.id, thread_id, action))
        return True

    def _scope_key(self, scope: JSONDict | None) -> str:
        if not scope:
            return "default"
        kind = scope.get("type")
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return str(kind)
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat(scope.get("chat_id"))
            if kind == "chat_member":
                user_id = scope.get("user_id")
                if not isinstance(user_id, int) or user_id not in self.users:
                    raise _bad("user not found")
                return f"{kind}:{chat.id}:{user_id}"
            return f"{kind}:{chat.id}"
        raise _bad("can't parse BotCommandScope JSON object")

    def _language(self, p: _Params) -> str:
        code = p.opt_str("language_code") or ""
        if code and not re.fullmatch(r"[a-z]{2}", code):
            raise _bad("invalid language code specified")
        return code

    async def _set_my_commands(self, p: _Params) -> Any:
        commands = p.array("commands", "commands")
        if commands is None:
            raise _bad("commands is empty")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        cleaned = []
        for cmd in commands:
            if not isinstance(cmd, dict):
                raise _bad("can't parse BotCommand JSON object")
            name, description = cmd.get("command"), cmd.get("description")
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad("command description is empty" if not description else "BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (self._scope_key(p.obj("scope", "BotCommandScope")), self._language(p))
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, p: _Params) -> Any:
        key = (self._scope_key(p.obj("scope", "BotCommandScope")), self._language(p))
        return _json_copy(self.commands.get(key, []))

    async def _delete_my_commands(self, p: _Params) -> Any:
        self.commands.pop((self._scope_key(p.obj("scope", "BotCommandScope")), self._language(p)), None)
        return True

    def _set_text_setting(self, p: _Params, store: dict[str, str], name: str, limit: int) -> bool:
        value = p.opt_str(name) or ""
        if utf16_len(value) > limit:
            raise _bad(f"{name} is too long")
        lang = self._language(p)
        if value:
            store[lang] = value
        else:
            store.pop(lang, None)
        return True

    async def _set_my_description(self, p: _Params) -> Any:
        return self._set_text_setting(p, self.descriptions, "description", 512)

    async def _get_my_description(self, p: _Params) -> Any:
        return {"description": self.descriptions.get(self._language(p), "")}

    async def _set_my_short_description(self, p: _Params) -> Any:
        return self._set_text_setting(p, self.short_descriptions, "short_description", 120)

    async def _get_my_short_description(self, p: _Params) -> Any:
        return {"short_description": self.short_descriptions.get(self._language(p), "")}

    async def _set_my_name(self, p: _Params) -> Any:
        return self._set_text_setting(p, self.names, "name", 64)

    async def _get_my_name(self, p: _Params) -> Any:
        lang = self._language(p)
        return {"name": self.names.get(lang, self.names.get("", self.bot_first_name))}

    async def _set_chat_menu_button(self, p: _Params) -> Any:
        chat_id = self._resolve_chat(p.get("chat_id")).id if p.has("chat_id") else None
        button = p.obj("menu_button", "MenuButton") or {"type": "default"}
        if button.get("type") not in ("default", "commands", "web_app"):
            raise _bad("can't parse MenuButton JSON object")
        self.menu_buttons[chat_id] = button
        return True

    async def _get_chat_menu_button(self, p: _Params) -> Any:
        chat_id = self._resolve_chat(p.get("chat_id")).id if p.has("chat_id") else None
        return self.menu_buttons.get(chat_id, self.menu_buttons.get(None, {"type": "commands"}))

    async def _get_chat(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        info = chat.to_dict()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if chat.description:
            info["description"] = chat.description
        if chat.pinned:
            pinned = chat.messages.get(chat.pinned[-1])
            if pinned is not None and not pinned.deleted:
                info["pinned_message"] = self.message_json(pinned)
        return info

    async def _get_chat_member(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        user_id = p.integer("user_id")
        if user_id == self.bot_id:
            if chat.type == "private":
                status = "kicked" if chat.blocked else "member"
                return self._member_json(self.bot_user, status)
            return self._bot_member_json(chat)
        user = self.users.get(user_id)
        if user is None:
            raise _bad("user not found")
        if chat.type == "private":
            if user_id != chat.id:
                raise _bad("user not found")
            return self._member_json(user.to_dict(), "member")
        return self._member_json(user.to_dict(), chat.members.get(user_id, "left"))

    async def _get_chat_administrators(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        result = [self._member_json(self.users[uid].to_dict(), chat.members[uid]) for uid in chat.admins]
        if chat.bot_is_admin:
            result.append(self._bot_member_json(chat))
        return result

    async def _get_chat_member_count(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        if chat.type == "private":
            return 2
        humans = sum(1 for s in chat.members.values() if s in ("creator", "administrator", "member", "restricted"))
        return humans + (1 if chat.bot_status in ("member", "administrator") else 0)

    async def _leave_chat(self, p: _Params) -> Any:
        chat = self._resolve_chat(p.get("chat_id"))
        if chat.type == "private":
            raise _bad("chat member status can't be changed in private chats")
        if chat.bot_status in ("left", "kicked"):
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        chat.bot_status = "left"
        chat.bot_rights = {}
        return True

    def _forum(self, p: _Params) -> FakeChat:
        chat = self._chat_for_send(p.get("chat_id"))
        if not chat.is_forum:
            raise _bad("the chat is not a forum")
        return chat

    def _forum_topic(self, p: _Params) -> tuple[FakeChat, ForumTopic]:
        chat = self._forum(p)
        if not chat.bot_can("can_manage_topics"):
            raise _bad("CHAT_ADMIN_REQUIRED")
        topic = chat.topics.get(p.integer("message_thread_id"))
        if topic is None or topic.deleted:
            raise _bad("TOPIC_ID_INVALID")
        return chat, topic

    async def _create_forum_topic(self, p: _Params) -> Any:
        chat = self._forum(p)
        if not chat.bot_can("can_manage_topics"):
            raise _bad("not enough rights to create a topic")
        name = p.opt_str("name") or ""
        if not name.strip():
            raise _bad("TOPIC_TITLE_EMPTY")
        if utf16_len(name) > MAX_TOPIC_NAME_LENGTH:
            raise _bad("TOPIC_TITLE_TOO_LONG")
        color = p.opt_int("icon_color")
        if color is not None and color not in TOPIC_ICON_COLORS:
            raise _bad("ICON_COLOR_INVALID")
        topic = self._create_topic(
            chat,
            name,
            color if color is not None else TOPIC_ICON_COLORS[0],
            p.opt_str("icon_custom_emoji_id") or None,
            None,
            by_bot=True,
        )
        return topic.to_dict()

    async def _edit_forum_topic(self, p: _Params) -> Any:
        chat, topic = self._forum_topic(p)
        name = p.opt_str("name")
        emoji = p.opt_str("icon_custom_emoji_id")
        if name is not None and (not name.strip() or utf16_len(name) > MAX_TOPIC_NAME_LENGTH):
            raise _bad("TOPIC_TITLE_EMPTY" if not name.strip() else "TOPIC_TITLE_TOO_LONG")
        changed: JSONDict = {}
        if name is not None and name != topic.name:
            topic.name = changed["name"] = name
        if emoji is not None and (emoji or None) != topic.icon_custom_emoji_id:
            topic.icon_custom_emoji_id = emoji or None
            changed["icon_custom_emoji_id"] = emoji
        if not changed:
            raise _bad("TOPIC_NOT_MODIFIED")
        self._service_message(chat, topic.thread_id, {"forum_topic_edited": changed}, from_bot=True)
        return True

    async def _close_forum_topic(self, p: _Params) -> Any:
        chat, topic = self._forum_topic(p)
        if topic.closed:
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.closed = True
        self._service_message(chat, topic.thread_id, {"forum_topic_closed": {}}, from_bot=True)
        return True

    async def _reopen_forum_topic(self, p: _Params) -> Any:
        chat, topic = self._forum_topic(p)
        if not topic.closed:
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.closed = False
        self._service_message(chat, topic.thread_id, {"forum_topic_reopened": {}}, from_bot=True)
        return True

    async def _delete_forum_topic(self, p: _Params) -> Any:
        chat = self._forum(p)
        if not chat.bot_can("can_delete_messages"):
            raise _bad("CHAT_ADMIN_REQUIRED")
        topic = chat.topics.get(p.integer("message_thread_id"))
        if topic is None or topic.deleted:
            raise _bad("TOPIC_ID_INVALID")
        self._delete_topic(chat, topic)
        return True

    async def _unpin_all_forum_topic_messages(self, p: _Params) -> Any:
        chat, topic = self._forum_topic(p)
        chat.pinned = [m for m in chat.pinned if chat.messages[m].thread_id != topic.thread_id]
        return True

    def _pin_rights(self, chat: FakeChat) -> None:
        if chat.type != "private" and not chat.bot_can("can_pin_messages"):
            raise _bad("not enough rights to manage pinned messages in the chat")

    async def _pin_chat_message(self, p: _Params) -> Any:
        chat = self._chat_for_send(p.get("chat_id"))
        msg = chat.messages.get(p.integer("message_id"))
        if msg is None or msg.deleted:
            raise _bad("message to pin not found")
        self._pin_rights(chat)
        if msg.message_id in chat.pinned:
            chat.pinned.remove(msg.message_id)
        chat.pinned.append(msg.message_id)
        return True

    async def _unpin_chat_message(self, p: _Params) -> Any:
        chat = self._chat_for_send(p.get("chat_id"))
        self._pin_rights(chat)
        message_id = p.opt_int("message_id")
        if message_id is None:
            if chat.pinned:
                chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        else:
            raise _bad("message to unpin not found")
        return True

    async def _unpin_all_chat_messages(self, p: _Params) -> Any:
        chat = self._chat_for_send(p.get("chat_id"))
        self._pin_rights(chat)
        chat.pinned.clear()
        return True

    async def _get_file(self, p: _Params) -> Any:
        rec = self.files.get(p.opt_str("file_id") or "")
        if rec is None:
            raise _bad("invalid file_id")
        return {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
            "file_path": rec.file_path,
        }


# --------------------------------------------------------------------------------------------
# URL routing shared by both transports
# --------------------------------------------------------------------------------------------

_API_PATH_RE: Final = re.compile(r"^/bot(?P<token>[^/]*)/(?P<method>[A-Za-z0-9_]*)/?$")
_FILE_PATH_RE: Final = re.compile(r"^/file/bot(?P<token>[^/]*)/(?P<path>.+)$")


async def _route(fake: FakeTelegram, path: str, params: dict[str, Any], transport: str) -> _Response:
    """Maps ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` onto the fake, else 404."""
    path = urllib.parse.unquote(path)
    api = _API_PATH_RE.match(path)
    if api is not None:
        return await fake.process(api["method"], params, token=api["token"], transport=transport)
    download = _FILE_PATH_RE.match(path)
    if download is not None:
        return await fake.download(download["token"], download["path"])
    return _error_response(404, "Not Found")


# --------------------------------------------------------------------------------------------
# Transport (a): in-process BaseRequest
# --------------------------------------------------------------------------------------------


class FakeRequest(BaseRequest):
    """A PTB request backend that talks to a FakeTelegram in the same event loop.

    Why: lets the real Bot/ExtBot/Application run unmodified (``.request(FakeRequest(fake))``)
    with no sockets. Timeouts behave like HTTPXRequest's: an answer slower than the read timeout
    raises ``telegram.error.TimedOut``; a dropped connection raises ``NetworkError``.
    """

    def __init__(
        self,
        fake: FakeTelegram,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self.fake = fake
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._closed = False

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll timeout on top of it)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """(Re)opens the backend, like HTTPXRequest rebuilding its client."""
        self._closed = False

    async def shutdown(self) -> None:
        """Closes the backend; later requests fail like a closed HTTPXRequest."""
        self._closed = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Parses method and parameters from the URL and request data and lets the fake answer."""
        if self._closed:
            raise RuntimeError("This FakeRequest is not initialized!")
        if read_timeout is BaseRequest.DEFAULT_NONE:
            read_timeout = self._read_timeout
        timeout: float | None = None if read_timeout is None else float(read_timeout)
        try:
            response = await asyncio.wait_for(self._exchange(url, method, request_data), timeout=timeout)
        except TimeoutError as exc:
            raise TimedOut from exc
        if response.action == "drop":
            raise NetworkError("httpx.RemoteProtocolError: Server disconnected without sending a response.")
        return response.status, response.body

    async def _exchange(self, url: str, method: str, request_data: RequestData | None) -> _Response:
        parts = urllib.parse.urlsplit(url)
        if (
            parts.hostname is not None
            and parts.hostname not in ("api.telegram.org", "localhost")
            and not (_is_loopback(parts.hostname))
        ):
            raise NetworkError(f"httpx.ConnectError: FakeRequest refuses to reach {parts.hostname}")
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        if request_data is not None:
            params.update(request_data.parameters)
            for name, (filename, content, mime) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                params[name] = UploadedFile(str(filename or name), bytes(data), mime)
        response = await _route(self.fake, parts.path, params, "inprocess")
        if response.action == "hang":
            await self.fake.hang()
            raise TimedOut
        return response


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------------------------
# Transport (b): loopback HTTP/1.1 server
# --------------------------------------------------------------------------------------------


class ServedURL(str):
    """The base URL to pass as PTB's ``base_url``; also knows ``base_file_url``, host and port."""

    base_file_url: str
    host: str
    port: int

    def __new__(cls, host: str, port: int) -> ServedURL:
        shown = f"[{host}]" if ":" in host else host
        obj = super().__new__(cls, f"http://{shown}:{port}/bot")
        obj.base_file_url = f"http://{shown}:{port}/file/bot"
        obj.host = host
        obj.port = port
        return obj


@contextlib.asynccontextmanager
async def serve_http(fake: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[ServedURL]:
    """Serves the fake over loopback HTTP; yields the ``base_url`` for PTB (``http://127.0.0.1:P/bot``).

    Why: a bot started as a subprocess can only be reached over a socket. Only loopback
    addresses are accepted.
    """
    if not _is_loopback(host):
        raise ValueError(f"serve_http only binds loopback addresses, not {host!r}")
    connections: set[asyncio.Task[Any]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            connections.add(task)
        try:
            await _serve_connection(fake, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # Only serve_http's shutdown cancels these tasks; ending normally avoids Python 3.11's
            # "Exception in callback StreamReaderProtocol..." noise for cancelled handler tasks.
            pass
        finally:
            if task is not None:
                connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(on_connect, host, port)
    bound_port = int(server.sockets[0].getsockname()[1])
    try:
        yield ServedURL(host, bound_port)
    finally:
        server.close()
        for task in list(connections):
            task.cancel()
        if connections:
            await asyncio.gather(*connections, return_exceptions=True)
        await server.wait_closed()


async def _serve_connection(fake: FakeTelegram, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One keep-alive connection: read requests, answer them, until the client closes."""
    while True:
        request_line = await reader.readline()
        if not request_line:
            return
        if not request_line.strip():
            continue
        parts = request_line.decode("latin-1").split()
        if len(parts) != 3:
            await _write_response(writer, _error_response(400, "Bad Request: malformed request line"), False)
            return
        verb, target, version = parts
        headers: dict[str, str] = {}
        while True:
            line = await reader.readline()
            if not line:
                return
            if not line.strip():
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _read_chunked(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        exchange = asyncio.ensure_future(_http_exchange(fake, verb, target, headers, body))
        try:
            while not exchange.done():
                await asyncio.wait({exchange}, timeout=0.05)
                if not exchange.done() and reader.at_eof():
                    return  # the client gave up (e.g. a cancelled long poll): abandon it, as Telegram does
        finally:
            if not exchange.done():
                exchange.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await exchange
        response = exchange.result()
        shutting_down = False
        if response.status == HTTPStatus.CONFLICT and not reader.at_eof():
            # a superseded long poll: give a just-departing client the moment to show it is gone
            try:
                await asyncio.sleep(0.1)
            except asyncio.CancelledError:
                shutting_down = True
        if shutting_down or reader.at_eof():
            if response.call is not None:
                response.call.status = 0
                response.call.description = "abandoned: the client stopped waiting"
            return
        if response.action == "drop":
            return
        if response.action == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(), timeout=fake.hang_limit)
            return
        await _write_response(writer, response, keep_alive)
        if not keep_alive:
            return


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_line = await reader.readline()
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readline()).strip():
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def _http_exchange(fake: FakeTelegram, verb: str, target: str, headers: dict[str, str], body: bytes) -> _Response:
    if verb not in ("GET", "POST"):
        return _error_response(405, "Method Not Allowed")
    parts = urllib.parse.urlsplit(target)
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    content_type = headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    try:
        if body and mime == "application/json":
            decoded = json.loads(body.decode("utf-8"))
            if not isinstance(decoded, dict):
                return _error_response(400, "Bad Request: request body must be a JSON object")
            params.update(decoded)
        elif body and mime == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif body and mime == "multipart/form-data":
            params.update(_parse_multipart(body, content_type))
    except (ValueError, UnicodeDecodeError):
        return _error_response(400, "Bad Request: can't parse request body")
    return await _route(fake, parts.path, params, "http")


_DISPOSITION_PARAM_RE: Final = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """A small multipart/form-data parser: text fields become str, file fields UploadedFile."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ValueError("multipart body without boundary")
    delimiter = b"--" + match.group(1).encode("latin-1")
    result: dict[str, Any] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part.removeprefix(b"\r\n")
        head, _, data = part.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        part_headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            part_headers[name.strip().lower()] = value.strip()
        disposition = part_headers.get("content-disposition", "")
        fields = {
            m.group(1).lower(): (m.group(2).replace('\\"', '"') if m.group(2) is not None else m.group(3))
            for m in _DISPOSITION_PARAM_RE.finditer(disposition)
        }
        field_name = fields.get("name")
        if not field_name:
            continue
        if "filename" in fields:
            result[field_name] = UploadedFile(fields["filename"], data, part_headers.get("content-type"))
        else:
            result[field_name] = data.decode("utf-8")
    return result


async def _write_response(writer: asyncio.StreamWriter, response: _Response, keep_alive: bool) -> None:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    head = (
        f"HTTP/1.1 {response.status} {reason}\r\n"
        "Server: nginx/1.18.0\r\n"
        f"Content-Type: {response.content_type}\r\n"
        f"Content-Length: {len(response.body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "\r\n"
    )
    writer.write(head.encode("latin-1") + response.body)
    await writer.drain()
