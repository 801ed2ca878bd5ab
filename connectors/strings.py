"""What connectors say, in English (the msgids): raised as a said.Said so `perfbot sync`,
`perfbot doctor` and the rest show it in the operator's language (handlers.i18n.say).

Constants only, importing nothing (bot/catalogue.py reads this module on its own). A
method, path, status, setting or variable name given as {value} is never translated.
"""

# A source that failed for good: "{source}: {message}" (connectors/http.py SourceError).
SOURCE_FAILED = "{source}: {message}"
GAVE_UP = "{where}: gave up after {tries} in {seconds:.1f} s ({why}); last fault: {fault}"
ONE_ATTEMPT = "{n} attempt"
ATTEMPTS = "{n} attempts"
BUDGET_SPENT = "retry budget spent"
ATTEMPTS_EXHAUSTED = "attempts exhausted"
TIMEOUT = "timeout ({kind})"
CONNECTION_ERROR = "connection error ({kind}: {error})"
HTTP_STATUS = "HTTP {status}"
HTTP_REFUSED = "{where}: HTTP {status}: {body}"
HTTP_FAILED = "{where}: {kind}: {error}"
MALFORMED_JSON = "malformed JSON body ({error})"
# A host name that does not exist: {reason} is the resolver's own ("DNS: Name or service
# not known"), {setting} base_url or auth.token_url.
UNKNOWN_HOST = "host {host} does not exist ({reason}); check its {setting}"
DNS = "DNS: {error}"
TOKEN_REFUSED = "token endpoint answered HTTP {status} ({code})"
TOKEN_NO_CODE = "no error code"
TOKEN_MISSING = "token endpoint sent no access_token"
TOKEN_BAD_EXPIRY = "token endpoint sent a bad expires_in"
NO_SECRET = "environment variable {name} is not set"
CHECKPOINT_MISFIT = "checkpoint does not fit; start over with None"
NO_FETCH_ONE = "no fetch_one configured for single records"
UNMAPPABLE_RECORD = "record {record_id} cannot be mapped: {error}"
OTHER_HOST = "next-page link points at another host; not followed"
NO_RECORD_LIST = "no list of records at {where} of the answer"
TOP_LEVEL = "the top level"
PAGING_STUCK = "pagination does not advance (stuck at {state!r})"
NOT_SCIM = "GET {path}: not a SCIM ListResponse"
NO_SUCH_SOURCE = "no source named {name!r} in the configuration"
# A sources (or metrics, directory) file with problems: "{origin}: 2 errors" then one per line.
CONFIG_ERRORS = "{origin}: {errors}\n{lines}"
ONE_ERROR = "{n} error"
ERRORS = "{n} errors"
UNKNOWN_TOP_KEY = "{key}: unknown top-level key"
NOT_A_SOURCE_LIST = "sources: should be a list of sources"
NOT_A_MAPPING = "{where}: should be a mapping"
UNKNOWN_PRESET = "{where}.preset: unknown preset {preset!r} ({known})"
UNKNOWN_PLACEHOLDER = "{where}.{key}: placeholder {{{name}}} is unknown ({hint})"
SET_INCREMENTAL = "set incremental"
DEFINE_UNDER_VARS = "define it under vars"
BODY_PAGING = "{where}.pagination.in: body paging needs endpoint.method POST"
DUPLICATE_SOURCE = "{where}.name: duplicate source name {name!r}"
SECRET_UNSET = "{where}.auth.{key}: environment variable {env} is not set"
CANNOT_READ = "cannot read: {error}"
INVALID_YAML = "{where}invalid YAML ({error})"
LINE_AT = "line {n}: "
SCIM_NO_EMAIL = "SCIM user {uid} ({name}): no e-mail"
SCIM_USER = "SCIM user {uid}"
# A history file (`perfbot import`): why it can't be read, why a row is rejected.
EXPECTED_NUMBER = "expected a number, got {value!r}"
EXPECTED_FINITE = "expected a finite number, got {value!r}"
NOT_A_NUMBER = "not a number: {value!r}"
NOT_A_DATE = "not a date: {value!r}"
NO_DATE = "no date"
NOT_A_DATE_IN = "not a date in the format {fmt}: {value!r}"
AMBIGUOUS_DATE = "ambiguous date {value!r}: set date.day_first or date.format"
NO_SUCH_DATE = "no such date: {value!r}"
NOT_AN_EMAIL = "not an e-mail address: {value!r}"
NO_COLUMN = "no column {name!r} in the header row (columns: {have})"
USE_CSV_XLSX = "{file}: use a .csv or .xlsx file"
NO_HEADER_ROW = "{file}: no header row {row} (the file has fewer rows)"
CANNOT_READ_AS = "{file}: cannot read as {encoding} ({error})"
NOT_XLSX = "{file}: not a readable .xlsx file ({error})"
NO_SHEET = "{file}: no sheet {sheet!r} (sheets: {names})"
DUPLICATE_ROW = "duplicate of row {row}"
OUT_OF_RANGE = "{value} is out of range"
COLUMN_PROBLEM = "{column}: {error}"
NO_VALUE_IN = "no value in {columns}"
NO_EMPLOYEE = "no employee"
UNKNOWN_EMPLOYEE = "unknown employee {key}"
OUTSIDE_PERIODS = "date {day} is outside every period"
NAME_TOO_LONG = "{name}: file name longer than {n} characters"
# A file the system would not open: {error} is the system's own reason ("Permission denied").
FILE_ERROR = "{file}: {error}"
# A key of a sources, directory or mapping file that does not hold (pydantic's checks, ours).
AT_KEY = "{path}: {message}"
FIELD_REQUIRED = "field required"
EXTRA_KEY = "extra inputs are not permitted"
NOT_HTTP = "should start with http:// or https://"
UNKNOWN_TIME_ZONE = "unknown time zone {value!r}"
EXACTLY_ONE = "give exactly one of {names}"
TIME_FORMAT = "use one of {formats} or a strftime pattern"
RATIO_PARTS = "ratio needs numerator and denominator (and no facts)"
NEEDS_FACTS = "{agg} needs facts (and no numerator/denominator)"
METRICS_NOT_MAPPING = "metrics: should be a mapping of name to definition"
DIRECTORY_NOT_MAPPING = "directory: should be a mapping"
DIRECTORY_SECRET_UNSET = "directory.auth.{key}: environment variable {env} is not set"
AUTH_PROBLEM = "{where}.auth: {error}"
# pydantic's other faults in our words (connectors/validation.py), keyed by pydantic-core's
# error type: its English, first letter lowered. A count's noun has a `:many` form.
PYDANTIC = {
    "missing": FIELD_REQUIRED,
    "extra_forbidden": EXTRA_KEY,
    "string_type": "input should be a valid string",
    "string_unicode": (
        "input should be a valid string, unable to parse raw data as a unicode string"
    ),
    "string_pattern_mismatch": "string should match pattern '{pattern}'",
    "string_too_short": "string should have at least {min_length} character",
    "string_too_short:many": "string should have at least {min_length} characters",
    "string_too_long": "string should have at most {max_length} character",
    "string_too_long:many": "string should have at most {max_length} characters",
    "int_type": "input should be a valid integer",
    "int_parsing": "input should be a valid integer, unable to parse string as an integer",
    "int_from_float": "input should be a valid integer, got a number with a fractional part",
    "float_type": "input should be a valid number",
    "float_parsing": "input should be a valid number, unable to parse string as a number",
    "finite_number": "input should be a finite number",
    "bool_type": "input should be a valid boolean",
    "bool_parsing": "input should be a valid boolean, unable to interpret input",
    "greater_than": "input should be greater than {gt}",
    "greater_than_equal": "input should be greater than or equal to {ge}",
    "less_than": "input should be less than {lt}",
    "less_than_equal": "input should be less than or equal to {le}",
    "multiple_of": "input should be a multiple of {multiple_of}",
    "none_required": "input should be None",
    "dict_type": "input should be a valid dictionary",
    "list_type": "input should be a valid list",
    "tuple_type": "input should be a valid tuple",
    "set_type": "input should be a valid set",
    "model_type": "input should be a valid dictionary or instance of {class_name}",
    "model_attributes_type": "input should be a valid dictionary or object to extract fields from",
    "too_short": (
        "{field_type} should have at least {min_length} item after validation, not {actual_length}"
    ),
    "too_short:many": (
        "{field_type} should have at least {min_length} items after validation, not {actual_length}"
    ),
    "too_long": (
        "{field_type} should have at most {max_length} item after validation, not {actual_length}"
    ),
    "too_long:many": (
        "{field_type} should have at most {max_length} items after validation, not {actual_length}"
    ),
    "literal_error": "input should be {expected}",
    "enum": "input should be {expected}",
    "date_type": "input should be a valid date",
    "date_parsing": "input should be a valid date in the format YYYY-MM-DD, {error}",
    "date_from_datetime_parsing": "input should be a valid date or datetime, {error}",
    "date_from_datetime_inexact": (
        "datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "datetime_type": "input should be a valid datetime",
    "datetime_parsing": "input should be a valid datetime, {error}",
    "datetime_from_date_parsing": "input should be a valid datetime or date, {error}",
    "time_type": "input should be a valid time",
    "time_parsing": "input should be in a valid time format, {error}",
    "timezone_naive": "input should not have timezone info",
    "timezone_aware": "input should have timezone info",
    "url_type": "URL input should be a string or URL",
    "url_parsing": "input should be a valid URL, {error}",
    "url_scheme": "URL scheme should be {expected_schemes}",
    "json_invalid": "invalid JSON: {error}",
    "union_tag_invalid": (
        "input tag '{tag}' found using {discriminator} does not match any of the expected tags:"
        " {expected_tags}"
    ),
    "union_tag_not_found": "unable to extract tag using discriminator {discriminator}",
}
# The last of a literal's or enum's choices (`'GET' or 'POST'`): {first} the others, quoted.
EITHER_OR = "{first} or {last}"
# What the date, time and URL parsers under pydantic say is wrong (the `{error}` above).
PYDANTIC_DETAILS = {
    "input is too short": "input is too short",
    "input is too long": "input is too long",
    "invalid character in year": "invalid character in year",
    "invalid character in month": "invalid character in month",
    "invalid character in day": "invalid character in day",
    "invalid character in hour": "invalid character in hour",
    "invalid character in minute": "invalid character in minute",
    "invalid date separator, expected `-`": "invalid date separator, expected `-`",
    "month value is outside expected range of 1-12": (
        "month value is outside expected range of 1-12"
    ),
    "day value is outside expected range": "day value is outside expected range",
    "unexpected extra characters at the end of the input": (
        "unexpected extra characters at the end of the input"
    ),
    "relative URL without a base": "relative URL without a base",
    "empty host": "empty host",
    "invalid port number": "invalid port number",
    "invalid domain character": "invalid domain character",
    "input is not a valid URL": "input is not a valid URL",
}
# Why a source's record is set aside (`perfbot unmatched`): it could not be mapped (a {path}
# is a field path of the mapping, {kind} a JSON type such as list), or stored, or matched.
EXPECTED_DATE = "expected a date, got {value!r}"
RECORD_NOT_OBJECT = "record is {kind}, not an object"
NO_RECORD_ID_AT = "no record id at {path}"
NO_DATE_AT = "no date at {path}"
NO_EMPLOYEE_AT = "no employee at {path}"
NO_METRIC_NAME_AT = "no metric name at {path}"
BAD_DATE_AT = "bad date at {path}: {error}"
EMPLOYEE_NOT_EMAIL = "employee at {path} is not an e-mail"
NO_VALUE_AT = "no value at {path}"
BAD_VALUE_AT = "bad value at {path}: {error}"
RECORD_ID_TOO_LONG = "record id longer than {n} characters"
METRIC_NAME_BAD = "metric name empty or longer than {n} characters"
VALUE_TOO_LARGE = "value {value} out of range (at most {digits} digits before the point)"
NO_EMPLOYEE_WITH_EMAIL = "no employee with e-mail {key}"
NO_EMPLOYEE_WITH_EXTERNAL_ID = "no employee with external id {key}"

# Labels of connectors/metrics.py's DEFAULT_METRICS that bot/defaults/*.yaml does not give:
# catalogued as terms (bot/catalogue.py), so `/explain`'s and `/kpi`'s lists of metrics
# name them in the reader's language.
TERMS = ("Deals won", "Leave")

# The operating system's reasons for not reading a file (connectors/os_errors.py), as Linux
# words them: an {error} of CANNOT_READ and FILE_ERROR.
OS_NO_FILE = "No such file or directory"
OS_DENIED = "Permission denied"
OS_IS_DIR = "Is a directory"
OS_NOT_DIR = "Not a directory"
