"""What the Feishu app itself says (English): its pointers, toasts and welcome.

The use cases' words are in handlers/strings_en.py; these are the Feishu adapter's own.
"""

PRIVATE_TITLE = "Sent in private"
PRIVATE_POINTER = "I've sent that to you in a private chat."
UNKNOWN_USER_TITLE = "Welcome to perfbot"
UNKNOWN_USER = (
    "I couldn't find you among the employees: neither your Feishu e-mail ({email}) nor your"
    " mobile number is on file. Ask HR to add one of them to the organisation file, or for a"
    " link code (send it to me as /start CODE in this private chat), then try again."
)
UNKNOWN_USER_GROUP = "I don't know you yet: open a private chat with me to link your account."
NO_EMAIL = "your Feishu profile shares no e-mail"
START_IN_PRIVATE = "Send link codes to me in a private chat, never in a group."
REQUIRED = "Please fill this in."
NOT_NUMBER = "Enter a number, e.g. 118000."
FORM_GONE = "This form is no longer valid; run the command again."
WORKING = "Working on it…"
DONE = "Done."
AND_MORE = "…and {n} more"
IMAGE_NOTE = "Chart: {alt}"
DECIDED = "✓ {outcome}"
CONTACT = "Feishu: linked (open it from the card's button)"  # "Message Ana"

# `perfbot doctor`'s line for Feishu/Lark.
DOCTOR_OK = "feishu: the app's credentials get a tenant token from {base}"
DOCTOR_FAILED = "feishu: {base} refused the app's credentials or did not answer ({code}: {msg})"
DOCTOR_FIX = "check FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_DOMAIN in the app's console"
