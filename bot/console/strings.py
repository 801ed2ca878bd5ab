"""What the console itself says (English): its prompt, button syntax and notice headings.

The use cases' words are in handlers/strings_en.py; these are the console's own.
"""

PROMPT_HELP = "Type /help for commands, `press ACTION VALUE` for a button, `quit` to leave."
PRESS_USAGE = "press ACTION VALUE [field=value ...]   e.g. press ap:acc 42 value=118000"
TITLE = "Console"
BAD_LINE = "{problem}. Usage: {usage}"
WHICH_BUTTON = "which button? Usage: {usage}"
NOT_FIELD = "{field!r} is not name=value. Usage: {usage}"
NOTICE_TO = "→ notice to {to}"
YOU_ARE = "You are {name} <{email}>, {role}. {help}"
