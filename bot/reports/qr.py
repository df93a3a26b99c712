"""QR codes for posters and flyers: a deep link that opens the bot in a language, a town and a topic.

The bot reads `/start ar_erkelenz_child-benefit` part by part (language code, town id or entry id), so a
poster in an Arabic-speaking café in Erkelenz can open the child-benefit answer directly. A part the bot
does not know would be ignored silently, which is why the parts are checked against the knowledge here,
before thousands of flyers are printed.

QR encoding: `segno` (pure Python, no dependencies, actively maintained, typed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno

from bot.knowledge.loader import did_you_mean
from bot.knowledge.model import KnowledgeBase
from bot.languages import LANGUAGES

PAYLOAD_LIMIT = 64  # Telegram: the start parameter has at most 64 characters
PAYLOAD_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")  # Telegram: only A-Z, a-z, 0-9, _ and -
# Telegram usernames: 5-32 characters, letters, digits and "_", starting with a letter; bots end in "bot".
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$")


class PayloadError(ValueError):
    """A part of the deep link is unknown or Telegram would refuse the link; the message says which."""


@dataclass(frozen=True)
class DeepLink:
    username: str
    payload: str

    @property
    def url(self) -> str:
        return f"https://t.me/{self.username}?start={self.payload}" if self.payload else f"https://t.me/{self.username}"


def _topic_hint(topic: str, knowledge: KnowledgeBase) -> str:
    """Editors think in words ("kindergeld"), the link needs the id: find the entry by title or keyword."""
    hint = did_you_mean(topic, knowledge.entries)
    if hint:
        return hint
    word = topic.replace("-", " ").casefold()
    found = sorted(
        entry.id
        for entry in knowledge.entries.values()
        if any(word in text.casefold() for text in (*entry.keywords, *entry.title.values.values()))
    )
    return f" – did you mean {' or '.join(repr(e) for e in found[:3])}?" if found else ""


def clean_username(name: str) -> str:
    """Accept `@name`, `t.me/name` or `name`; Telegram bot usernames must end in "bot"."""
    name = name.strip()
    for prefix in ("https://", "http://", "t.me/", "telegram.me/", "@"):
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
    if not USERNAME.match(name) or "__" in name:
        raise PayloadError(f"'{name}' is not a Telegram username (5-32 letters, digits or _, starting with a letter)")
    if not name.lower().endswith("bot"):
        raise PayloadError(f"'{name}' is not a bot: bot usernames end in 'bot'")
    return name


def validate_payload(payload: str) -> str:
    """Telegram's rules for the start parameter."""
    if len(payload) > PAYLOAD_LIMIT:
        raise PayloadError(f"the start parameter '{payload}' has {len(payload)} characters; Telegram allows 64")
    if payload and not PAYLOAD_CHARS.match(payload):
        bad = sorted({c for c in payload if not re.match(r"[A-Za-z0-9_-]", c)})
        raise PayloadError(
            f"the start parameter '{payload}' contains {' '.join(repr(c) for c in bad)}; "
            "Telegram allows only A-Z, a-z, 0-9, _ and -"
        )
    return payload


def build_payload(
    knowledge: KnowledgeBase,
    language: str | None = None,
    town: str | None = None,
    topic: str | None = None,
) -> str:
    """Check each part against what the bot's `/start` understands and join them with "_"."""
    parts: list[str] = []
    if language:
        language = language.strip().lower()
        if language not in LANGUAGES:
            raise PayloadError(
                f"unknown language '{language}'{did_you_mean(language, LANGUAGES)} (known: {', '.join(LANGUAGES)})"
            )
        parts.append(language)
    if town:
        town = town.strip().lower()
        if town not in knowledge.towns:
            raise PayloadError(
                f"unknown town '{town}'{did_you_mean(town, knowledge.towns)} (known: {', '.join(knowledge.towns)})"
            )
        parts.append(town)
    if topic:
        topic = topic.strip().lower()
        if topic not in knowledge.entries:
            raise PayloadError(f"unknown topic '{topic}'{_topic_hint(topic, knowledge)} (an entry id from faq/*.yaml)")
        parts.append(topic)
    return join_parts(parts)


def join_parts(parts: Sequence[str]) -> str:
    """The bot splits the payload at "_", so no part may contain one."""
    for part in parts:
        if "_" in part:
            raise PayloadError(f"'{part}' contains '_', which separates the parts of the link")
    return validate_payload("_".join(parts))


def deep_link(username: str, parts: Sequence[str]) -> DeepLink:
    """A link from already-checked parts (for callers that build the payload themselves)."""
    return DeepLink(clean_username(username), join_parts(parts))


def write_qr(url: str, path: Path, scale: int = 10, border: int = 4) -> None:
    """A PNG with the quiet zone QR readers need; error correction "M" survives a crumpled poster."""
    qr = segno.make(url, error="m", micro=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    qr.save(str(path), kind="png", scale=scale, border=border)
