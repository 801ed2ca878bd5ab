"""The Feishu/Lark adapter."""

PLATFORM = "feishu"  # the name its chat identities are stored under
