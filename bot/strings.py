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
# A card as plain text (bot/plain_text.py: the console and the webhook): what a chat would
# show as an image or a form. `press` stays: it is the console's command for a button.
CARD_IMAGE = "(image: {filename}, {alt})"
CARD_FORM = "(form: press {action} {value} {names})"
