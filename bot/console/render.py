"""The console's rendering: a card as plain text (bot/plain_text.py, which the webhook's
`text` shares)."""

from __future__ import annotations

from bot.plain_text import render

__all__ = ["render"]
