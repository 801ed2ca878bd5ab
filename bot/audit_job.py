"""Anchor the audit chain's head outside the database (`perfbot audit anchor`, the
scheduler's `audit_anchor` job)."""

from __future__ import annotations

from pathlib import Path

from bot.runtime import Runtime
from store.audit_anchor import Anchor


def anchor(rt: Runtime, path: Path) -> Anchor | None:
    """Verify the chain and append its head to `path`, linked with the configured key; None
    when the chain is broken (nothing is written then)."""
    with rt.uow() as uow:
        return uow.operator.anchor_audit(path, rt.settings.audit.key_bytes(), rt.clock())
