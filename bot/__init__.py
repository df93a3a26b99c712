"""Wegweiser: a Telegram FAQ bot for newcomers in Kreis Heinsberg."""

__version__ = "0.1.0"
