"""What the `perfbot` commands print for people: table headers and the nouns they count.
(The chat commands' wording is in handlers/strings_en.py.)"""

from __future__ import annotations

# Nouns counted (one, many), for handlers.format.plural.
PROBLEMS = ("problem", "problems")
MANAGERS = ("manager", "managers")
GOALS = ("goal", "goals")
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

# `perfbot org import`: the comments of the org file it writes, and what it prints.
IMPORT_HEADER = (
    "perfbot organisation file, started from the {platform} workspace by"
    " `perfbot org import {platform}` on {day}.",
    "Review it and fill in every TODO, then check and load it:",
    "  perfbot org load {out} --dry-run    # lists what is still missing, changes nothing",
    "  perfbot org load {out}",
)
IMPORT_HQ = "Headquarters"  # the one branch when the platform gives no time zones
IMPORT_BRANCHES = "One branch per time zone found: rename them; `hq: true` marks headquarters."
IMPORT_BRANCH = "TODO fill in: the branch's name ({count} in {timezone})"
IMPORT_BRANCH_NO_TZ = "TODO fill in: the branch's name and time zone"
IMPORT_TEAMS = "TODO fill in: {name: Sales East, branch: ..., parent: Sales, manager: e-mail}"
IMPORT_TEAM = "TODO fill in: its manager's e-mail, parent team"
IMPORT_EMAIL = "TODO fill in: the e-mail of {who}"
IMPORT_TEAM_TODO = "TODO fill in: a team of teams:"
IMPORT_MANAGER_TODO = "TODO fill in: their manager's e-mail"
IMPORT_MANAGER_NAMED = "TODO fill in: the e-mail of {name}, their manager"
IMPORT_ROLE = "employee, manager, hr or admin"
IMPORT_SCORECARD_TODO = "TODO fill in: {names}"
IMPORT_EXISTS = "{out} exists: --force overwrites it"
IMPORT_WROTE = (
    "wrote {out}: {count} people from {platform}, {todo} TODO to fill in;"
    " next: perfbot org load {out} --dry-run"
)
PEOPLE = ("person", "people")
