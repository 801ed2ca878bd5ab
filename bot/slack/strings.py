"""What the Slack app itself says (English): its forms, acknowledgements and welcome.

The use cases' words are in handlers/strings_en.py; these are the Slack adapter's own.
"""

IMAGE_SENT = "Chart: {alt} (sent to you as a file)"
CANCEL = "Cancel"
DONE = "Done"
WORKING = "Working on it… the answer will appear here in a moment."
UNKNOWN_USER = (
    "I couldn't find you among the employees: your Slack e-mail ({email}) isn't on file."
    " Ask HR to add it to the organisation file (or to link your Slack account), then try again."
)
NO_EMAIL = "your Slack profile shares no e-mail"
CONTACT = "Slack: <@{user}>"  # "Message Ana": a linked Slack account

# `perfbot org import slack`: notes written at the top of the org file, and its errors.
MEMBERS_NOTES = (
    "Slack does not say who manages whom or who is in which team: fill in `teams:`, each"
    " person's `team:` and `manager:`.",
)
MEMBERS_NO_EMAIL = (
    "{count} people share no e-mail with the app (it needs the users:read.email scope, or"
    " their profile has none): fill in their `email:`."
)
MEMBERS_GUEST = "a guest account in Slack"
MEMBERS_FAILED = "Slack users.list failed: {error}"
MEMBERS_SCOPE = " (the app needs the users:read and users:read.email scopes)"

# `perfbot doctor`'s line for Slack.
DOCTOR_OK = "slack: the bot token works (auth.test: team {team}, bot {user})"
DOCTOR_FIX = "check SLACK_BOT_TOKEN (and SLACK_API_URL) in the Slack app's settings"
