"""The Slack adapter."""

PLATFORM = "slack"  # the name its chat identities are stored under
