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

# `perfbot report --format md` (the CSV keeps FIELDS as they are: scripts read them).
REPORT_TITLE = "Performance report · {period}"
REPORT_COMPLETION = "Review completion: {rate} ({done} of {goals} acknowledged)"
REPORT_APPEALS = "Appeals opened / resolved: {opened} / {resolved}"
REPORT_MEDIAN = "Median time to resolve an appeal: {median}"
REPORT_HEADERS = (
    "name", "team", "branch", "total", "band", "previous", "trend", "flags", "praise",
    "working_days", "projected", "projected_band",
)  # fmt: skip
REPORT_CHART_TITLE = "Scores · {period}"

# `perfbot demo`, before its console opens (in the demo's language).
DEMO_TRY = "Try: /score @ana.li   /goals   /team   /help"
