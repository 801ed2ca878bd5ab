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
FORM_CHOICE = "send a number from the list, or the name"
FORM_CANCEL = "/cancel to stop"
FORM_OFF_THE_LIST = (
    "There is no {number} in the list; please send a number from 1 to {last}, or the name."
)
FORM_NOT_NUMBER = "'{text}' is not a number; please send a number, e.g. 118000."
FORM_NEEDED = "This one is required; please send an answer (or /cancel)."
FORM_TOO_LONG = "That's too long ({length} characters); please keep it under {limit}."
FORM_CANCELLED = "Cancelled: nothing was changed."
NOTHING_TO_CANCEL = "Nothing to cancel."
FORM_SENT = "Sent."
DONE = "Done."
CONTACT = "Telegram: @{username} (https://t.me/{username})"  # "Message Ana"
CONTACT_NO_USERNAME = "Telegram: linked (no public username)"

# `perfbot org import telegram`: notes written at the top of the org file, and its errors.
MEMBERS_NOTE_WHO = (
    "The Telegram Bot API can't list a workspace: this file holds the people who wrote to the"
    " bot lately (its pending updates), the administrators of its group chats and the accounts"
    " already linked. Add everyone else by hand (they link with `perfbot link-code`)."
)
MEMBERS_NOTE_FILL = (
    "Telegram shares no e-mail, manager, team or time zone: fill in each `email:` marked TODO"
    " (or delete that entry), `teams:`, each person's `team:` and `manager:`, and the branch's"
    " time zone."
)
MEMBERS_WEBHOOK = (
    "The bot has a webhook, so its pending updates can't be read here: only the group chats"
    " given with --chat and the linked accounts were looked at."
)
MEMBERS_POLLING = (
    "Another process is polling this bot (perfbot serve telegram?), so its pending updates"
    " were not read; stop it, or give its group chats with --chat."
)
MEMBERS_NO_GROUPS = (
    "No group chat was found: add the bot to your team's group and run this again, or give"
    " group chat ids with --chat."
)
MEMBERS_GROUP_PARTIAL = (
    "Group {title}: {count} members, bots included; the Bot API lists only administrators"
    " ({listed} here): add the others by hand."
)
MEMBERS_CHAT_FAILED = "Group chat {chat}: {error} (is the bot a member?)"
MEMBERS_FAILED = "Telegram: {error}"
MEMBERS_BAD_TOKEN = "Telegram rejected TELEGRAM_BOT_TOKEN"
MEMBERS_IN_GROUP = "in {title}"

# Start-up and `perfbot doctor`: is the bot token good?
TOKEN_REJECTED = "Telegram rejected TELEGRAM_BOT_TOKEN (getMe failed): check it with @BotFather"
UNREACHABLE = "can't reach the Telegram Bot API: {error}"
DOCTOR_OK = "telegram: the bot token works (getMe: @{username})"
DOCTOR_FIX = "check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_URL)"
