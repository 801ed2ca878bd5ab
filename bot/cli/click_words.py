"""click's own words, as click 8.5 writes them (its `_()` and `ngettext()` calls), so they
are catalogued and `perfbot` speaks them in the operator's language (click_language.py).
A pair is a message's (one, many) forms; tests/unit/test_click_words.py checks that every
word of the installed click is here."""

from __future__ import annotations

# click/formatting.py, and what click writes there and in the usage line unmarked
USAGE = "Usage:"
HEADING = "{heading}:"  # Options:, Commands:
OPTIONS_METAVAR = "[OPTIONS]"
SUBCOMMAND_METAVAR = "COMMAND [ARGS]..."
SUBCOMMAND_OPTIONAL = "[COMMAND] [ARGS]..."  # a group that also runs on its own
CHAIN_METAVAR = "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]..."
CHAIN_OPTIONAL = "[COMMAND1] [ARGS]... [COMMAND2 [ARGS]...]..."

# click/core.py
ABORTED = "Aborted!"
DEPRECATED = "deprecated"
MISSING_COMMAND = "Missing command."
OPTIONS = "Options"
POSITIONAL_ARGUMENTS = "Positional arguments"
COMMANDS = "Commands"
EXTRA_ARGUMENTS = (
    "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
)
COMMAND_DEPRECATED = "DeprecationWarning: The command {name!r} is deprecated.{extra_message}"
PARAMETER_DEPRECATED = "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"
NOT_ITERABLE = "Value must be an iterable."
TAKES_VALUES = (
    "Takes {nargs} values but 1 was given.",
    "Takes {nargs} values but {len} were given.",
)
NO_OPTION_NAME = "Could not determine name for option with declarations {decls!r}"
NAME_PASSED = (
    "No options defined but a name was passed ({name}). Did you mean to declare an argument"
    " instead? Did you mean to pass '--{name}'?"
)
NAME_TWICE = "Name '{name}' defined twice"
SAME_FLAG = "Boolean option {decl!r} cannot use the same flag for true/false."
ENV_VAR = "env var: {var}"
DEFAULT = "default: {default}"
REQUIRED = "required"  # click/core.py: _(extra["required"])
DYNAMIC = "(dynamic)"
ONE_DECLARATION = "Arguments take exactly one parameter declaration, got {length}: {decls}."

# click/decorators.py (the help of --help and --version, shown through Command)
CONTINUE = "Do you want to continue?"
CONFIRM_HELP = "Confirm the action without prompting."
VERSION = "%(prog)s, version %(version)s"
VERSION_HELP = "Show the version and exit."
HELP_HELP = "Show this message and exit."

# click/exceptions.py
DID_YOU_MEAN = ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)")
ERROR = "Error: {message}"
TRY_HELP = "Try '{command} {option}' for help."
INVALID_VALUE = "Invalid value: {message}"
INVALID_VALUE_FOR = "Invalid value for {param_hint}: {message}"
MISSING_ARGUMENT = "Missing argument"
MISSING_OPTION = "Missing option"
MISSING_PARAMETER = "Missing parameter"
MISSING_TYPE = "Missing {param_type}"
MISSING_PARAMETER_NAMED = "Missing parameter: {param_name}"
# click ends "Missing argument 'FILE'" with an ASCII full stop, unmarked.
MISSING_STOP = "{missing}."
NO_SUCH_OPTION = "No such option {name!r}."
NO_SUCH_COMMAND = "No such command {name!r}."
UNKNOWN_ERROR = "unknown error"
CANNOT_OPEN = "Could not open file {filename!r}: {message}"

# click/parser.py
BAD_START = "Invalid start character for option ({option})"
ARGUMENT_VALUES = "Argument {name!r} takes {nargs} values."
NO_VALUE_TAKEN = "Option {name!r} does not take a value."
NEEDS_VALUES = (
    "Option {name!r} requires an argument.",
    "Option {name!r} requires {nargs} arguments.",
)

# click/types.py
CHOOSE_FROM = "Choose from:\n\t{choices}"
NOT_A_CHOICE = ("{value!r} is not {choice}.", "{value!r} is not one of {choices}.")
CHOICE = "Choice({choices})"
NOT_A_FORMAT = (
    "{value!r} does not match the format {format}.",
    "{value!r} does not match the formats {formats}.",
)
NOT_A_NUMBER = "{value!r} is not a valid {number_type}."
OUT_OF_RANGE = "{value} is not in the range {range}."
NOT_A_BOOLEAN = "{value!r} is not a valid boolean. Recognized values: {states}"
NOT_A_UUID = "{value!r} is not a valid UUID."
FILE = "file"
DIRECTORY = "directory"
PATH = "path"
PATH_MISSING = "{name} {filename!r} does not exist."
PATH_IS_FILE = "{name} {filename!r} is a file."
PATH_IS_DIRECTORY = "{name} {filename!r} is a directory."
PATH_UNREADABLE = "{name} {filename!r} is not readable."
PATH_UNWRITABLE = "{name} {filename!r} is not writable."
PATH_NOT_EXECUTABLE = "{name} {filename!r} is not executable."
VALUES_REQUIRED = (
    "{len_type} values are required, but {len_value} was given.",
    "{len_type} values are required, but {len_value} were given.",
)

# click/termui.py, click/_termui_impl.py
PRESS_ANY_KEY = "Press any key to continue..."
REPEAT = "Repeat for confirmation"
NO_MATCH = "Error: The two entered values do not match."
UNKNOWN_COLOUR = "Unknown color {colour!r}"
INVALID_INPUT = "Error: invalid input"
DAYS = "d"  # a progress bar's ETA: 2d 03:04:05
EDITING_FAILED = "{editor}: Editing failed"
EDITING_FAILED_BECAUSE = "{editor}: Editing failed: {e}"

# click/shell_completion.py, click/utils.py
NO_BASH_VERSION = "Couldn't detect Bash version, shell completion is not supported."
OLD_BASH = "Shell completion is not supported for Bash versions older than 4.4."
UNKNOWN_STREAM = "Unknown standard stream '{name}'"

# The names click puts into its messages: a path's kind (`_("file").title()`) and a number's
# type (`'abc' is not a valid float range.`: the value is not a number).
TERMS = ("File", "Directory", "Path", "integer", "float", "integer range", "float range")
