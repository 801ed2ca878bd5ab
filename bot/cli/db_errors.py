"""A database perfbot can't use, said in one line with the fix: the CLI shell turns the
errors SQLAlchemy and the drivers raise into these instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.cli import texts as st
from handlers.i18n import say
from store.db import normalise_url
from store.schema import SchemaBehind

# Causes, matched in the driver's own message (psycopg and sqlite3 word them so).
_ABSENT = ("does not exist",)
_REFUSED = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "no route to host",
    "name or service not known",
    "could not translate host name",
    "connection failed",
)
_AUTH = ("password authentication failed", "no password supplied", "role ")
_NO_TABLE = ("no such table", "undefinedtable", "relation ")
_SQLITE_OPEN = ("unable to open database file", "readonly database", "disk i/o error")

DB_ERRORS: tuple[type[Exception], ...] = (
    DBAPIError,
    ArgumentError,
    NoSuchModuleError,
    SchemaBehind,
)


def shown(url: str) -> str:
    """The URL as an operator may see it: no password."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def explain(exc: Exception, url: str) -> str:
    """One line: what is wrong with the database at `url` and the command that fixes it."""
    if isinstance(exc, SchemaBehind):
        return say(exc)
    if isinstance(exc, ArgumentError | NoSuchModuleError):
        return st.DB_BAD_URL.format(url=shown(url))
    cause = _first_line(exc)
    said = cause.lower()
    if any(w in said for w in _NO_TABLE) and isinstance(exc, DBAPIError) and not _is_connect(exc):
        return st.DB_NO_TABLES.format(url=shown(url))
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        if any(w in said for w in _SQLITE_OPEN):
            folder = Path(parsed.database or ".").resolve().parent
            return st.DB_SQLITE_OPEN.format(path=parsed.database, folder=folder, cause=cause)
        return st.DB_OTHER.format(url=shown(url), cause=cause)
    host, port = parsed.host or "localhost", parsed.port or 5432
    where = f"{host}:{port}"
    if "database" in said and any(w in said for w in _ABSENT):
        user = parsed.username or "postgres"
        return st.DB_ABSENT.format(name=parsed.database, host=host, port=port, user=user)
    if any(w in said for w in _AUTH):
        return st.DB_AUTH.format(url=shown(url), cause=cause)
    if any(w in said for w in _REFUSED):
        return st.DB_PG_DOWN.format(where=where, cause=cause)
    return st.DB_OTHER.format(url=shown(url), cause=cause)


def _is_connect(exc: DBAPIError) -> bool:
    return bool(exc.connection_invalidated) or exc.statement is None


def _first_line(exc: Exception) -> str:
    """The driver's reason without SQLAlchemy's wrapping, on one line."""
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    text = lines[0] if lines else type(orig).__name__
    # psycopg: 'connection failed: connection to server at "h" (ip), port 1 failed: <why>'
    return text.rsplit(" failed: ", 1)[-1] if " failed: " in text else text
