"""What the Telegram app itself says (English): its conversations, groups and toasts.

The use cases' words are in handlers/strings_en.py; these are the Telegram adapter's own.
"""

PRIVATE_POINTER = "{name}, I've sent that to you in a private chat."
OPEN_PRIVATE = (
    "{name}, I don't post personal figures in groups. Open a private chat with me "
    "({link}), press Start, then try again."
)
START_IN_PRIVATE = "Send link codes to me in a private chat, never in a group."
UNLINKED_GROUP = "{name}, I don't know you yet: open a private chat with me to link your account."
FORM_REQUIRED = "required"
FORM_OPTIONAL = "optional: /skip leaves it empty"
FORM_KEEP = "/skip keeps: {initial}"
FORM_NUMBER = "a number"
FORM_CANCEL = "/cancel to stop"
FORM_NOT_NUMBER = "'{text}' is not a number; please send a number, e.g. 118000."
FORM_NEEDED = "This one is required; please send an answer (or /cancel)."
FORM_TOO_LONG = "That's too long ({length} characters); please keep it under {limit}."
FORM_CANCELLED = "Cancelled: nothing was changed."
NOTHING_TO_CANCEL = "Nothing to cancel."
FORM_SENT = "Sent."
DONE = "Done."
CONTACT = "Telegram: @{username} (https://t.me/{username})"  # "Message Ana"
CONTACT_NO_USERNAME = "Telegram: linked (no public username)"

# Start-up and `perfbot doctor`: is the bot token good?
TOKEN_REJECTED = "Telegram rejected TELEGRAM_BOT_TOKEN (getMe failed): check it with @BotFather"
UNREACHABLE = "can't reach the Telegram Bot API: {error}"
DOCTOR_OK = "telegram: the bot token works (getMe: @{username})"
DOCTOR_FIX = "check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_URL)"
