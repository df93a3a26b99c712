"""User text in Markdown reports stays text: no HTML, no images, no links.

Question texts come from anyone on Telegram; a report opened in a Git or wiki page must not load an image
from someone's server (`![x](https://…)` tells them who reads the report, and when) or offer a
`javascript:` link. Markdown punctuation is backslash-escaped, HTML's `<`, `>` and `&` become entities.
"""

from __future__ import annotations

import re

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()!|~])")


def markdown_text(text: str) -> str:
    """One line of plain text for a Markdown document (table cells included)."""
    flat = " ".join(text.split())
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)
    return "".join(_HTML.get(ch, ch) for ch in escaped)
