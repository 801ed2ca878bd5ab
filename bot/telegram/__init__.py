"""The Telegram adapter."""

PLATFORM = "telegram"  # the name its chat identities are stored under
