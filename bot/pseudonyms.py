"""Pseudonyms for logs: an HMAC-SHA256 of the Telegram id under a secret key, 8 bytes shown.

A constant key in the source made the old pseudonym reversible in seconds (Telegram ids are small numbers,
so anyone with the code can hash all of them). The key is secret instead: from `BOT_LOG_KEY`, or generated
once and kept in the database (so pseudonyms stay stable across restarts, and a backup of the logs alone
reveals nothing). Until a key is installed, a random per-process key is used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32
SHOWN_BYTES = 8
_key: bytes = secrets.token_bytes(KEY_BYTES)


def use_key(key: bytes) -> None:
    """Install the key for this process (at start, before any update is handled)."""
    global _key
    if len(key) < 16:
        raise ValueError("the log pseudonym key must have at least 16 bytes")
    _key = key


def new_key() -> str:
    """A fresh key as hex text, to be kept in the database."""
    return secrets.token_hex(KEY_BYTES)


def key_from_text(text: str) -> bytes:
    """`BOT_LOG_KEY` or a stored key: hex if it is hex, otherwise its UTF-8 bytes."""
    try:
        return bytes.fromhex(text)
    except ValueError:
        return text.encode()


def pseudonym(user_id: int) -> str:
    """Logs name users by this keyed hash, never by their Telegram id."""
    digest = hmac.new(_key, str(user_id).encode(), hashlib.sha256).digest()
    return "u-" + digest[:SHOWN_BYTES].hex()
