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
