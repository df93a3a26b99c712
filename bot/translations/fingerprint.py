"""Short fingerprints of German texts, so a translation can say which German version it was made from."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# The fields of an FAQ entry that are translated (example questions are written per language, not translated).
TRANSLATED_FIELDS = ("title", "answer")
FINGERPRINT = re.compile(r"^[0-9a-f]{8}$")


def normalise_source(text: str) -> str:
    """Spaces and line ends an editor cannot see do not make a translation outdated; words and lines do."""
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line)


def fingerprint(text: str) -> str:
    """8 hex digits of sha256: short enough for the YAML, long enough that two versions never collide in practice."""
    return hashlib.sha256(normalise_source(text).encode("utf-8")).hexdigest()[:8]
