"""The help of every `perfbot` command, group, option and argument: catalogued (English
msgid, see bot/catalogue.py) and shown in the operator's language (bot/cli/click_language.py)."""

from __future__ import annotations

# bot/cli/common.py: the options many commands share
DB_OPTION = "Database URL (default: $DATABASE_URL or sqlite:///perfbot.db)."
LOCALE_OPTION = "Speak this language (en, zh-CN) instead of each person's own."

# bot/cli/__init__.py
PERFBOT = "perfbot: performance management inside Slack, Telegram and Feishu/Lark."

# bot/cli/audit.py
AUDIT = "The tamper-evident audit log."
AUDIT_VERIFY = (
    "Walk the chain and check its head against the newest anchor; exit 1 naming the\n"
    "first event that was edited or removed."
)
AUDIT_VERIFY_ANCHORS = (
    "Anchor file to check the head against (default: $PERFBOT_AUDIT_ANCHOR_FILE)."
)
AUDIT_ANCHOR = "Append the chain's head (count, newest id and link, time) to the anchor file."
AUDIT_ANCHOR_ANCHORS = "Anchor file to append to (default: $PERFBOT_AUDIT_ANCHOR_FILE)."
AUDIT_TAIL = "Show the most recent audit events."
AUDIT_TAIL_COUNT = "How many events."

# bot/cli/backup.py
BACKUP = (
    "Back the whole database up to OUT.\n\n"
    "OUT is a new file, or a directory (the backup gets a dated name in it). SQLite is\n"
    "copied through its online backup API, PostgreSQL with pg_dump's custom format."
)
BACKUP_KEEP = "OUT a directory: keep the newest N."
RESTORE = (
    "Restore a backup into an empty database and check it.\n\n"
    "Either kind, told by its first bytes, into a database of the same kind; then every\n"
    "table's count is compared with the backup's and the audit chain verified (exit 1 if\n"
    "either fails)."
)
RESTORE_REPLACE = "Restore into a database that is not empty, replacing what the backup holds."

# bot/cli/console.py
CONSOLE = "Type commands as an employee; see the cards and the notices others would get."
CONSOLE_WHO = "E-mail of the employee you act as."
CONSOLE_LINES = "Run this line and exit (repeatable)."
CONSOLE_AS_JSON = "Cards and notices as JSON."
DEMO = (
    "Create (or refresh) the demo company, then open a console as a sales manager.\n"
    "`--locale zh-CN`: the same company with Chinese names, speaking Chinese."
)
DEMO_SEED_ONLY = "Seed the demo company and exit."

# bot/cli/db.py
DB = "Schema migrations."
DB_UPGRADE = "Create or upgrade the database schema to this version."
DB_STATUS = "Show the schema revision of the database and of this code."

# bot/cli/doctor.py
DOCTOR = (
    "Check configuration, database, chat credentials, sources, the scheduler, the outbox\n"
    "and the organisation; one line each with the fix. Exit 1 on any failure."
)
DOCTOR_TIMEOUT = "Seconds each check may take (a host that never answers costs this much)."

# bot/cli/goals.py
GOALS = "Company goals and their cascade to teams and people."
GOALS_LOAD = "Load company goals and cascade them; managers get proposal cards to confirm."
GOALS_LIST = "Every goal of a period with its level, parent, owner, target and status."
GOALS_LIST_PERIOD = "Period key (default: the current month)."

# bot/cli/imports.py
IMPORT = (
    "Import a history file; every rejected row is reported with its row number and why.\n\n"
    'Accepted rows land in one transaction as facts from "import:<file name>"; importing '
    "the\n"
    "same file again changes nothing. Exit status 1 when any row was rejected."
)
IMPORT_MAPPING_PATH = "MAP.yaml: which column is the employee, the date, each metric."
IMPORT_DRY_RUN = "Check and count, store nothing."
IMPORT_AS_JSON = "The report as JSON."

# bot/cli/link_code.py
LINK_CODE = "Print a single-use code that links EMAIL's Telegram account (`/start CODE`)."
LINK_CODE_BOT_USERNAME = "The bot's username, to print a t.me deep link."
LINK_CODE_BY_EMAIL = "E-mail of the HR person or admin handing it out."

# bot/cli/org.py
ORG = "Branches, teams and people."
ORG_LOAD = (
    "Load FILE.yaml idempotently; a file with any problem loads nothing. `active: false`\n"
    "on a person deactivates them; their open items pass to their manager or HR."
)
ORG_LOAD_DEACTIVATE_MISSING = "Deactivate active people who are not in the file (listed first)."
ORG_LOAD_DRY_RUN = "Report what would change; change nothing."
ORG_LOAD_YES = "Don't ask before deactivating (a terminal asks)."
ORG_SYNC = (
    "Load the organisation from the HR directory (SCIM); people marked inactive there\n"
    "are deactivated. A directory with any problem changes nothing."
)
ORG_SYNC_DRY_RUN = "Read and check; say what would change."
ORG_SYNC_CONFIG = "YAML with a directory: section (default: $PERFBOT_DIRECTORY, else sources.yaml)."
ORG_LIST = "Print every person with team, manager, branch and role."

# bot/cli/org_import.py
ORG_IMPORT = (
    "Write a starting org file from PLATFORM's members (names, e-mails, chat ids, time\n"
    "zones), with `# TODO fill in` where the platform doesn't say; review it, then `org "
    "load`."
)
ORG_IMPORT_OUT = "The org file to write."
ORG_IMPORT_FORCE = "Overwrite --out if it exists."
ORG_IMPORT_CHATS = (
    "A group chat to read the members of (Telegram: its id, e.g. -1001234567890); the "
    "recognition channels of the branches and teams are read too."
)

# bot/cli/outbox.py
OUTBOX = "Notifications waiting, sent or failed (subcommands: retry, drain)."
OUTBOX_STATUS = "Only rows in this state."
OUTBOX_LIMIT = "How many rows, newest first."
OUTBOX_RETRY = "Re-queue a failed notification (audited); it goes out on the next dispatch."
OUTBOX_DRAIN = "Deliver every due notification now, through the configured platforms."
OUTBOX_DRAIN_CONSOLE = "Also print notices here."

# bot/cli/people.py
PEOPLE = "Leavers: deactivate people (their open items pass on) or bring them back."
PEOPLE_BY = "Who is acting, for the audit log."
PEOPLE_DEACTIVATE = (
    "Deactivate EMAILS: no command works for them from their next request, sweeps,\n"
    "ranking and reminders skip them, and their open items pass to their manager or HR."
)
PEOPLE_REACTIVATE = "Bring EMAILS back. What was handed over stays with whoever took it over."

# bot/cli/period.py
PERIOD = "Preview, calibrate, close and re-open review periods."
PERIOD_PREVIEW = (
    "Distribution per scorecard and branch, coverage, who would get each incentive and\n"
    "why, and whether close would refuse. Changes nothing."
)
PERIOD_CALIBRATE = "Set a person's final result for the period; the computed one is kept beside it."
PERIOD_CALIBRATE_REASON = "Why (kept with both values, audited)."
PERIOD_CLOSE = (
    "Final scores, frozen; bonus and promotion decisions with reasons; HR notified and\n"
    "everyone sent their result. Refused (exit 1, with the reason) without scores or "
    "below\n"
    "PERFBOT_CLOSE_MIN_COVERAGE."
)
PERIOD_REOPEN = "Re-open a closed period so it can be re-scored (audited)."
PERIOD_REOPEN_REASON = "Why (recorded in the audit log)."

# bot/cli/person.py
PERSON = "One person's data: export it, or erase it."
PERSON_EXPORT = (
    "Write everything stored about EMAIL (profile, chat accounts, goals, figures, scores\n"
    "and their lines, ratings, praise, appeals, corrections, audit events) as JSON and CSV."
)
PERSON_EXPORT_OUT = "Directory to write person.json and one CSV per table into."
PERSON_ERASE = (
    "Erase EMAIL's personal data: pseudonymise her profile, delete her chat accounts,\n"
    "clear free text by or about her, and erase her audit events' content (the chain "
    "still\n"
    "verifies); figures, scores and everyone else's results stay as they are."
)
PERSON_ERASE_YES = "Don't ask for confirmation."
PERSON_ERASE_FORCE = "Erase (and deactivate) an active person too."

# bot/cli/report.py
REPORT = (
    "Everyone's total, band, trend, incentive flags and praise; the process figures.\n"
    "While the period runs: partial totals, pace and projections, labelled. `--locale`:\n"
    "the Markdown and the chart in that language (the CSV's columns stay as they are)."
)
REPORT_PERIOD = "Period key (default: the current month)."
REPORT_OUT = "Write here instead of standard output (required for png)."

# bot/cli/scheduler.py
SCHEDULER = (
    "Run sync, scoring, the at-risk sweep, appeal SLAs, period close and the outbox\n"
    "dispatcher. Start one per replica: one leads, the others take over if it dies."
)
SCHEDULER_CONSOLE = "Print notices here (default: only when no chat platform is configured)."

# bot/cli/score.py
SCORE = (
    "Compute every employee's score for a period, in one set-based statement. Exits 1\n"
    "when anyone could not be scored, naming them and why."
)
SCORE_PERIOD = "Period key such as 2026-11 (default: the current month)."
SCORE_AS_JSON = "Every score with its breakdown."

# bot/cli/serve.py
SERVE = "Serve a chat platform."
SERVE_SLACK = "Slack at POST /slack/events and a health check at GET /healthz."
SERVE_SLACK_HOST = "Interface to listen on."
SERVE_SLACK_PORT = "HTTP port."
SERVE_SLACK_SOCKET_MODE = "Socket Mode (needs SLACK_APP_TOKEN)."
SERVE_SLACK_WORKERS = "Server processes (HTTP only); about one per CPU core."
SERVE_SLACK_NO_OUTBOX = "Don't deliver queued notices here (another process does)."
SERVE_TELEGRAM = "Telegram by long polling, or by webhook (secret: TELEGRAM_WEBHOOK_SECRET)."
SERVE_TELEGRAM_WEBHOOK_URL = "Public HTTPS URL: serve a webhook there."
SERVE_TELEGRAM_HOST = "Webhook: interface."
SERVE_TELEGRAM_PORT = "Webhook: port."
SERVE_TELEGRAM_OUTBOX = "Also deliver notices."
SERVE_FEISHU = "Feishu/Lark: events and card callbacks over HTTP, or over the long connection."
SERVE_FEISHU_TRANSPORT = (
    "http: event subscription at POST /feishu/events; ws: the SDK's long connection."
)
SERVE_FEISHU_HOST = "HTTP: interface."
SERVE_FEISHU_PORT = "HTTP: port."
SERVE_FEISHU_OUTBOX = "Also deliver notices."
SERVE_INGEST = (
    "POST /ingest/<source> with signed JSON records; GET /healthz.\n\n"
    'Each source needs a secret in PERFBOT_INGEST_SECRET_<SOURCE> (upper case, "-" as "_").'
)
SERVE_INGEST_HOST = "Interface to listen on."
SERVE_INGEST_PORT = "HTTP port."

# bot/cli/sweep.py
SWEEP = "The at-risk sweep: goals behind pace, nudges queued for their managers."
SWEEP_DRY_RUN = "Show what would be sent; change nothing."
SWEEP_BRANCHES = "Only this branch (repeatable)."

# bot/cli/sync.py
SYNC = (
    "Pull facts from the configured sources (all, or SOURCE), then re-score.\n\n"
    "A run resumes where an interrupted one stopped. --full starts from the beginning and\n"
    "marks void the facts whose records the source no longer returns."
)
SYNC_CONFIG = "sources.yaml (default: $PERFBOT_SOURCES, ./sources.yaml)"
SYNC_FULL = "Read everything again and void what is gone."
SYNC_BATCH_SIZE = "Records per transaction (checkpoint)."
SYNC_AS_JSON = "The summary as JSON."
UNMATCHED = "Records a sync set aside: unknown employee, or not readable (with the reason)."
UNMATCHED_LIMIT = "How many records."
