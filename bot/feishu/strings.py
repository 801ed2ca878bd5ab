"""What the Feishu app itself says (English): its pointers, toasts and welcome.

The use cases' words are in handlers/strings_en.py; these are the Feishu adapter's own.
"""

PRIVATE_TITLE = "Sent in private"
PRIVATE_POINTER = "I've sent that to you in a private chat."
UNKNOWN_USER = (
    "I couldn't find you among the employees: neither your Feishu e-mail ({email}) nor your"
    " mobile number is on file. Ask HR to add one of them to the organisation file, or for a"
    " link code (send it to me as /start CODE in this private chat), then try again."
)
UNKNOWN_USER_GROUP = "I don't know you yet: open a private chat with me to link your account."
NO_EMAIL = "your Feishu profile shares no e-mail"
START_IN_PRIVATE = "Send link codes to me in a private chat, never in a group."
WORKING = "Working on it…"
DONE = "Done."
IMAGE_NOTE = "Chart: {alt}"
DECIDED = "✓ {outcome}"
CONTACT = "Feishu: linked (open it from the card's button)"  # "Message Ana"

# Settings that can't work, and what `perfbot serve feishu` and `perfbot org import feishu`
# say when Feishu refuses the app's credentials or can't be reached.
NO_CREDENTIALS = "FEISHU_APP_ID and FEISHU_APP_SECRET must be set: see the README's Feishu section"
BAD_DOMAIN = "FEISHU_DOMAIN / FEISHU_API_URL: {error}"
NO_VERIFICATION_TOKEN = (
    "FEISHU_VERIFICATION_TOKEN must be set for --transport http"
    " (Events & Callbacks > Encryption strategy in the developer console)"
)
CREDENTIALS_REFUSED = (
    "Feishu refused FEISHU_APP_ID/FEISHU_APP_SECRET (code {code}: {msg}): check them in the"
    " app's Credentials & Basic Info"
)
API_UNREACHABLE = (
    "cannot reach the Feishu Open API at {base} ({msg}): check FEISHU_DOMAIN (or FEISHU_API_URL)"
    " and the network"
)

# `perfbot doctor`'s line for Feishu/Lark.
DOCTOR_OK = "feishu: the app's credentials get a tenant token from {base}"
DOCTOR_FAILED = "feishu: {base} refused the app's credentials or did not answer ({code}: {msg})"
DOCTOR_FIX = "check FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_DOMAIN in the app's console"

# `perfbot org import feishu`: notes written at the top of the org file, its hints, its errors.
MEMBERS_NOTES = (
    "Teams are Feishu's departments and managers each person's leader (direct supervisor)"
    " there: check them; people directly under the organisation's root have no team.",
)
MEMBERS_NO_EMAIL = (
    "{count} people share no e-mail with the app (it needs the contact:user.email:readonly"
    " scope, and contact:user.employee:readonly for enterprise e-mails, or their profile has"
    " none): fill in their `email:`."
)
MEMBERS_NO_STATUS = (
    "Feishu shared no account status (the app needs the contact:user.employee:readonly"
    " scope), so nobody could be left out as resigned or suspended: check everyone listed."
)
MEMBERS_SKIPPED = "Left out, as resigned, suspended or not yet activated in Feishu: {count}."
MEMBERS_NO_LEADER = (
    "{count} people have a Feishu leader who is not listed here (outside the app's contact"
    " range, or gone): fill in their `manager:`."
)
MEMBERS_NO_DEPARTMENTS = (
    "The app sees no departments (it needs the contact:department.base:readonly scope and a"
    " contact range of all members): fill in `teams:` and each person's `team:`."
)
MEMBERS_NO_DEPARTMENT_NAME = (
    "Some departments came without their names (the app needs the"
    " contact:department.base:readonly scope): those teams are named by their ids; rename them."
)
MEMBERS_ALSO_IN = "also in {teams}"
MEMBERS_SCOPE = (
    "Feishu refused to list the organisation: the app lacks a permission (code {code}: it needs"
    " one of {scopes}); add the contact scopes of the README's Feishu checklist under"
    " Permissions & Scopes, publish a new version, then run this again"
)
MEMBERS_RANGE = (
    "Feishu refused to list the organisation (code {code}: {msg}): set the app's contact range"
    " (通讯录权限范围) to all members under Permissions & Scopes, publish a new version, then"
    " run this again"
)
MEMBERS_FAILED = "Feishu refused to list the organisation (code {code}: {msg})"
