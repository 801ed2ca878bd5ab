"""What the entry point builds once (bot/bootstrap.py) and hands to the shell and the
platforms: a plain record, importable by a platform folder without the composition root
(which knows every platform)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.config import Settings
from bot.metrics import Metrics
from handlers.dispatch import Dispatcher
from handlers.scores.compute import ScoringSetup
from store.uow import Clock, UnitOfWork


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    uow: Callable[[], UnitOfWork]
    clock: Clock
    dispatcher: Dispatcher
    scoring: ScoringSetup
    # platform -> deep link template with {code} (filled by a chat app once it knows its name)
    start_links: dict[str, str] = field(default_factory=dict)
    metrics: Metrics = field(default_factory=Metrics)  # this process's registry (/metrics)
