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
IMPORT_TEAM_MANAGER_TODO = "TODO fill in: its manager's e-mail"
IMPORT_TEAM_MANAGER_NAMED = "TODO fill in: the e-mail of {name}, its manager"
IMPORT_EMAIL = "TODO fill in: the e-mail of {who}"
IMPORT_TEAM_TODO = "TODO fill in: a team of teams:"
IMPORT_MANAGER_TODO = "TODO fill in: their manager's e-mail"
IMPORT_MANAGER_NAMED = "TODO fill in: the e-mail of {name}, their manager"
IMPORT_ROLE = "employee, manager, hr or admin"
IMPORT_SCORECARD_TODO = "TODO fill in: {names}"
IMPORT_EXISTS = "{out} exists: --force overwrites it"
IMPORT_WROTE = (
    "wrote {out}: {count} people from {platform}, {todo} to fill in;"
    " next: perfbot org load {out} --dry-run"
)
TODOS = ("TODO", "TODOs")
# `perfbot org load`: the TODOs of an imported file still to fill in (line, what is missing).
ORG_TODO_HEAD = "{file}: {todo} still to fill in:"
ORG_TODO_LINE = "  line {line}: {what}"
ORG_TODO_LEFT = "{file}: {todo} still to fill in (perfbot org load {file} --dry-run lists them)"
PEOPLE = ("person", "people")

# `perfbot db upgrade`: where the schema is once upgraded.
DB_UPGRADED = "schema up to date (revision {revision})"

# `perfbot doctor`: one line per check (what was found, then the fix).
DOCTOR_LINE = "{status:<4}  {what}"
DOCTOR_FIX = " -> {fix}"
DOCTOR_SUMMARY = "{failed} failed, {warned} to look at, {passed} ok"
DOCTOR_TIMEOUT = "{check}: no answer within {seconds:g} s"
DOCTOR_TIMEOUT_FIX = "is it reachable from here? (a firewall, a proxy, a wrong host)"
DOCTOR_CRASHED = "{check}: could not be checked ({error})"
DOCTOR_SETTINGS_BAD = "configuration: {problems}"
DOCTOR_SETTINGS_FIX = "correct the environment variables (or .env) named here"
DOCTOR_SCORING_OK = "scorecards: {names} ({path})"
DOCTOR_SCORING_BAD = "scorecards: {path} does not load: {error}"
DOCTOR_SCORING_FIX = "fix PERFBOT_SCORING's file (or unset it for the bundled one)"
DOCTOR_SOURCES_NONE = "sources: none configured (PERFBOT_SOURCES): no figures are synced"
DOCTOR_SOURCES_NONE_FIX = "set PERFBOT_SOURCES to a sources.yaml (see the README)"
DOCTOR_SOURCES_BAD = "sources: {path} does not load: {error}"
DOCTOR_SOURCES_FIX = "fix the sources file, or set the secrets it names"
DOCTOR_HOLIDAYS_BAD = "holidays: {error}"
DOCTOR_HOLIDAYS_FIX = "fix PERFBOT_NUDGE_HOLIDAYS' file"
DOCTOR_AUDIT_KEY = "audit key: PERFBOT_AUDIT_KEY is not set; the audit chain is plain SHA-256"
DOCTOR_AUDIT_KEY_FIX = "set PERFBOT_AUDIT_KEY to a long random secret kept outside the database"
DOCTOR_DB_OK = "database: {url} answers"
DOCTOR_DB_DOWN = "database: {url} unreachable: {error}"
DOCTOR_DB_FIX = "start the database, or correct DATABASE_URL / --db"
DOCTOR_SCHEMA_OK = "schema: up to date (revision {head})"
DOCTOR_SCHEMA_BEHIND = "schema: {state}, this perfbot needs {head}"
DOCTOR_SCHEMA_EMPTY = "empty"
DOCTOR_SCHEMA_AT = "at revision {revisions}"
DOCTOR_SCHEMA_FIX = "perfbot db upgrade"
DOCTOR_NO_CHAT = "chat: no platform configured; notices only go to the console"
DOCTOR_NO_CHAT_FIX = "set SLACK_BOT_TOKEN or TELEGRAM_BOT_TOKEN (see the README)"
DOCTOR_SOURCE_OK = "source {name}: reachable ({records} records on the first page)"
DOCTOR_SOURCE_DOWN = "source {name}: {error}"
DOCTOR_SOURCE_FIX = "check the base_url and credentials of source {name} in the sources file"
# A source whose host name does not exist (DNS): a wrong URL, told once, never retried.
# {setting} is the key in the sources file (base_url, auth.token_url), not translated.
DOCTOR_SOURCE_NO_HOST = "source {name}: host {host} does not exist (DNS: no such name)"
DOCTOR_SOURCE_NO_HOST_FIX = "check the {setting} of source {name} in {path}"
DOCTOR_SYNC_OK = "sync {name}: last success {ago} ago ({fetched} records)"
DOCTOR_SYNC_NEVER = "sync {name}: never synced to its end"
DOCTOR_SYNC_FAILED = "sync {name}: last run failed {ago} ago: {error}"
DOCTOR_SYNC_FIX = "perfbot sync {name}"
DOCTOR_LEADER_OK = "scheduler: {holder} leads, last heartbeat {ago} ago"
DOCTOR_LEADER_NONE = "scheduler: no scheduler has ever led on this database"
DOCTOR_LEADER_STALE = "scheduler: leader {holder} silent for {ago}"
DOCTOR_LEADER_FIX = "start `perfbot scheduler` (one per replica; one leads)"
DOCTOR_OUTBOX_OK = "outbox: {pending} waiting"
DOCTOR_OUTBOX_STUCK = "outbox: {pending} waiting, the oldest due {ago} ago"
DOCTOR_OUTBOX_STUCK_FIX = (
    "is a dispatcher running (perfbot serve … or perfbot scheduler)? or: perfbot outbox drain"
)
DOCTOR_FAILED_RECENT = "outbox: {count} failed in the last day ({by})"
DOCTOR_FAILED_OLD = "outbox: {count} failed earlier, none in the last day"
DOCTOR_FAILED_FIX = "perfbot outbox --status failed, then perfbot outbox retry ID"
DOCTOR_NO_CHAT_ID = "people: {count} can't be reached by chat: {names}"
DOCTOR_NO_CHAT_ID_FIX = "link them (perfbot link-code EMAIL) or put their chat ids in the org file"
DOCTOR_PEOPLE_OK = "people: everyone has a chat account"
DOCTOR_NO_GOALS = "periods: {count} open without goals: {names}"
DOCTOR_NO_GOALS_FIX = "perfbot goals load FILE"
DOCTOR_GOALS_OK = "periods: every open period has goals"
DOCTOR_CARD_MISSING = (
    "scorecards: {count} people on a scorecard that doesn't exist ({cards}): {names}"
)
DOCTOR_CARD_MISSING_FIX = "correct their scorecard in the org file, or add it to PERFBOT_SCORING"
DOCTOR_CARD_NONE = "scorecards: {count} people have none: {names}"
DOCTOR_CARD_NONE_FIX = "give them a scorecard in the org file"
DOCTOR_CARD_UNUSED = "scorecards: no one uses {cards}"
DOCTOR_CARD_UNUSED_FIX = "assign them in the org file, or drop them from PERFBOT_SCORING"
DOCTOR_CARDS_OK = "scorecards: every person's exists, every one is used"
DOCTOR_AND_MORE = "{names} and {more} more"

# The metrics listener of `perfbot scheduler` (and Telegram polling).
METRICS_PORT_BUSY = "cannot serve /metrics on PERFBOT_METRICS_PORT={port}: {error}"
METRICS_ON = "perfbot scheduler: metrics on http://0.0.0.0:{port}/metrics"

# perfbot backup / restore (bot/cli/backup.py, bot/cli/backup_report.py)
BACKUP_KINDS = {"sqlite": "SQLite backup", "postgresql": "PostgreSQL custom archive"}
# The count table's headers (one name a line: bot/catalogue.py reads each).
BACKUP_TABLE = "table"
BACKUP_ROWS = "rows"
RESTORE_COUNT_HEADERS = ("table", "in backup", "restored", "")
COUNT_OK, COUNT_DIFFERS = "ok", "DIFFERS"
COUNT_TOTAL = "total"
ROWS_IN_TABLES = "{rows:,} rows in {tables} tables"
MEGABYTES = "{mb:.1f} MB"
BACKUP_START = "backing up {db} to {out}"
BACKUP_PAGES = "  copied {done:,} of {total:,} pages"
BACKUP_WROTE = "wrote {path}: {kind}, {size}, {rows}"
BACKUP_HEAD = "audit head: event {last_id} ({count:,} events), anchored in {anchor}"
BACKUP_NO_EVENTS = "audit log: no events yet"
BACKUP_DELETED = "deleted {n} older backups (keeping the newest {keep}): {names}"
BACKUP_KEEP_NEEDS_DIR = "--keep applies when OUT is a directory of backups"
RESTORE_READING = "reading {path}: {kind}, {size}"
RESTORE_READ = "  {rows}; the whole file read and checked"
RESTORE_INTO = "restoring into {db}{replacing}"
RESTORE_REPLACING = " (replacing what it holds)"
RESTORE_MATCH = "restored {rows}: every table's count matches the backup"
RESTORE_MISMATCH = "restored, but {n} tables' counts differ from the backup: {tables}"
RESTORE_SCHEMA_BEHIND = (
    "the restored schema is at {current}, this perfbot needs {head}: run `perfbot db upgrade`"
)
RESTORE_CHAIN_LATER = (
    "audit chain not checked yet: run `perfbot db upgrade`, then `perfbot audit verify`"
)
RESTORE_CHAIN_OK = "audit chain intact: {count:,} events"
RESTORE_CHAIN_BROKEN = (
    "audit chain BROKEN at event {event}: {problem} "
    "(is PERFBOT_AUDIT_KEY the key the backup was written with?)"
)
RESTORE_OWN_ANCHOR = "head matches the backup's own anchor ({anchor})"
RESTORE_OWN_ANCHOR_BAD = "the backup's own anchor ({anchor}) does not match: {problem}"
RESTORE_LIVE_ANCHOR_OK = "head matches the newest anchor in {anchor}"
RESTORE_LIVE_ANCHOR_BAD = "the anchor file {anchor} does not match: {problem}"
RESTORE_REANCHORED = (
    "the anchor file {anchor} had events up to {last_id} ({count:,}), anchored at {at}: "
    "the {lost:,} events after this backup are lost; anchored the restored head there, so "
    "`perfbot audit verify` checks from here"
)
# Why a backup or restore was refused (store/backup/errors.py), one line each with the fix.
BACKUP_TOOL_MISSING = (
    "{tool} not found (looked on {searched}): install PostgreSQL's client tools, "
    "e.g. `apt-get install postgresql-client`, of the server's major version or newer"
)
BACKUP_TOOL_FAILED = "{tool} failed: {detail}"
BACKUP_NOT_A_BACKUP = {
    "missing": "{path}: no such file",
    "empty": "{path} is empty: not a backup",
    "unknown": "{path} is not a perfbot backup (neither a SQLite database nor a pg_dump "
    "custom archive)",
    "foreign": "{path} is a database backup, but not of perfbot (it has no alembic_version table)",
}
BACKUP_CORRUPT = "{path} is damaged or cut short, nothing was restored: {detail}"
BACKUP_CUT_SHORT = "the data of table {table} ends early"
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "memory": "SQLite in memory"}
BACKUP_WRONG_DATABASE = (
    "{path} is a {backup} backup and the database is {database}: restore it into a "
    "{backup} database file or server (--db)"
)
BACKUP_EXISTS = "{path} already exists: a backup never overwrites a file"
RESTORE_NOT_EMPTY = (
    "the database is not empty ({tables} tables, {rows:,} rows): restore only into an empty "
    "database, or pass --replace to replace what it holds"
)
BACKUP_FILE_FAILED = "{path}: {reason}"

# A database a command can't use (bot/cli/db_errors.py): one line each, with the fix.
DB_PG_DOWN = (
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
SCORE_NO_PERIOD = "no period {key!r}"
SCORE_CLOSED = "period {key} is closed; re-open it to re-score"
SCORED = "{n} scores computed for {period} in {seconds:.2f}s"
UNSCORED_HEAD = "could not score {people} (fix the org file or the scoring configuration):"

# A scoring or metrics file no process can start with (bot/scoring_setup.py).
SETUP_REFUSED = "{origin}: {n}, nothing was run:"

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

# What every command may say (bot/cli/common.py, shared wording).
BAD_CONFIGURATION = "bad configuration: {problems}"
LOCALES_SPOKEN = "perfbot speaks {locales}"
WARNING = "warning: {note}"
REFUSED_HEAD = "{headline}:"  # a file that loaded nothing, above its problems
WROTE = "wrote {path}"
NONE = "none"
SCHEMA_EMPTY = "empty"
AND = " and "  # between the places a tool was looked for
RESCORED_PERIODS = "re-scored periods: {periods}"
HANDED_TO = "  to {heir}: {items}"  # open items passed on, under a person deactivated
PERIOD_NOT_SET_UP = "Period {key} has not been set up yet."

# `perfbot doctor`: the status column, and how long ago something happened.
DOCTOR_STATUS = {"ok": "ok", "warn": "warn", "FAIL": "FAIL"}
AGO_SECONDS = "{n} s"
AGO_MINUTES = "{n} min"
AGO_HOURS = "{n} h"
AGO_DAYS = "{n} days"

# `perfbot db upgrade | status`
DB_STATUS = "database: {current}; code: {heads}"

# `perfbot audit verify | anchor | tail`
AUDIT_NO_KEY = "no audit key (PERFBOT_AUDIT_KEY): links are plain SHA-256"
AUDIT_NO_ANCHOR = "no anchor to check the head against (PERFBOT_AUDIT_ANCHOR_FILE)"
AUDIT_BROKEN_AT = (
    "audit chain BROKEN at event {event}: {problem} ({checked} events before it are intact)"
)
AUDIT_BROKEN = "audit chain BROKEN: {problem}"
AUDIT_INTACT = "audit chain intact: {checked} events"
AUDIT_ERASED = ", {erased} with erased content"
AUDIT_HEAD_ANCHORED = "; head matches the anchor of {at}"
AUDIT_NO_ANCHOR_FILE = "no anchor file: pass --anchors or set PERFBOT_AUDIT_ANCHOR_FILE"
AUDIT_CHAIN_BROKEN = "the audit chain is broken: run `perfbot audit verify`"
AUDIT_ANCHORED = "anchored {count} events (newest: event {last_id}) in {path}"
AUDIT_NO_EVENTS = "no events"

# `perfbot demo`: what it set up before the console opens (in the operator's language).
DEMO_READY = (
    "demo company ready in {url}: 43 people, 3 branches, {periods} monthly periods, "
    "{facts} source records"
)
DEMO_SWEPT = (
    "at-risk sweep: {nudges} nudges queued for managers{skipped}; "
    "see them with: perfbot outbox drain --console"
)
DEMO_SKIPPED = " (skipped {skipped})"
DEMO_SKIPPED_ONE = "{branch}: {reason}"  # a branch the sweep left out, and why
DEMO_CLOSED = "{period} closed: results, incentives and everyone's result card"

# `perfbot goals load | list`
GOALS_REFUSED = "{file}: nothing cascaded"
GOALS_LOADED = (
    "{period}: {created} created, {changed} changed, {unchanged} unchanged; "
    "proposals sent to {managers}"
)
GOALS_NONE = "no goals"

# `perfbot import FILE`: historical figures.
HISTORY_ROWS = "{file}: {rows} rows, {accepted} accepted, {rejected} rejected, {blank} blank"
HISTORY_FACTS = "facts: {new} new, {changed} changed, {voided} voided"
HISTORY_DRY_RUN = " (dry run: nothing stored)"
HISTORY_REJECTED = "rejected rows:"
HISTORY_REJECTED_ROW = "  row {row}: {reasons}"

# `perfbot link-code EMAIL`
LINK_NO_EMPLOYEE = "no active employee with e-mail {email!r}"
LINK_NOT_ALLOWED = "{by!r} may not link {email}: {why}"

# `perfbot org load | sync | list`
ORG_REFUSED = "{file}: {problems}, nothing loaded"
ORG_WOULD_DEACTIVATE = "would deactivate {n}: {emails}"
ORG_DEACTIVATING = "deactivating {n}: {emails}"
ORG_GO_AHEAD = "Go ahead?"
ORG_CREATED = "created {created}, updated {updated}, unchanged {unchanged}"
ORG_WOULD_CREATE = "would create {created}, updated {updated}, unchanged {unchanged}"
ORG_DEACTIVATED = "; deactivated {n}: {emails}"
ORG_REACTIVATED = "; reactivated {n}: {emails}"
ORG_NOT_IN_FILE = (
    "; {n} active people in the database are not in the file "
    "(left as they are; --deactivate-missing deactivates them)"
)
ORG_DRY_RUN = "(dry run: nothing was changed)"
ORG_SYNC_REFUSED = "{problem}, nothing synced"
ORG_SYNC_UNREADABLE = "the directory could not be read, nothing synced"
ORG_SYNC_PROBLEMS = "directory: {problems}, nothing synced"
ORG_NO_PEOPLE = "no people yet"

# `perfbot outbox | retry | drain`
OUTBOX_NONE = "no notifications"
OUTBOX_NO_ROW = "no notification #{id} (see: perfbot outbox)"
OUTBOX_NOT_FAILED = "notification #{id} is {status}, not failed: nothing to retry"
OUTBOX_REQUEUED = "notification #{id} re-queued"
OUTBOX_DRAINED = "{what} {n}"  # one count of a drain, e.g. "sent 3"
OUTBOX_NOTHING_DUE = "nothing due"  # a drain that found nothing to send
OUTBOX_DRAIN_SEP = ", "  # between a drain's counts: "claimed 3, sent 3"
NAMES_SEP = ", "  # between names listed in a line: "Ana Li, Zhou Tao"
CLAUSES_SEP = "; "  # between clauses of a line: "bonus (projected); promotion candidate"
OUTBOX_DRAIN_COUNTS = {
    "claimed": "claimed",
    "sent": "sent",
    "retried": "retried",
    "throttled": "throttled",
    "failed": "failed",
    "unreachable": "unreachable",
    "lost_claims": "lost_claims",
}

# `perfbot people deactivate | reactivate`
PEOPLE_UNKNOWN = "no such employee: {emails}"
PEOPLE_DEACTIVATED = "deactivated {n}{also}"
PEOPLE_ALREADY_INACTIVE = "; already inactive: {emails}"
PEOPLE_HANDOVER_OF = "{email}:"  # heads what a deactivated person's open work went to
PEOPLE_NOTHING_OPEN = "  nothing open to hand over"
PEOPLE_REACTIVATED = "reactivated {n}{also}"
PEOPLE_ALREADY_ACTIVE = "; already active: {emails}"

# `perfbot period calibrate | close | reopen`
PERIOD_NOT_A_NUMBER = "{score!r} is not a number"
PERIOD_NOBODY = "nobody is {email}"
PERIOD_CLOSED = (
    "{key} closed: {frozen} scores frozen, {flags} incentive decisions, {cards} result cards "
    "and {hr} HR notices queued"
)
PERIOD_REOPENED = "{key} re-opened; {thawed} scores can be recomputed"

# `perfbot person export | erase`
PERSON_UNKNOWN = "no person with the e-mail {email}"
PERSON_EXPORTED = (
    "exported {rows} rows about {email} from {tables} tables to {out} "
    "(person.json and one CSV per table)"
)
PERSON_ACTIVE = "{email} is active: deactivate them first, or pass --force"
PERSON_ERASE_ASK = "Erase the personal data of {name} <{email}>? This cannot be undone"
PERSON_NOTHING_ERASED = "nothing erased"
PERSON_IN_ENTITY_ID = (
    "the e-mail is in the entity id of {events}, which the chain's links cover: it stays there"
)
PERSON_KEPT_EVENTS = (
    "{events} from before content digests: their content is part of the chain and stays"
)
PERSON_ERASED = (
    "erased {email}: now {pseudonym}; rows changed or deleted: {rows}; "
    "{events} cleared (the chain still verifies)"
)

# `perfbot report`
REPORT_PNG_NEEDS_OUT = "--out FILE.png is required for --format png"

# `perfbot scheduler` and `perfbot serve`: a serving process's own news (for the operator,
# in English: these commands speak to chat users in their own languages).
SCHEDULER_DELIVERING = (
    "perfbot scheduler: delivering through {platforms}; "
    "leading when no other scheduler holds the lock (Ctrl-C to stop)"
)
SCHEDULER_STOPPED = "perfbot scheduler: stopped"
SERVE_SLACK = "perfbot: Slack app on http://{host}:{port}/slack/events"
SERVE_FEISHU = "perfbot: Feishu app on http://{host}:{port}/feishu/events"
SERVE_INGEST = "perfbot: ingest on http://{host}:{port}/ingest/<source> for {sources}"
SERVE_NO_PUSH = "no source can push: set {prefix}<SOURCE> for each source that will"

# `perfbot sweep`
SWEEP_NO_BRANCH = "no branch named {unknown}; branches: {branches}"
SWEEP_HEAD = "Sweep: {counts}"
SWEEP_HEAD_DRY = "Sweep (dry run: nothing sent): {counts}"
SWEEP_NOBODY = "nobody behind pace"
SWEEP_OF_EXPECTED = "{actual} of {expected} expected"
SWEEP_AT_MOST = "{actual}{unit} vs at most {target}{unit}"
SWEEP_SKIPPED = "  skipped {branch}: {reason}"
# A finding's decision in the sweep's table (the codes of handlers/nudges/sweep.py).
SWEEP_DECISION_NAMES = {
    "nudge": "nudge",
    "already nudged": "already nudged",
    "snoozed": "snoozed",
    "no manager": "no manager",
    "recovered": "recovered",
}

# `perfbot sync` and `perfbot unmatched`
SYNC_COLUMNS = {
    "source": "source",
    "fetched": "fetched",
    "new": "new",
    "changed": "changed",
    "voided": "voided",
    "unmatched": "unmatched",
    "rejected": "rejected",
    "seconds": "seconds",
    "result": "result",
}
SYNC_FIGURE = "{n:,} {column}"
SYNC_LINE = "{source}: {state}, {pages:,} pages, {figures}"
SYNC_STATES = {"done": "done", "failed": "FAILED", "running": "running"}
SYNC_PROGRESS = "{fetched:,} records · {new:,} new · {changed:,} changed"
SYNC_OK = "ok"
SYNC_STOPPED = "stopped"
SYNC_NO_HOST = "host {host} does not exist (DNS: no such name): " + DOCTOR_SOURCE_NO_HOST_FIX
SYNC_FULL = " (full)"
SYNC_KEPT_ASIDE = "records kept aside (unknown employee or unreadable): perfbot unmatched"
SYNC_NONE_ASIDE = "no records set aside"
