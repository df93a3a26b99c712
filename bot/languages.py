"""The languages the bot speaks, in menu order."""

from typing import Final

LANGUAGES: Final = ("de", "en", "ar", "uk", "ru", "tr", "fa")
REFERENCE_LANGUAGE: Final = "de"
# When a text is missing in the user's language we fall back in this order.
FALLBACK_ORDER: Final = ("en", "de")
RTL_LANGUAGES: Final = frozenset({"ar", "fa"})


def normalise_language_code(code: str | None) -> str | None:
    """Map a Telegram `language_code` such as "de-AT" or "prs" to one of ours, or None."""
    if not code:
        return None
    base = code.lower().replace("_", "-").split("-")[0]
    aliases = {"prs": "fa", "per": "fa", "ua": "uk", "tk": "tr"}
    base = aliases.get(base, base)
    return base if base in LANGUAGES else None
