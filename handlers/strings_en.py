"""Every user-facing English string of the use cases: the msgids of perfbot's catalogues.

Plain constants and dicts only. Placeholders are `str.format` names; `{token}` is what the
person typed (already shortened). Add your module's strings under a heading of its own.
Read them through `handlers.strings` (the current locale's text), then run
scripts/catalogue.sh and translate the new entries (README, "Languages"). A pair of strings
is a counted noun's (one, many) forms, for handlers.format.plural.
"""

# --- Command language (handlers/commands.py) -----------------------------------------------

# How each command is typed, one line each: shown under every problem and by /help.
USAGE: dict[str, str] = {
    "goals": "/goals [@who] [period] · /goals update <id> <0-100>% [link] [note] · /goals ack [id]"
    " · /goals company <metric> <target> <title> (admin)",
    "score": "/score [@who] [period] [what-if <metric> <value> ...]",
    "explain": "/explain <metric> [@who] [period]",
    "praise": "/praise @who <what they did> [#tags]",
    "appeal": "/appeal [<metric> [period] <reason>]",
    "kpi": "/kpi @who <metric> <new target> <reason>",
    "team": "/team [period]",
    "rate": "/rate @who <score> [comment] · /rate [period] (your rating card)",
    "self": "/self <your self-assessment of this period> · /self (show it)",
    "help": "/help [command]",
    "start": "/start",
    "cancel": "/cancel",
    "linkcode": "/linkcode <e-mail or @who>",
    "period": "/period [preview|close] [period] · /period calibrate @who [period] <score> <reason>",
}

# One line per command for /help.
SUMMARY: dict[str, str] = {
    "goals": "Your goals or someone's: status, progress, and what waits for you",
    "score": "A weighted score breakdown: actual, target, attainment, weight, points",
    "explain": "The source records behind one figure",
    "praise": "Praise someone, with their contribution data attached",
    "appeal": "Dispute a figure or the rating of your score, also after close (alone: list)",
    "kpi": "Ask HR to change someone's target, with a reason",
    "team": "Your team's report with a chart",
    "rate": "Managers: rate a report for the period, or see the rating card",
    "self": "Your self-assessment of the period, shown to your manager when they rate",
    "help": "How to use a command",
    "start": "Link your chat account to perfbot",
    "cancel": "Stop what you were filling in",
    "linkcode": "HR and admins: a single-use code that links someone's chat account",
    "period": "HR: a period's results before close, calibration, and the close itself",
}

# Periods and people, as the examples every hint shows.
PERIOD_EXAMPLES = "2026-11, 2026-Q4 or last"
PERSON_EXAMPLES = "@name or an e-mail"  # in chat, @name becomes the platform's own mention

ERR_TOO_LONG = "that's too long ({length} characters): keep a command under {limit}"
ERR_UNKNOWN = "/{name} is not a command.{suggestion} Commands: {commands}"
HINT_DID_YOU_MEAN = " Did you mean /{name}?"
ERR_INTERNAL = "sorry, I couldn't read that; please check it against the usage below"

ERR_NOT_PERIOD = "'{token}' is not a period: use " + PERIOD_EXAMPLES
ERR_WHO = "who? mention a person as " + PERSON_EXAMPLES
ERR_ONE_PERSON = "one person at a time: '{token}' is a second one"
ERR_ONE_PERIOD = "one period at a time: '{token}' is a second one"
ERR_UNEXPECTED = "I don't know what '{token}' means here: name a person and/or a period"
ERR_SCORE_UNEXPECTED = (
    "I don't know what '{token}' means here: name a person, a period, or what-if <metric> <value>"
)
ERR_TEAM_WHO = "/team takes only a period, e.g. /team 2026-11"
ERR_NOT_METRIC = "'{token}' is not a metric: name it as your score card does, e.g. sales"
ERR_ONE_METRIC = "one metric at a time: '{token}' is a second one"
ERR_EXPLAIN_METRIC = "which metric? e.g. /explain sales @ana 2026-11"
ERR_PERIOD_SUB = "'{token}' is not part of /period: preview, close, calibrate or a period"
ERR_CALIBRATE = "calibrate whom to what, and why? e.g. /period calibrate @ana 2026-10 88 late deal"

ERR_NOT_NUMBER = "'{token}' is not a number: use 80000, 80,000, 80k, 1.2m or 12万"
ERR_NOT_FINITE = "'{token}' is not a real number: use 80000, 80k or 1.2m"
ERR_NEGATIVE = "a target can't be negative ('{token}')"
ERR_TOO_LARGE = "'{token}' is too large"

ERR_COMPANY_GOAL = (
    "a company goal needs a metric, a target and a title: /goals company sales_amount 50m Revenue"
)
ERR_GOAL_ID_MISSING = "which goal? give its number: /goals update 12 80%"
ERR_GOAL_ID = "'{token}' is not a goal number: use the number shown on the goal, e.g. 12"
ERR_PERCENT_MISSING = "how far along? give a percent from 0 to 100: /goals update 12 80%"
ERR_PERCENT = "'{token}' is not a percent: use 0 to 100, e.g. 80%"

ERR_WHAT_IF = "what-if needs a metric and a value, e.g. /score what-if sales 120k"
ERR_WHAT_IF_TWICE = "'{token}' appears twice in what-if"

ERR_PRAISE_TEXT = "what for? add a few words: /praise @ana closed the ACME deal #teamwork"
ERR_APPEAL_REASON = "a reason is required: /appeal sales two closed deals are missing"
ERR_KPI_METRIC = "which metric? /kpi @ana sales 80000 market change"
ERR_KPI_TARGET = "what new target? /kpi @ana sales 80000 market change"
ERR_KPI_REASON = "a reason is required: /kpi @ana sales 80000 market change"
ERR_START_CODE = "that start link looks broken: open it again or ask for a new one"
ERR_LINKCODE_WHO = "whose code? name one person: /linkcode ana.li@acme.example"
ERR_RATE_MISSING = "what rating? give a score from the scale: /rate @ana 4 strong quarter"
ERR_RATE_WHOLE = "'{token}' is not a rating: give a whole number from the scale, e.g. 4"
ERR_RATE_SCORE = "I don't know what '{token}' means here: /rate @ana 4 [comment]"


NO_DATA = "no data"  # a percentage without a figure (handlers/format.py)

# Words of perfbot's own that messages receive as arguments, like the configuration's
# scorecard labels, band and incentive names (bot/defaults/*.yaml): catalogued as terms
# (handlers.i18n.TERM), translated wherever a message is formatted with them.
TERMS = ("month", "quarter", "manager", "employee", "hr", "admin")


# --- Replies of the use cases ---------------------------------------------------------
INVALID_TITLE = "That didn't work"
NOT_HERE = "That command isn't available here yet."
STALE_TITLE = "Nothing to do"
UNKNOWN_ACTION = "This button is no longer valid; run the command again."
ALREADY_HANDLED = "Already handled: nothing changed."
ERROR_TITLE = "Something went wrong"
INTERNAL_ERROR = "perfbot hit an internal error; nothing was changed. The team has the details."
NO_PERIOD_TITLE = "No such period"
NO_PERIOD = "Period {key} has not been set up yet."
UNKNOWN_PERSON_TITLE = "Who is that?"
UNKNOWN_PERSON = (
    "No employee matches {who!r}. Mention them as @name, with a chat mention, or by e-mail."
)
NOT_YOURS = "You can't see {name}'s data: only their managers, their branch's HR and admins can."
HELP_TITLE = "perfbot commands"
HELP_UNKNOWN = "There is no /{topic} command. Type /help for the list."
HELP_FOOT = "Periods: 2026-11, 2026-Q4, last. People: @name, a chat mention or an e-mail."
# The list's footnote: HELP_FOOT, then HELP_METRIC (sentences joined as the language joins them).
HELP_FOOTNOTE = "{people} {metrics}"
# Under the usage of a command that takes a <metric>, and after HELP_FOOT in the list.
HELP_METRIC = (
    "Metrics: the name on your score card or its key (Sales, sales_amount); put a name with "
    'spaces in quotes ("Customer satisfaction") or write its spaces as _.'
)
HELP_KEYWORDS = " (also: {keywords})"  # the Chinese keywords of a command
HELP_KEYWORD_SEP = ", "
SCORE_TITLE = "Score · {name} · {period}"
NO_SCORE_YET = "No score has been computed for this period yet."
NO_SCORECARD = "No scorecard is assigned (set `scorecard:` in the org file); try /team."
UNSCORED_UNKNOWN_CARD = "scorecard {card!r} is not in the scoring configuration"
TOTAL = "Total"
COVERAGE = "Coverage"
OF_WEIGHTS_WITH_DATA = "of the weights have data"
SOURCES_NOTE = "Sources: {sources}"
SOURCE_FETCHED = "{source} (fetched {at} UTC)"
SOURCE_AT = "{source} ({at} UTC)"
SOURCE_RATED = "{source} (rated {at} UTC)"  # a manager's rating: when it was given
# How items of a list are joined in running text (zh: 、 and ；).
LIST_SEP = ", "
CLAUSE_SEP = "; "
TOTAL_BAND = "{total} ({band})"
LABELLED = "{label}: {value}"  # a label and its value in running text
GOAL_TARGET = "#{id} {title}: {target}"
FIGURE_PCT = "{value} ({pct})"  # a figure and its attainment
TEAM_LINE = "{name} ({team}): {total} {band}"  # a closed period's row of /team
PARTIAL_WHERE = "{line} ({branches})"  # where a period stands so, when branches differ
RATING_LINE = (
    "{label} ({weight}%): rated {rating} of {high} → {attainment} → {points} pts  [manager]"
)
EXPLAIN_BUTTON = "Explain {label}"
APPEAL_BUTTON = "Appeal a figure"
DIMENSION_LINE = (
    "{label} ({weight}%): {actual} of {target} → {attainment} → {points} pts  [{sources}]"
)
DIMENSION_NO_DATA = "{label} ({weight}%): no data yet, not counted"
GOALS_TITLE = "Goals · {name} · {period}"
NO_GOALS = "No goals for this period yet."
GOAL_STATUS = {
    "proposed": "proposed, awaiting the manager",
    "confirmed": "to acknowledge",
    "acknowledged": "acknowledged",
}
GOAL_LINE = "#{id} {title}: {actual} of {target}{unit} ({progress}) · {status}"
GOAL_LINE_MANUAL = "#{id} {title}: {progress} · {status}"
PROGRESS_DONE = "{pct} done"
NOT_STARTED = "not started"
ACK_BUTTON = "Acknowledge #{id}"
CONFIRM_BUTTON = "Confirm #{id}"
ADJUST_BUTTON = "Adjust #{id}"
ACK_TITLE = "Goals acknowledged"
ACK_REFUSED_TITLE = "Nothing acknowledged"
ACKED = "Acknowledged {goals}. Your manager can see it."
NOT_YOUR_GOAL = "That goal isn't one of yours."
GOAL_NOT_CONFIRMED = "Your manager hasn't confirmed that goal yet."
NOTHING_TO_ACK = "No goals are waiting for your acknowledgement."


# --- The App Home (handlers/scores/home.py) ------------------------------------------
HOME_TITLE = "perfbot · {name}"
HOME_INTRO = "Your goals, your score and your open appeals. Type /help in any chat for commands."
HOME_REFRESH = "Refresh"
HOME_APPEALS_TITLE = "Your open appeals"
HOME_NO_APPEALS = "No open appeals."
HOME_APPEAL_LINE = "#{id} {metric}: {status} · since {since}"
HOME_TEAM_TITLE = "Your team · {period}"
HOME_TEAM_LINE = "{name}: {total} ({band}){flag}"
HOME_BEHIND = " · behind: {metrics}"
HOME_NO_SCORE = "no score yet"
HOME_PENDING_CONFIRM = "Goals waiting for your confirmation"
HOME_APPEALS_TO_HANDLE = "Appeals waiting for you"
HOME_TEAM_MORE = "…and {n} more: /team for the full report"
HOME_SCORE_BUTTON = "Score: {name}"


# --- Linking chat accounts (handlers/people/link_codes.py) -------------------------------------
LINK_CODE_TITLE = "Link code for {name}"
LINK_CODE_LINE = "Code: {code}  (single use, expires {expires} UTC)"
LINK_CODE_HOW = "{name} sends /start {code} to the perfbot bot in a private chat."
LINK_CODE_DEEP = "Or opens {link} on their phone."
LINK_CODE_NOT_ALLOWED = "Only HR (for their own branch) and admins can create link codes."
LINK_CODE_INACTIVE = "{name} is not an active employee: no link code was created."
LINK_DONE_TITLE = "Welcome, {name}"
LINK_DONE = "This chat account is now linked to {email}. Type /help to see what you can do."
LINK_REFUSED_TITLE = "That code doesn't work"
LINK_REFUSED = "Codes are single-use and expire. Check it, or ask HR for a new one."
LINK_THROTTLED = "Too many attempts from this account. Try again in {minutes}."
UNLINKED_TITLE = "Hello! I don't know who you are yet"
UNLINKED_WHY = "perfbot needs to link this chat account to your employee record, once."
UNLINKED_HOW = "Ask HR or your admin for a link code, then send /start CODE here."
WELCOME_TITLE = "Hello, {name}"
WELCOME = "You're linked as {email}. Type /help for the commands."


# --- Praise (handlers/praise/) -------------------------------------------------------------
PRAISE_TITLE = "Praise"
PRAISE_EMPTY = "Say what they did: praise needs a reason, e.g. /praise @ana closed the ACME deal"
PRAISE_SELF = "You can't praise yourself."
PRAISE_NOT_YOURS = (
    "Only {name}'s managers can praise them here (anyone can, if your admin turns that on)."
)
PRAISE_ALLOWANCE = "You've used today's praise allowance ({n}); you can praise again tomorrow."
PRAISE_SENT = "Sent to {name}."
PRAISE_POSTED = "Posted to {channel}."
PRAISE_DM_TITLE = "Praise from {giver}"
PRAISE_CHANNEL_TITLE = "{giver} praised {name}"
PRAISE_TAGS = "Values"
PRAISE_FIGURES = "Contribution {period}: {figures}"
PRAISE_FIGURE = "{label} {actual} ({attainment} of target, {sources})"
PRAISE_NO_SOURCE = "manual"
PRAISE_RECORD = "Record {source} {record_id}: {value} on {on}"


# --- Delivery problems (handlers/people/unreachable.py) ----------------------------------------
UNREACHABLE_TITLE = "Can't reach {name}"
UNREACHABLE_LINE = (
    "{name} ({email}) can't be reached on {platform} any more: {reason}. "
    "They may have blocked the bot or left the workspace."
)
UNREACHABLE_MISSED = "Not delivered: “{title}”"
UNREACHABLE_NEXT = (
    "perfbot stops messaging them until their chat account is linked again; "
    "please pass on anything urgent yourself."
)


# --- Goal cascade ----------------------------------------------------------------------
COMPANY = "Company"
CASCADE_NEW = "{who}: {target} {unit} (new)"
CASCADE_CHANGED = "{who}: {old} → {new} {unit}"
PROPOSED_TITLE = "Proposed targets for {team} · {period}"
CONFIRM = "Confirm"
ADJUST = "Adjust"
CONFIRMED_TITLE = "Targets confirmed"
CONFIRMED = "{goals} confirmed for {team}; each person was asked to acknowledge theirs."
YOUR_GOALS_TITLE = "Your goals · {period}"
YOUR_GOALS_INTRO = "{manager} confirmed your goals. Please acknowledge them."
NOT_TEAM_MANAGER = "Only the manager of {team} (or an admin) can confirm its targets."
NO_SUCH_GOAL = "That goal no longer exists; run /goals again."
ADJUST_TITLE = "Adjust targets for {team}"
ADJUST_SUBMIT = "Save and confirm"
ADJUST_SUM = "The targets add up to {got}, but the team target is {want}."
ADJUST_BAD_NUMBER = "Enter a number of 0 or more."
ADJUSTED_TITLE = "Targets adjusted and confirmed"
GOAL_UPDATE_TITLE = "Progress updated"
GOAL_UPDATE_REFUSED_TITLE = "Progress not updated"
GOAL_UPDATED = "#{id} {title}: {percent}% done."
GOAL_UPDATE_NOTICE = "{name} updated #{id} {title}: {percent}% done. {note}"
GOAL_NUMERIC = "Goal #{id} is measured from source data; progress can't be set by hand."
NOT_ALLOWED_TITLE = "Not allowed"


# --- Appeals (handlers/appeals/) -----------------------------------------------------------
AP_TITLE = "Appeal #{id}"
AP_NEW_TITLE = "Appeal"
AP_NO_SUCH = "That appeal doesn't exist (any more)."
AP_NO_SCORE = "There is no score for {period} yet, so there is no figure to appeal."
AP_UNKNOWN_METRIC = "'{metric}' isn't one of your figures. Your figures: {choices}"
AP_DUPLICATE = "You already have appeal #{id} open on {label} for {period}. Type /appeal to see it."
AP_DUPLICATE_RACE = "You already have an open appeal on {label}. Type /appeal to see it."
AP_NO_HANDLER = "There is no manager or HR to review an appeal: ask an admin to set one up."
AP_OPENED_TITLE = "Appeal #{id} opened"
AP_OPENED = "{label} for {period}: {figure} is under appeal."
AP_OPENED_NEXT = "{name} will review it; you'll hear the outcome here. /appeal lists your appeals."
AP_NEW_FORM = "Appeal a figure"
AP_NEW_METRIC = "Which figure (e.g. sales)"
AP_PICK_METRIC = "Which figure"
AP_NEW_REASON = "What is wrong with it"
AP_NEED_METRIC = "Say which figure, e.g. sales."
AP_NEED_REASON = "A reason is required."
AP_NEED_QUESTION = "Type your question."
AP_NEED_ANSWER = "Type your answer."
# The decision card
AP_CARD_TITLE = "Appeal #{id} · {name} disputes {label}"
AP_CARD_FIGURE = "{name} disputes {label} for {period}: {figure}"
AP_FIGURE = "{actual} of {target} ({attainment}) [{sources}]"
AP_NO_FIGURE = "no figure yet"
AP_CARD_REASON = "Reason: “{reason}”"
AP_CARD_RECORDS = "Source records (latest {shown} of {count}):"
AP_CARD_NO_RECORDS = "No source records behind this figure in {period}."
AP_RECORD = "{on} · {source} {record_id} · {metric} {value}"
AP_CARD_MORE = "… and {more} (/explain shows them all)"
AP_FRESH_SAME_ONE = " · source agrees"
AP_FRESH_DIFF = " · source now says {now} ({diff})"
AP_FRESH_GONE = " · no longer in the source"
AP_FRESH_FAILED = " · couldn't ask the source: {error}"
AP_FRESH_SUMMARY = "Fresh from the sources: {records} differ from what was scored."
AP_FRESH_SAME = "Fresh from the sources: every record shown matches what was scored."
AP_CARD_FOOT = "Appeal #{id}"
AP_FIELD_STATUS = "Status"
AP_STATUS = {
    "open": "waiting for a decision",
    "needs_info": "waiting for the employee's answer",
    "accepted": "accepted",
    "rejected": "rejected",
}
AP_ACCEPT = "Accept and correct"
AP_REJECT = "Reject"
AP_ASK = "Ask for details"
AP_ESCALATE = "Escalate to HR"
# Deciding
AP_OWN = "You can't decide your own appeal: your manager or HR does."
AP_NOT_YOURS = "Only {name}'s managers, their branch's HR and admins can decide this appeal."
AP_ACCEPT_FORM = "Accept appeal #{id}"
AP_ACCEPT_VALUE = "Corrected {label}"
AP_ACCEPT_NOTE = "Note for {name} (optional)"
AP_NOW = "{label} is {figure} now."
AP_BAD_VALUE = "'{token}' is not a number: use e.g. 1180000, 1,180,000 or 1.18m"
AP_ACCEPTED_TITLE = "Appeal #{id} accepted"
AP_ACCEPTED = "{label} corrected by {by}: {old} → {new}."
AP_SCORE_MOVED = "Score: {old} → {new}."
AP_NOTE_LINE = "Note: {note}"
AP_ACCEPT_DONE = "{label}: {old} → {new}. {name} has been told; the score was recomputed."
AP_REJECT_FORM = "Reject appeal #{id}"
AP_REJECT_REASON = "Why (the employee sees this)"
AP_REJECTED_TITLE = "Appeal #{id} rejected"
AP_REJECTED = "{by} rejected your appeal on {label}; the figure stays {figure}."
AP_REASON_LINE = "Reason: {reason}"
AP_REJECT_DONE = "Rejected. {name} has been told why."
# Questions and answers
AP_ASK_FORM = "Question to {name} about appeal #{id}"
AP_ASK_QUESTION = "Your question"
AP_STILL_WAITING = "{name} hasn't answered your last question yet."
AP_Q_LINE = "Q ({name}): {text}"
AP_A_LINE = "A ({name}): {text}"
AP_QUESTION_TITLE = "A question about your appeal #{id}"
AP_QUESTION = "{by} asks about your appeal on {label}:"
AP_ASKED = "Sent to {name}; their answer will come back to you."
AP_ANSWER_BUTTON = "Answer #{id}"
AP_ANSWER_FORM = "Answer about appeal #{id}"
AP_ANSWER_LABEL = "Your answer"
AP_NOT_YOUR_APPEAL = "Only the person who filed the appeal can answer its questions."
AP_ANSWERED_TITLE = "Appeal #{id} · {name} answered your question"
AP_ANSWERED = "Thanks: your answer is with the reviewer."
# Escalation and SLA
AP_ALREADY_WITH_HR = "This appeal is already with HR."
AP_NO_HR = "There is no HR to escalate to: ask an admin to set one up."
AP_ESCALATED_CARD = "Appeal #{id} · {name} · escalated to you"
AP_ESCALATED_EMPLOYEE = "Your appeal is now with {name} (HR)."
AP_ESCALATED_DONE = "Escalated to {name} (HR)."
AP_ESCALATED_DIGEST = "{n} appeals escalated to you"
AP_REMINDER_TITLE = "Reminder: appeal #{id} from {name} has waited {days}"
# /appeal alone
AP_LIST_TITLE = "Your appeals"
AP_LIST_EMPTY = "You have no appeals. To open one: /appeal <metric> <reason>"
AP_LIST_LINE = "#{id} {label} · {period} · filed {filed} · {state}"
AP_STATE_OPEN = "open, with {name}"
AP_STATE_ESCALATED = "escalated, with {name} (HR)"
AP_STATE_NEEDS_INFO = "{name} asked you a question: answer it below"
AP_STATE_ACCEPTED = "accepted: {old} → {new}"
AP_STATE_REJECTED = "rejected: {note}"


# --- Target changes (/kpi) -------------------------------------------------------------
KPI_TITLE = "Target change"
KPI_NOT_MANAGER = "Only {name}'s managers can ask for a change of their targets."
KPI_NO_REASON = "A reason is required: /kpi @ana sales_amount 80000 market change"
KPI_NO_GOAL = "{name} has no {metric} goal in {period}."
KPI_PENDING = "Change #{id} for this goal is already waiting for HR."
KPI_SENT = "Request #{id} sent to HR: {name}'s target {old} → {new}."
KPI_APPROVAL_TITLE = "Target change for {name}: approve?"
KPI_REASON = "Reason: {reason}"
KPI_GOAL = "Goal"
KPI_CHANGE = "Change"
KPI_NOW = "Current"
KPI_BY = "Requested by"
APPROVE = "Approve"
REJECT = "Reject"
KPI_NOT_HR = "Only HR covering {name}'s branch (or an admin) can decide this change."
KPI_REJECT_FORM = "Why is the change rejected?"
KPI_REJECT_REASON = "Reason"
KPI_REJECT_NEEDS_REASON = "Please give a reason for the rejection."
KPI_APPROVED_TITLE = "Target change approved"
KPI_APPROVED = "{name}'s {goal} target is now {new} (was {old}), from {since}. Score: {score}."
KPI_REJECTED_TITLE = "Target change rejected"
KPI_REJECTED = "{name}'s {goal} target stays {old}. HR's reason: {note}"


# --- Team report (/team) ---------------------------------------------------------------
TEAM_TITLE = "Team report · {period}"
TEAM_EMPTY = "No scores for this period yet."
TEAM_NOT_MANAGER = "The team report is for managers and HR."
TEAM_LINE_NO_SCORE = "{name}: no score yet"
TEAM_PEOPLE = "People"
TEAM_AVERAGE = "Average"
PRAISED = "praised {n}×"
AND_MORE = "…and {n} more"
HR_TITLE = "Branches and process · {period}"
BRANCH_LINE = "{branch}: average {avg} over {people}"
BRANCH_LINE_PROJECTED = "{branch}: average on pace {avg} over {people} (projected)"
BRANCH_LINE_EARLY = "{branch}: average so far {avg} over {people} (too early to project)"


# --- Partial periods: pace and projections (/score, /team, report, Home) ----------------
PARTIAL = "Partial: {elapsed} of {total} working days"
PROJECTED_TO = "projections are on pace to {end}"
TOO_EARLY = "too early to project"
ON_PACE = "on pace for {attainment} by {end}"
TOTAL_SO_FAR = "{total} so far · on pace for {projected} ({band}, projected)"
TOTAL_SO_FAR_EARLY = "{total} so far (too early to project)"
TEAM_LINE_PARTIAL = "{name} ({team}): {total} so far · on pace for {projected} {band} (projected)"
TEAM_LINE_EARLY = "{name} ({team}): {total} so far"
TEAM_AVERAGE_SO_FAR = "Average so far"
TEAM_AVERAGE_PROJECTED = "Average on pace"
PROJECTED_BAND = "{band} (projected)"
PROJECTED_FLAG = "{flag} (projected)"
HOME_TEAM_LINE_PARTIAL = "{name}: {total} so far, on pace for {projected} ({band}, projected){flag}"
HOME_TEAM_LINE_EARLY = "{name}: {total} so far{flag}"
CHART_PARTIAL = "{title} · partial, {elapsed} of {total} working days · bars: on pace by {end}"
CHART_EARLY = "{title} · partial, {elapsed} of {total} working days · so far (too early to project)"
CHART_SO_FAR = "so far"  # the chart's legend: the thin bars of partial totals
CHART_SCORE = "score"  # the chart's axis
CHART_AVERAGE_SCORE = "average score"
COMPLETION = "Review completion"
COMPLETION_VALUE = "{rate} ({done} of {goals} acknowledged)"
APPEALS_OPENED = "Appeals opened"
APPEALS_RESOLVED = "Appeals resolved"
MEDIAN_RESOLVE = "Median time to resolve"
HOURS = "{h} h"


# --- Period close ----------------------------------------------------------------------
ALREADY_CLOSED = "Period {period} is already closed; re-open it first (perfbot period reopen)."
NOT_CLOSED = "Period {period} is not closed."
REOPEN_NEEDS_REASON = "Re-opening a closed period needs a reason; it goes in the audit log."
CLOSED_TITLE = "Period {period} closed: incentive decisions"
FLAG_LINE = "{email}: {rule} ({reason})"
NO_FLAGS = "Nobody qualified for an incentive this period."
FROZEN = "Scores frozen"
NO_RESULT = "Without a result (no data)"

# --- Period preview, calibration and a safe close (handlers/closing/) ----------------------
COHORT_COMPANY = "the company"
TOP_REASON = "rank {rank} of {size} in {cohort}; top {percent}% is {ranks}"
TOP_RANKS = "ranks 1-{cutoff}"
TOP_RANKS_ONE = "rank 1"
TOP_RANKS_NONE = "nobody in a group this small"
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 21: "21st", 22: "22nd", 23: "23rd"}
ORDINAL_OTHER = "{n}th"
RUN_REASON = "{nth} {band} {kind} in a row"
RUN_SHORT = "{run}; needs {needed}"
RUN_NONE = "{band} this {kind}; needs {needed} {rule_band} in a row"
BLOCK_NOBODY = "nobody is on a scorecard"
BLOCK_RUNNING = "the period runs until {end} in some branch: close it once it has ended"
BLOCK_NO_SCORES = "no scores: nobody has data on any dimension of this period"
BLOCK_COVERAGE = (
    "only {coverage}% of the scorecards' weight has data; closing needs {needed}%"
    " (PERFBOT_CLOSE_MIN_COVERAGE)"
)
CLOSE_REFUSED = "Period {period} was not closed: {why}."
MISSING_LINE = "{dimension}: {n} without data ({names})"
MISSING_MORE = ", +{n}"  # after the first names: how many more lack it
MISSING_NOT_SCORED = "not scored at all"
MISSING_NONE = "Everyone has data on every dimension."
PREVIEW_TITLE = "Period {period} · before close"
PREVIEW_CLOSED_TITLE = "Period {period} · closed results"
PREVIEW_PEOPLE = "People"
PREVIEW_SCORED = "With a result"
PREVIEW_COVERAGE = "Weight with data"
PREVIEW_COVERAGE_VALUE = "{coverage}% (closing needs {needed}%)"
PREVIEW_BY_SCORECARD = "By scorecard:"
PREVIEW_BY_BRANCH = "By branch:"
PREVIEW_GROUP = "  {name}: {scored} of {people} scored, average {avg} ({low}-{high}) · {bands}"
PREVIEW_GROUP_EMPTY = "  {name}: {people} people, none scored"
PREVIEW_MISSING = "Missing data:"
PREVIEW_WOULD_GET = "{rule} ({n}):"
PREVIEW_GETS = "  {name} ({card}, {final}): {reason}"
PREVIEW_NOBODY_GETS = "  nobody"
PREVIEW_CALIBRATED = "Calibrated ({n}):"
PREVIEW_CAL_LINE = "  {name}: {computed} → {final} ({reason}, by {by})"
PREVIEW_BLOCKED = "Close is refused: {why}."
PREVIEW_READY = "Ready to close: results are frozen, incentives applied, everyone gets a card."
PREVIEW_FOOT = (
    "Everyone's line: perfbot period preview {period} --json · calibrate: "
    "/period calibrate @who {period} <score> <reason>"
)
CLOSE_BUTTON = "Close {period}"
CLOSE_NOT_ALLOWED = "Previewing, calibrating and closing a period is for HR and admins."
CLOSE_NOT_HQ = (
    "Closing a period closes it for every branch: HR at headquarters or an admin does it."
)
CLOSE_DONE_TITLE = "Period {period} closed"
CLOSE_DONE = "{frozen} frozen, {flags}, {cards} and {hr} queued."
CLOSE_REFUSED_TITLE = "Period {period} was not closed"
CLOSE_REFUSED_HOW = (
    "Nothing was closed. Complete the data or calibrate, then close it: /period close {period}"
    " (or perfbot period close {period})."
)
RESULT_TITLE = "Your result · {period}"
RESULT_SCORE = "Score {final} ({band})"
RESULT_CALIBRATED = "Calibrated by HR from {computed} to {final}: {reason}"
RESULT_NO_DATA = "No result this {kind}: none of your scorecard's dimensions had data."
RESULT_YES = "{rule}: yes — {reason}"
RESULT_NO = "{rule}: no — {reason}"
CAL_TITLE = "Calibration · {name} · {period}"
CAL_DONE = "Final result {final} ({band}); computed {computed}. Reason: {reason}"
CAL_WAS = "Was calibrated to {old} before."
CAL_NEEDS_REASON = "A calibration needs a reason; it goes in the audit log."
CAL_RANGE = "A calibrated score is between 0 and {top}; got {value}."
CAL_NO_SCORE = "{name} has no score with data in {period}: nothing to calibrate."
CAL_CLOSED = "Period {period} is closed; re-open it to calibrate (or the person appeals)."
CAL_NOT_ALLOWED = "You may calibrate only people your HR role covers, and never yourself."
CAL_NO_PERSON = "{who} is not on a scorecard here."


# --- At-risk nudges (handlers/nudges/) -----------------------------------------------------
# Why the sweep left a branch out (sweep_calendar.Skipped, said by `perfbot sweep`, the demo).
SWEEP_SKIP_WEEKEND = "weekend"
SWEEP_SKIP_HOLIDAY = "holiday"
SWEEP_SKIP_NO_PERIOD = "no open period"
SWEEP_SKIP_TOO_EARLY = "too early in {period}"
NUDGE_TITLE = "{name} is behind pace on {metric}"
NUDGE_LINE = (
    "{first} is at {ratio} of pace on {metric}: {actual} of the {expected} expected by today."
)
NUDGE_LINE_LOWER = (
    "{first} is at {ratio} on {metric}: {actual}{unit} against a target of at most {target}{unit}."
)
NUDGE_MISSING = "Top missing: {items}."
NUDGE_MISSING_ITEM = "{metric} {gap} below pace"
NUDGE_MISSING_LOWER = "{metric} {actual}{unit} over {target}{unit}"
NUDGE_TO_GO = "{to_go} to go to reach the {target}{unit} target by {end}."
NUDGE_SINCE = "Behind pace since {since}."
NUDGE_FOOT = "Period {period}. At most one nudge per goal a week; snoozing stops them for a week."
NUDGE_OPEN_SCORE = "Open score"
NUDGE_MESSAGE = "Message {first}"
NUDGE_SNOOZE = "Snooze 1 week"
# The digest: one card per person a sweep has something for.
DIGEST_BEHIND_MANY = "{n} people on your team are behind pace"
DIGEST_WAITING_TITLE = "Waiting for you"
DIGEST_PERSON = "• {line}"
DIGEST_ALSO = "Also behind: {items}."
DIGEST_ALSO_ITEM = "{metric} at {ratio}"
DIGEST_WAITING = "Waiting for you:"
DIGEST_SCORE = "{name}'s score"
DIGEST_SNOOZE = "Snooze {name} 1 week"
DIGEST_FOOT = (
    "Period {period}. At most one nudge per goal a week; [Snooze] quiets one person for a week."
)
REMIND_CONFIRM = "Confirm {name}'s target on {goal} (waiting {days} business days)."
REMIND_ACK = "Acknowledge your target on {goal} (waiting {days} business days)."
REMIND_KPI = (
    "Approve or reject the change of {name}'s target on {goal} to {target}"
    " (waiting {days} business days)."
)
REMIND_APPROVE = "Approve #{id}"
REMIND_REJECT = "Reject #{id}"
SNOOZED_PERSON = "No nudges about {name} until {until}."
NUDGE_SELF_TITLE = "You're behind pace on {metric}"
NUDGE_SELF_LINE = "You're at {ratio} of pace: {actual} of the {expected} expected by today."
NUDGE_SELF_LINE_LOWER = (
    "You're at {ratio}: {actual}{unit} against a target of at most {target}{unit}."
)
NUDGE_SELF_CHEER = "There's time to catch up: {to_go} to go by {end}. Your manager can help."
SNOOZE_TITLE = "Nudges snoozed"
SNOOZED = "No nudges about {name}'s {metric} until {until}."
SNOOZE_NOT_YOURS = "Only {name}'s managers can snooze nudges about them."
CONTACT_TITLE = "Message {name}"
CONTACT_EMAIL = "E-mail: {email}"
CONTACT_OPEN = "Open a chat with {name}"


# --- What-if ---------------------------------------------------------------------------
WHAT_IF_TITLE = "What if"
WHAT_IF_NO_CARD = "This score's scorecard is no longer configured."
WHAT_IF_UNKNOWN = "{metric} is not on this scorecard; it has: {choices}"
WHAT_IF_LINE = "{metric} were {value}"
WHAT_IF_NOW = "Now"


# --- Company goals from chat -----------------------------------------------------------
COMPANY_GOAL_TITLE = "Company goal"
COMPANY_GOAL_ADMIN = "Only an admin can set company goals."
COMPANY_GOAL_METRIC = "No scorecard uses {metric!r}, so no one could carry that goal."
COMPANY_GOAL_DONE = (
    "{title}: {target} for {period}, carried by {teams}. {created} "
    "created, {changed} changed; {managers} asked to confirm."
)


# --- A metric named in a command (handlers/metric_names.py) ------------------------------
METRIC_AMBIGUOUS = "'{metric}' could be more than one metric: {choices}. Which one?"
METRIC_UNKNOWN = "There is no metric '{metric}'. Metrics: {choices}"
METRIC_WITH_KEY = "{label} ({key})"  # a label two metrics share, told apart by key

# --- Nouns counted (one, many): handlers.format.plural("1 goal", "2 goals") ----------
GOALS = ("goal", "goals")
MINUTES = ("minute", "minutes")
RECORDS = ("record", "records")
MORE_RECORDS = ("more record", "more records")
MANAGERS = ("manager", "managers")
COMMENTS = ("comment", "comments")
BUSINESS_DAYS = ("business day", "business days")
REPORTS = ("report", "reports")
PEOPLE = ("person", "people")
SCORES = ("score", "scores")
INCENTIVE_DECISIONS = ("incentive decision", "incentive decisions")
RESULT_CARDS = ("result card", "result cards")
HR_NOTICES = ("HR notice", "HR notices")
RATING_CARDS = ("rating card", "rating cards")
REMINDERS = ("reminder", "reminders")
CHANGED_FIGURES = (
    "corrected figure changed at the source",
    "corrected figures changed at the source",
)


# --- /explain ----------------------------------------------------------------------------
EXPLAIN_TITLE = "{metric} · {name} · {period}: where the figure comes from"
EXPLAIN_UNKNOWN = "There is no metric '{metric}'. Metrics: {choices}"
EXPLAIN_NO_RECORDS = "No source records behind this figure in this period."
EXPLAIN_FIGURE = "{figure} = {formula}"
EXPLAIN_SUM = "{op} of {facts} records below"
EXPLAIN_OPS = {"sum": "sum", "count": "count"}  # how the records add up to the figure
EXPLAIN_RATIO = "{num} ({num_facts}) ÷ {den} ({den_facts}) × {scale}"
EXPLAIN_RECORD = "{day} · {record} · {metric} {value} · {source}"
EXPLAIN_MORE = "…and {more} totalling {total}"
EXPLAIN_VOIDED = "Not counted: {records} voided at the source."
EXPLAIN_CHANGED = (
    "The stored score used {stored}; the data changed since and is re-scored at the next run."
)
EXPLAIN_RECORDS = "Records"


# --- Appeals after close and corrections (R7, R4) ------------------------------------------
ERR_APPEAL_PERIOD = (
    "'{token}' is not a month or quarter: put e.g. 2026-11 or 2026-Q4 after the metric"
)
AP_WINDOW_OVER = (
    "Appeals for {period} closed on {deadline} ({days} business days after the period "
    "closed). If something is still wrong, ask HR."
)
AP_OPENED_CLOSED = "{period} is closed: if the appeal is accepted, only your result is recomputed."
AP_DEADLINE_LINE = "Appeals for {period} are open until {deadline}."
AP_CARD_CLOSED = "{period} is closed: accepting re-opens {name}'s result only, and HR is told."
AP_RATING_FIGURE = "rated {actual} ({attainment}) [manager]"
AP_CARD_RATED = "Rated {rating} by {rater} on {on}."
AP_CARD_NOT_RATED = "No rating was given for {period}."
AP_CARD_RATING_NOTE = "Rating note: {note}"
AP_BAD_RATING = "'{token}' is not a rating: use a whole number from {low} to {high}"
AP_CORRECTED_DONE_CLOSED = (
    "{label}: {old} → {new}. {name} has been told; their {period} result was recomputed "
    "and HR was told."
)
# A correction, wherever a figure is shown
CORRECTION_LINE = "Corrected by appeal #{appeal}: {before} → {after} ({by}, {on})"
CORRECTION_NOTE = "Correction note: {note}"
CORRECTION_USED = "The score uses the corrected {after}; the records are as the source sent them."
SCORE_CORRECTED = "  ✎ corrected from {before} (appeal #{appeal})"
APPEAL_WHY = "appeal #{id}"
# One person's result of a closed period, recomputed after an accepted appeal
REOPENED_TITLE = "{period} result of {name} recomputed ({why})"
REOPENED_SCORE = "Score: {old} ({old_band}) → {new} ({new_band})"
REOPENED_FIGURE = "{label}: {old} → {new}"
REOPENED_INCENTIVES = "Incentives: {old} → {new}"
REOPENED_OTHERS = "Everyone else's {period} results stay as they were closed."
REOPENED_NONE = "none"
# The source changed the records behind a corrected figure
CORRECTION_SOURCE_TITLE = "Source changed a corrected figure: {name} · {label} · {period}"
CORRECTION_SOURCE = (
    "{label} of {name} for {period} was corrected by appeal #{appeal} ({before} → {after}). "
    "Its source records have changed since: {was} then, {now} now."
)
CORRECTION_RECORDS = "{records} totalling {total}"
CORRECTION_SOURCE_NEXT = (
    "The correction still stands. See the records: /explain {metric} {who} {period}"
)
# --- Ratings (/rate, the rating card, reminders) and /self --------------------------------
RT_CARD_TITLE = "Ratings · {period} · {rated} of {total} rated"
RT_PAGE = " ({page}/{pages})"
RT_CARD_HELP = (
    "Tap a number to rate each person ({low} lowest, {high} highest); tap another to change it."
)
RT_PERSON = "{name}: {rating}"
RT_PERSON_NOTE = " · “{note}”"
RT_PERSON_BY = " (by {rater})"
RT_RATED = "{rating} of {high}"
RT_NOT_RATED = "not rated yet"
RT_SELF = "    Self-assessment: “{text}”"
RT_NO_SELF = "    No self-assessment yet"
RT_COMMENTS_BUTTON = "Comments…"
RT_MORE = "More ({page}/{pages})"
RT_CARD_FOOT = "The period ends {end}; ratings count until it is closed."
RT_COMMENT_FORM = "Rating comments · {period}"
RT_COMMENT_LABEL = "{name} ({rating})"
RT_COMMENT_HELP = "A comment per person, kept with their rating (optional; empty clears it)."
RT_COMMENT_SAVE = "Save"
RT_COMMENT_FIRST = "Rate {name} first (tap a number), then add the comment."
RT_COMMENT_TOO_LONG = "Keep a comment under {limit} characters (this one has {length})."
RT_COMMENTS_SAVED_TITLE = "Comments saved"
RT_COMMENTS_SAVED = "Saved {comments} for {period}."
RT_TITLE = "Rating"
RT_DONE_TITLE = "Rated {name}"
RT_DONE = "{name}: {rating} of {high} for {period}{was}."
RT_WAS = " (was {rating})"
RT_MOVED = "Score {old} → {new}."
RT_CARD_BUTTON = "Rating card"
RT_NOBODY = "You have nobody to rate for {period}: no direct reports on a scorecard with a rating."
RT_OFF_SCALE = "'{score}' is not on the rating scale: give a whole number from {low} to {high}"
RT_COMMENT_LONG = "the comment is too long ({length} characters): keep it under {limit}"
RT_SELF_RATE = "Nobody rates themselves: your manager rates you."
RT_NOT_MANAGER = "Only {name}'s managers can rate them."
RT_NO_DIMENSION = (
    "{name}'s scorecard ({scorecard}) has no manager rating, so there is nothing to rate."
)
RT_CLOSED = "Period {period} is closed: its ratings are final. HR can re-open it."
RT_NOT_STARTED = "Period {period} hasn't started yet: rate when there is something to judge."
RT_REMIND_TITLE = "Reminder: ratings for {period}"
RT_REMIND = "{left} left in {period}; not rated yet: {missing} of your {total}."
RT_CARD_INTRO = "{period} ends in {left}: time to rate your reports."
SELF_TITLE = "Self-assessment · {period}"
SELF_NONE = "You haven't written one for {period} yet."
SELF_SHOW = "“{text}”"
SELF_SAVED = "Saved. Your manager sees it on their rating card for {period}."
SELF_UPDATED = "Updated. Your manager sees the new text on their rating card for {period}."
SELF_TOO_LONG = "That's {length} characters: keep a self-assessment under {limit}."
SELF_CLOSED = "Period {period} is closed: its self-assessments are final."
# --- Targets that count (confirmed targets, re-cascades around HR-approved ones) -------
CASCADE_KEPT = "Kept, approved by HR: {people}"
CASCADE_NOT_CHANGED = "{goal} was not changed:"
CASCADE_FIXED_OVER = (
    "{team}: its share of {goal} is {share} {unit}, but the targets HR approved ({people}) "
    "add up to {fixed}, {over} more, and {others} other people still need a part. Raise "
    "the goal, or change those targets with /kpi first."
)
CASCADE_FIXED_ALL = (
    "{team}: its share of {goal} is {share} {unit}, and the targets HR approved ({people}) "
    "take all of it, leaving nothing for the other {others} people. Raise the goal, or "
    "change those targets with /kpi first."
)
CASCADE_ALL_FIXED = (
    "{team}: every target there was approved by HR ({people}; {fixed} {unit} in all), so "
    "its share of {goal}, {share} {unit}, can't be met. Change those targets with /kpi first."
)
CASCADE_TWIN_MORE = " (+{n})"  # after the first five names: how many more
CASCADE_TWIN = (
    "{goal}: {people} already have a {metric} target from goal {other!r}, and a person has "
    "one target per metric. Change that goal instead, or leave their team out of this one."
)
CASCADE_BAD_TOTAL = "{goal}: {reason}"
PENDING_TARGET = "{label}: target {target} proposed, not confirmed yet — not counted"
GOAL_CHANGE_PENDING = "{status}; {proposed}{unit} proposed, awaiting the manager"
ADJUST_APPROVED = "{name}'s target {target} was approved by HR; change it with /kpi."
DIMENSION_NO_TARGET = "{label} ({weight}%): {actual}, no confirmed target yet, not counted"

# --- leavers and movers (handlers/people/leavers.py, handover.py) ---
GONE_TITLE = "Account deactivated"
GONE = "Your perfbot account is no longer active. Ask HR if this is a mistake."
GONE_WHY = "the account is deactivated"
HANDOVER_TITLE = "Handed over to you: {name}"
HANDOVER_LEFT = "{name} has left; what waited on them is now yours."
HANDOVER_MOVED = "{name} now reports to you; their open items follow them."
HANDOVER_APPEALS = "Appeals to decide: {items} (their cards come separately)."
HANDOVER_KPI = "Target changes to approve: {items} (their cards come separately)."
HANDOVER_TEAMS = "Teams now yours, goals to confirm on /goals: {items}."
HANDOVER_REPORTS = "Now reporting to you (rate them on /rate): {items}."
HANDOVER_NO_MANAGER = "Without a manager now (give them one in the org file): {items}."
HANDOVER_APPEAL_CARD = "Appeal #{id} · {name} · handed over to you ({why})"
HANDOVER_WHY_LEFT = "{name} left"
HANDOVER_WHY_MOVED = "{name} changed manager"

# --- Organisation file problems (handlers/people/org_validate.py, leavers.py) ----------------
# One line each, shown by `perfbot org load` (and org sync, goals load) in the operator's
# language. {where} is a line ("line 12"), a YAML path (employees[3]) or a directory's
# user; a section, field or platform name ({key}, {what}, {platform}) stays as written.
ORG_LINE = "line {n}"
AT = "{where}: {problem}"
ORG_NOT_YAML = "not valid YAML: {error}"
ORG_NOT_MAPPING = "the file must be a mapping with branches, teams and employees"
ORG_NOT_LIST = "{key}: must be a list"
ORG_UNKNOWN_SECTION = "{key}: unknown section"
ORG_NO_NAME = {
    "branch": "{where}: branch without a name",
    "team": "{where}: team without a name",
}
ORG_BRANCH_AT = "{where}: branch {name}"
ORG_PERSON_AT = "{where}: {email}"
ORG_UNKNOWN_TZ = "{where}: unknown time zone {tz!r}"
ORG_DUPLICATE_BRANCH = "branches: duplicate branch {name!r}"
ORG_TEAM_UNKNOWN_BRANCH = "{where}: team {name}: unknown branch {branch!r}"
ORG_DUPLICATE_TEAM = "teams: duplicate team {name!r}"
ORG_UNKNOWN_PARENT = "{where}: team {name}: unknown parent team {parent!r}{near}"
ORG_TEAM_CYCLE = "cycle in the team hierarchy: {path}"
ORG_MANAGER_CYCLE = "cycle in the management chain: {path}"
ORG_BAD_EMAIL = "{where}: missing or invalid e-mail {email!r}"
ORG_UNKNOWN_TEAM = "{where}: unknown team {team!r}{near}"
ORG_UNKNOWN_SCORECARD = "{where}: unknown scorecard {card!r}{near}"
ORG_KNOWN = " (known: {known})"
ORG_NEAR = " (did you mean {value!r}?)"
ORG_NONE = "none"
ORG_BAD_ROLE = "{where}: role must be one of {roles}"
ORG_NO_BRANCH = "{where}: no branch (give a branch or a team, or mark one branch hq)"
ORG_UNKNOWN_BRANCH = "{where}: unknown branch {branch!r}"
ORG_DUPLICATE_EMAIL = "employees: duplicate e-mail {email!r}"
ORG_UNKNOWN_MANAGER = "{where}: employee {email}: unknown manager {manager!r}{near}"
ORG_OWN_MANAGER = "{where}: employee {email}: is their own manager"
ORG_TEAM_UNKNOWN_MANAGER = "{where}: team {name}: unknown manager {manager!r}{near}"
ORG_SHARED_ID = "employees: {what} {value!r} given to more than one person"
ORG_UNKNOWN_LOCALE = "{where}: unknown locale {given!r} (perfbot speaks {speaks})"
ORG_BAD_MOBILE = (
    "{where}: mobile {value!r} is not an international number such as"
    " '+8613800138000' (+, country code, number){hint}"
)
# YAML reads an unquoted +8613800138000 as a number: its "+" is gone.
ORG_MOBILE_QUOTE = " (quote it: YAML reads +86… as a number)"
ORG_BAD_ACTIVE = "{where}: active must be true or false, not {value!r}"
ORG_INACTIVE_MANAGER = (
    "employee {email}: manager {manager} is marked active: false; name a new manager"
)
ORG_TEAM_INACTIVE_MANAGER = (
    "team {name}: manager {manager} is marked active: false; name a new manager"
)
# A manager deactivated earlier whom the file names again without `active: true`.
ORG_LEFT_MANAGER = (
    "employee {email}: manager {manager} is inactive; name a new manager or mark {manager}"
    " active: true"
)
ORG_TEAM_LEFT_MANAGER = (
    "team {name}: manager {manager} is inactive; name a new manager or mark {manager} active: true"
)
ORG_CHAT_NOT_MAP = "{where}: chat must map a platform to an id"
ORG_UNKNOWN_PLATFORM = "{where}: unknown chat platform {platform!r} (known: {known})"
ORG_CHAT_NOT_ONE = "{where}: chat {platform}: the id must be a single value"
ORG_CHAT_DIFFER = "{where}: {platform}_id {old!r} and chat {new!r} differ"
PEOPLE_NOT_FOUND = "not found: {who}"

# --- Goals file problems (handlers/goals/file.py), shown by `perfbot goals load` -------------
GOALS_NOT_SHAPED = "the file needs `period:` and a list of `goals:`"
GOALS_NO_PERIOD = "period: missing (e.g. 2026-11)"
GOAL_AT = "{where}: goal {key}"
GOAL_NOT_MAPPING = "{where}: each goal must be a mapping"
GOAL_NO_KEY = "{where}: every goal needs a key and a title"
GOAL_DUPLICATE = "{where}: duplicate goal key {key!r}"
GOAL_NO_TARGET = "{where}: a numeric goal needs a target >= 0"
GOAL_UNKNOWN_METRIC = "{where}: unknown metric {metric!r}{near}"
GOAL_DEFINE_METRIC = " (define it under metrics: in sources)"
GOAL_NO_TEAMS = "{where}: list the teams that carry it"
GOAL_UNKNOWN_TEAM = "{where}: unknown team {team!r}{near}"
GOAL_BAD_SPLIT = "{where}: split must be one of {rules}"
GOAL_BAD_PEOPLE_SPLIT = "{where}: people_split must be one of {rules}"
GOAL_BAD_WEIGHTS = "{where}: weights must give a positive number for each listed team"
GOAL_BAD_DIRECTION = "{where}: direction must be higher or lower"
GOAL_BAD_PLACES = "{where}: places must be a whole number up to 6"

# --- Periods and scoring runs refused (handlers/periods.py, handlers/scores/compute.py) ------
NO_PERIOD_ID = "no period with id {id}"
PERIOD_CLOSED = "period {key} is closed; re-open it to re-score"
NO_PERIOD_KEY = "no period {key!r}"
QUARTER_RANGE = "quarter {q} is not 1-4"
NOT_A_PERIOD_KIND = "{kind!r} is not a period kind"
PERIOD_NO_YEAR = "{ref} has no year"
PERIOD_NO_NUMBER = "{ref} has no number"
NOT_A_PERIOD_KEY = "{key!r} is not a period key such as 2026-11 or 2026-Q4"
