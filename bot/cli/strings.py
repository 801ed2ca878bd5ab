"""What the `perfbot` commands print for people: table headers and the nouns they count.
(The chat commands' wording is in handlers/strings_en.py.)"""

from __future__ import annotations

# Nouns counted (one, many), for handlers.format.plural.
PROBLEMS = ("problem", "problems")
MANAGERS = ("manager", "managers")
GOALS = ("goal", "goals")
PEOPLE = ("person", "people")
AUDIT_EVENTS = ("audit event", "audit events")
DECISIONS = {  # the at-risk sweep's decisions, as counted in its headline
    "nudge": ("nudge", "nudges"),
    "already nudged": ("already nudged", "already nudged"),
    "snoozed": ("snoozed", "snoozed"),
    "no manager": ("without a manager", "without a manager"),
    "recovered": ("recovered", "recovered"),
}

# Table headers.
OUTBOX_HEADERS = ("id", "status", "tries", "when (UTC)", "kind", "to", "title")
GOALS_HEADERS = ("id", "level", "title", "owner", "target", "unit", "status")
ORG_HEADERS = ("email", "name", "role", "team", "branch", "manager")
AUDIT_HEADERS = ("id", "at (UTC)", "actor", "action", "entity", "after")
UNMATCHED_HEADERS = ("source", "record", "metric", "reason")
SWEEP_HEADERS = ("decision", "person", "goal", "pace", "figures", "manager")

PROPOSED = "{target} proposed"
OUTBOX_CHANNEL = "channel {channel}"
OUTBOX_NOBODY = "—"

# A database a command can't use (bot/cli/db_errors.py): one line each, with the fix.
DB_UNREACHABLE = (
    "cannot reach PostgreSQL at {where} ({cause}). "
    "Fix: start PostgreSQL there, or point --db / DATABASE_URL at a running server"
)
DB_ABSENT = (
    "database {name!r} does not exist on {host}:{port}. "
    "Fix: createdb -h {host} -p {port} -U {user} {name}, then perfbot db upgrade"
)
DB_AUTH = (
    "PostgreSQL refused the login in {url} ({cause}). "
    "Fix: the user and password in --db / DATABASE_URL"
)
DB_SQLITE_OPEN = (
    "cannot open the SQLite database {path} ({cause}). "
    "Fix: create {folder} and make it writable by this user, or point --db / DATABASE_URL elsewhere"
)
DB_NO_TABLES = (
    "the database at {url} has no perfbot tables (schema behind). Run: perfbot db upgrade"
)
DB_BAD_URL = (
    "{url!r} is not a database URL perfbot can use. "
    "Fix: --db / DATABASE_URL as sqlite:///perfbot.db or postgresql://user:pass@host:5432/name"
)
DB_OTHER = (
    "cannot use the database at {url}: {cause}. "
    "Fix: check --db / DATABASE_URL, then perfbot db upgrade"
)

# `perfbot score`
SCORED = "{n} scores computed for {period} in {seconds:.2f}s"
UNSCORED_HEAD = "could not score {people} (fix the org file or the scoring configuration):"

# A scoring or metrics file no process can start with (bot/scoring_setup.py).
SETUP_REFUSED = "{origin}: {n}, nothing was run:"
