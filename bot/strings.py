"""What the runtime outside the command line says (bot/scoring_setup.py,
bot/directory_job.py), in English (the msgids); the CLI says it in the operator's language
(handlers.i18n.say). Constants only, importing nothing (bot/catalogue.py reads it alone).
"""

# A scoring or metrics file perfbot can't start with (bot/scoring_setup.py).
SETUP_FILE = "{origin}: {problems}"
UNKNOWN_METRIC = "scorecards.{key}.dimensions[{i}].metric: unknown metric {metric!r}{hint}"
DEFINE_METRIC = " (define it under metrics: in PERFBOT_SOURCES)"
NOT_VALID_YAML = "{where}not valid YAML"
# A directory sync (`perfbot org sync`, the scheduler's `directory` job): one line, then notes.
DIR_LINE = "{users} directory users: {parts}"
DIR_CREATED = "created {n}"
DIR_WOULD_CREATE = "would be created {n}"
DIR_UPDATED = "updated {n}"
DIR_WOULD_UPDATE = "would be updated {n}"
DIR_UNCHANGED = "unchanged {n}"
DIR_DEACTIVATED = "deactivated {n} ({who})"
DIR_WOULD_DEACTIVATE = "would be deactivated {n} ({who})"
DIR_REACTIVATED = "reactivated {n} ({who})"
DIR_WOULD_REACTIVATE = "would be reactivated {n} ({who})"
DIR_SLACK_IDS = "Slack ids found {found} of {asked}"
DIR_NOT_IN = "{n} people in the database are not in the directory"
DIR_NO_SECTION = "no directory: section (see README, Directory sync)"
DIR_NO_SLACK_TOKEN = "directory.slack_ids: SLACK_BOT_TOKEN is not set"
# Filling Slack ids by e-mail (bot/slack/lookup.py): why the lookups stopped early.
LOOKUP_LIMIT = "lookup limit of {limit} a run reached"
LOOKUP_REFUSED = "users.lookupByEmail: {error}; the rest wait a run"
LOOKUP_FAILED = "users.lookupByEmail: {kind}; the rest wait"
# Words every chat platform's cards and forms use (bot/slack, bot/feishu): a list cut short,
# a form's default button, a field's refusals, a stale form, and a stranger's welcome.
AND_MORE = "…and {n} more"
SUBMIT = "Submit"  # a form's button when the use case names none
REQUIRED = "Please fill this in."
NOT_NUMBER = "Enter a number, e.g. 118000."
FORM_GONE = "This form is no longer valid; run the command again."
UNKNOWN_USER_TITLE = "Welcome to perfbot"
# A card as plain text (bot/plain_text.py: the console and the webhook): what a chat would
# show as an image or a form. `press` stays: it is the console's command for a button.
CARD_IMAGE = "(image: {filename}, {alt})"
CARD_FORM = "(form: press {action} {value} {names})"
CARD_FORM_SEP = ", "  # between a form's fields: "value=…, note=…"
# The holiday list (PERFBOT_NUDGE_HOLIDAYS, bot/holidays.py).
HOLIDAYS_UNREADABLE = "{path}: can't read the holiday list: {error}"
HOLIDAYS_NOT_MAPPING = "{path}: expected `branch name: [YYYY-MM-DD, ...]` entries"
HOLIDAYS_NOT_LIST = "{branch}: expected a list of dates"
HOLIDAYS_NOT_DATE = "{branch}: entry {i} ({day!r}) is not a date (YYYY-MM-DD)"
HOLIDAYS_PROBLEMS = "{path}: {problems}"
# Start-up checks of `perfbot serve` (bot/serve.py, bot/slack/server.py, bot/telegram/build.py)
# and what `perfbot org import slack` needs.
METRICS_PORT = "cannot serve /metrics on PERFBOT_METRICS_PORT={port}: {error}"
SLACK_UNSET = "{name} is not set: see the README's Slack section"
SLACK_PREFIX = "{name} should start with {prefix!r}: is it the right token?"
SLACK_REJECTED = "Slack rejected {token} ({method}: {error})"
SLACK_UNREACHABLE = "cannot reach the Slack API at {url}: {error}"
SLACK_TOKEN_UNSET = "SLACK_BOT_TOKEN is not set"
TELEGRAM_UNSET = "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather"
TELEGRAM_WEBHOOK_URL = (
    "--webhook needs a full URL like https://bot.example.com/telegram, not {url!r}"
)
TELEGRAM_WEBHOOK_SECRET = "TELEGRAM_WEBHOOK_SECRET must be set: 1-256 characters of A-Z a-z 0-9 _ -"
# `perfbot console --as EMAIL` (bot/console/app.py).
CONSOLE_UNKNOWN_USER = "no active employee with e-mail {email!r} (see: perfbot org list)"
# `perfbot demo` when its own sample sources fail (bot/demo/seed.py).
DEMO_NOT_SYNCED = "the demo's sample sources did not sync: {failed}"
DEMO_SOURCE_FAILED = "{source}: {errors}"
# The scheduler's `audit` job (bot/scheduler_jobs.py).
AUDIT_NOT_ANCHORED = "audit chain broken: not anchored (perfbot audit verify)"
# Why a notice could not be delivered (the deliverers; the outbox keeps it for HR).
PRIVATE_TO_GROUP = "a private card can't go to a group chat"
NO_FEISHU_TARGET = "no Feishu user or chat for this target"
NO_FEISHU_USER = "no Feishu user with e-mail {email}"
NO_FEISHU_USER_OR_MOBILE = "no Feishu user with e-mail {email} or their mobile"
NO_TELEGRAM_CHAT = "no Telegram chat for this target"
NO_SLACK_USER = "no Slack user with e-mail {email}"
NO_SLACK_IDENTITY = "no Slack identity"
# Why the outbox dispatcher put a row back or gave it up (`perfbot outbox` shows it).
OUTBOX_THROTTLED = "throttled by {platform}: {error}"
OUTBOX_UNREACHABLE = "unreachable on {platform}: {error}"
OUTBOX_FAILED_ON = "{platform}: {error}"
OUTBOX_GAVE_UP = "gave up after {attempts} attempts: {error}"
OUTBOX_UNREADABLE = "unreadable card: {error}"
OUTBOX_INACTIVE = "recipient no longer an active employee"
OUTBOX_RECIPIENT_UNREACHABLE = "recipient unreachable since {since}"
OUTBOX_NO_ROUTE = "no configured platform can reach it"
