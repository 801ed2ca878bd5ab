"""The install itself: settings, the files they name, the database and its schema."""

from __future__ import annotations

import os
from collections.abc import Callable

from pydantic import ValidationError
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bot.cli import texts as st
from bot.config import Settings
from bot.doctor.finding import FAIL, OK, WARN, Finding
from bot.doctor.run import first_line
from bot.holidays import HolidaysError
from bot.policy import sweep_policy
from bot.scoring_setup import load_scoring
from connectors import validation
from connectors.config import ConfigError, SourceConfig, load_sources
from handlers.i18n import say
from handlers.scores.compute import ScoringSetup
from store.db import make_engine
from store.schema import current_and_head

CONNECT_SECONDS = 5  # PostgreSQL's connect timeout: a host that drops packets answers no


def settings(make: Callable[[], Settings]) -> Settings | Finding:
    """The settings, or the one FAIL naming every bad variable."""
    try:
        return make()
    except ValidationError as exc:
        problems = say(validation.problems(exc))
        what = st.DOCTOR_SETTINGS_BAD.format(problems=problems)
        return Finding("configuration", FAIL, what, st.DOCTOR_SETTINGS_FIX)


def scoring(s: Settings) -> tuple[ScoringSetup | None, list[Finding]]:
    """The scorecards (None when they don't load), and the line saying so."""
    try:
        setup = load_scoring(s)
    except Exception as exc:  # YAML, a missing file, a bad scorecard: all the same to fix
        what = st.DOCTOR_SCORING_BAD.format(path=s.scoring, error=first_line(exc))
        return None, [Finding("scoring", FAIL, what, st.DOCTOR_SCORING_FIX)]
    names = st.NAMES_SEP.join(sorted(setup.config.scorecards)) or "-"
    return setup, [Finding("scoring", OK, st.DOCTOR_SCORING_OK.format(names=names, path=s.scoring))]


def sources(s: Settings) -> tuple[list[SourceConfig], list[Finding]]:
    """The configured sources (their secrets included), and a line when there is a problem."""
    if s.sources is None:
        return [], [Finding("sources", WARN, st.DOCTOR_SOURCES_NONE, st.DOCTOR_SOURCES_NONE_FIX)]
    try:
        return load_sources(s.sources, environ=os.environ), []
    except (ConfigError, OSError) as exc:
        what = st.DOCTOR_SOURCES_BAD.format(path=s.sources, error=first_line(exc))
        return [], [Finding("sources", FAIL, what, st.DOCTOR_SOURCES_FIX)]


def extras(s: Settings) -> list[Finding]:
    """The holiday file, and the audit key (a chain without it can be re-hashed)."""
    found = []
    try:
        sweep_policy(s)
    except HolidaysError as exc:
        what = st.DOCTOR_HOLIDAYS_BAD.format(error=first_line(exc))
        found.append(Finding("holidays", FAIL, what, st.DOCTOR_HOLIDAYS_FIX))
    if s.audit.key is None:
        found.append(Finding("audit", WARN, st.DOCTOR_AUDIT_KEY, st.DOCTOR_AUDIT_KEY_FIX))
    return found


def engine_for(url: str) -> Engine:
    """An engine that gives up connecting after CONNECT_SECONDS on PostgreSQL."""
    if make_url(url.replace("postgres://", "postgresql://", 1)).get_backend_name() == "sqlite":
        return make_engine(url)
    return make_engine(url, connect_args={"connect_timeout": CONNECT_SECONDS})


def database(engine: Engine) -> list[Finding]:
    """Does the database answer?"""
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        what = st.DOCTOR_DB_DOWN.format(url=shown, error=first_line(exc))
        return [Finding("database", FAIL, what, st.DOCTOR_DB_FIX)]
    return [Finding("database", OK, st.DOCTOR_DB_OK.format(url=shown))]


def schema(engine: Engine) -> list[Finding]:
    """Is the schema at this code's head?"""
    current, heads = current_and_head(engine)
    head = ", ".join(sorted(heads))
    if current == heads:
        return [Finding("schema", OK, st.DOCTOR_SCHEMA_OK.format(head=head))]
    state = (
        st.DOCTOR_SCHEMA_AT.format(revisions=", ".join(sorted(current)))
        if current
        else st.DOCTOR_SCHEMA_EMPTY
    )
    what = st.DOCTOR_SCHEMA_BEHIND.format(state=state, head=head)
    return [Finding("schema", FAIL, what, st.DOCTOR_SCHEMA_FIX)]
