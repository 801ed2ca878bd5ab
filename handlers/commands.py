"""The command language: chat text to a neutral command, the same for every platform.

A command's metric is kept as typed (a key, a label, a label in the reader's language; a
label with spaces in quotes): only the use case knows the configuration to resolve it
against (handlers/metric_names.py).

Each command's type stands right above the function that reads it, so a command's shape and
its grammar are read together; `Command`, near the end, names them all."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal, TypeAlias

from handlers import strings as S
from handlers.periods import PeriodRef as PeriodRef  # re-exported: part of the contract
from handlers.periods import parse_period

MAX_LENGTH = 4000
COMMAND_NAMES: tuple[str, ...] = (
    "goals", "score", "explain", "praise", "appeal", "kpi", "team", "rate", "self", "period",
    "help",
)  # fmt: skip
# Chinese keywords, typed in message text (`绩效 @ana`, `/绩效`) where a platform lets text
# through: the command each names. /help lists them beside the commands.
KEYWORDS: dict[str, str] = {
    "绩效": "score", "得分": "score", "表扬": "praise", "申诉": "appeal", "目标": "goals",
    "团队": "team", "帮助": "help", "解释": "explain", "评分": "rate", "自评": "self",
    "取消": "cancel", "调整目标": "kpi", "周期": "period", "开始": "start", "绑定码": "linkcode",
}  # fmt: skip
# The Chinese words for a command's own sub-commands (`/goals 更新 12 60%`, `/period 预览`),
# as the Chinese /help writes them.
SUBWORDS: dict[str, str] = {
    "更新": "update", "确认": "ack", "公司": "company", "假设": "what-if",
    "预览": "preview", "关闭": "close", "校准": "calibrate",
}  # fmt: skip


@dataclass(frozen=True)
class PersonRef:
    """A person as named in chat: a chat platform's user id (`<@platform:id>`, which each
    adapter writes for its own mentions), a handle (`@name`) or an e-mail."""

    kind: Literal["chat", "handle", "email"]
    value: str
    platform: str = ""  # for "chat": whose user id `value` is


@dataclass(frozen=True)
class Invalid:
    """Input that isn't a command: what was wrong and how the command is typed."""

    command: str
    problem: str
    usage: str
    # The line as typed: the dispatcher parses it again in the reader's language when an
    # adapter parsed it before knowing who was writing.
    typed: str = field(default="", compare=False, repr=False)


# An adapter's <...> entity may hold spaces (labels), so it is one token with what follows it;
# so is a quoted name ("Customer satisfaction", “...”, 「...」): a metric's label with spaces.
_TOKEN = re.compile(r'"[^"\n]+"|“[^”\n]+”|「[^」\n]+」|<[^<>]*>\S*|\S+')
# `<@platform:id>`: the neutral mention each adapter rewrites its own mentions into.
_CHAT = re.compile(r"<@([a-z][a-z0-9_-]{0,31}):([A-Za-z0-9._-]{1,64})>")
# `@alice_b`, `@ana.li`: a chat username, or an e-mail's local part (the console).
_HANDLE = re.compile(r"@([A-Za-z0-9_]{1,32}|[A-Za-z0-9][A-Za-z0-9._-]{0,63})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_QUOTES = '"“”「」'
_NUMBER = re.compile(
    r"([+-]?)[$€£¥₹]?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)(k|m|b|千|万|亿)?"
)
_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "千": 10**3, "万": 10**4, "亿": 10**8}
_PERCENT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,4})?)%?")
_GOAL_ID = re.compile(r"#?([0-9]{1,9})")
# What /appeal reads as a period after the metric: a month or quarter key, nothing looser.
_APPEAL_PERIOD = re.compile(r"[0-9]{4}-[0-9]{1,2}|[0-9]{4}-?q[0-9]{1,2}")
_LINK = re.compile(r"https?://\S+", re.IGNORECASE)
_TAG = re.compile(r"(?<!\S)#(\w+)")  # after a space (or at the start), not inside a word or a link
_START_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a deep link's alphabet
_WHAT_IF = ("what-if", "whatif", "what_if")
_RATING = re.compile(r"[0-9]{1,6}")
_RATING_SHAPED = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?(?:/[0-9]+)?")  # 4.5, -1, 4/5

Tokens = Sequence[re.Match[str]]


class _Bad(Exception):
    """Raised inside the parser with a `problem` for the person; never escapes `parse`."""


def parse(text: str) -> Command | Invalid:
    """Parse a command line in the neutral language (slash optional); never raises."""
    parsed = _parse(text)
    return replace(parsed, typed=text) if isinstance(parsed, Invalid) else parsed


def _parse(text: str) -> Command | Invalid:
    if len(text) > MAX_LENGTH:
        name, _ = _head(list(_TOKEN.finditer(text[:200])))
        usage = S.USAGE.get(name, S.USAGE["help"])
        return Invalid(name[:32], S.ERR_TOO_LONG.format(length=len(text), limit=MAX_LENGTH), usage)
    name, args = _head(list(_TOKEN.finditer(text)))
    parser = _PARSERS.get(name)
    if parser is None:
        return Invalid(name[:32], _unknown(name), S.USAGE["help"])
    try:
        return parser(args, text)
    except _Bad as bad:
        return Invalid(name, str(bad), S.USAGE[name])
    except Exception:  # a parser bug must cost the person a usage line, not a silent bot
        return Invalid(name, S.ERR_INTERNAL, S.USAGE[name])


def _head(tokens: Tokens) -> tuple[str, Tokens]:
    """The command name and its arguments (adapters have unwrapped their own wrappers)."""
    name, args = (_name(tokens[0][0]), tokens[1:]) if tokens else ("help", ())
    return name or "help", args


def _name(token: str) -> str:
    word = _nfkc(token).lstrip("/").casefold()[:64]
    return KEYWORDS.get(word, word)


def keywords_of(name: str) -> tuple[str, ...]:
    """The Chinese keywords that also type a command."""
    return tuple(k for k, v in KEYWORDS.items() if v == name)


def _unknown(name: str) -> str:
    close = difflib.get_close_matches(name, COMMAND_NAMES, n=1)
    hint = S.HINT_DID_YOU_MEAN.format(name=close[0]) if close else ""
    commands = S.LIST_SEP.join(f"/{c}" for c in COMMAND_NAMES)
    return S.ERR_UNKNOWN.format(name=_show(name), suggestion=hint, commands=commands)


def _nfkc(token: str) -> str:
    # Folds full-width digits and letters (８００００, ２０２６－Ｑ４) to ASCII.
    return unicodedata.normalize("NFKC", token)


def _show(token: str) -> str:
    return token if len(token) <= 30 else token[:29] + "…"


def _rest(args: Tokens, i: int, text: str) -> str:
    """The free text from argument `i` on, exactly as typed (newlines kept)."""
    return text[args[i].start() :].strip() if i < len(args) else ""


def _person(token: str) -> PersonRef | None:
    """The person a token names; None if it doesn't try to, `_Bad` if it tries and fails."""
    tok = token.rstrip(",.;:!?)")  # "@ana, great job"
    if m := _CHAT.fullmatch(tok):
        return PersonRef("chat", m[2], m[1])
    if m := _HANDLE.fullmatch(tok):
        return PersonRef("handle", m[1])
    address = tok.removeprefix("@")
    if len(address) <= 254 and _EMAIL.fullmatch(address):
        return PersonRef("email", address.lower())
    if "@" in tok or tok.startswith(("<@", "<!")):
        raise _Bad(S.ERR_WHO)
    return None


def _period(token: str) -> PeriodRef | None:
    try:
        return parse_period(token)
    except ValueError:
        raise _Bad(S.ERR_NOT_PERIOD.format(token=_show(token))) from None


def _metric(token: str) -> str | None:
    """A metric as typed (a key, a label, a translated label; quotes dropped): the use case
    resolves it against the configuration (handlers/metric_names.py). None if it names none."""
    word = " ".join(_nfkc(token).strip(_QUOTES).split())
    if not 0 < len(word) <= 64 or word.startswith(("@", "<")):
        return None
    # A figure where the metric belongs is a slip (`/kpi @ana 80000 sales`), not a name.
    return None if _NUMBER.fullmatch(word.lower()) or _RATING_SHAPED.fullmatch(word) else word


def _number(token: str, *, negative_ok: bool = False) -> Decimal:
    """80000, 80,000, 80k, 1.2m, 12万, 1.5亿, ８００００ as a Decimal."""
    word = _nfkc(token).lower()
    show = _show(token)
    if word.lstrip("+-") in ("nan", "snan", "inf", "infinity"):
        raise _Bad(S.ERR_NOT_FINITE.format(token=show))
    m = _NUMBER.fullmatch(word) if len(word) <= 40 else None
    if m is None:
        raise _Bad(S.ERR_NOT_NUMBER.format(token=show))
    value = Decimal(m[2].replace(",", "")) * _SCALE[m[3] or ""]
    if m[1] == "-" and value:  # no "-0"
        if not negative_ok:
            raise _Bad(S.ERR_NEGATIVE.format(token=show))
        value = -value
    if abs(value) >= 10**15:  # beyond any KPI, and keeps quantize() inside Decimal precision
        raise _Bad(S.ERR_TOO_LARGE.format(token=show))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@dataclass
class _Refs:
    """The person and the period found so far, in whatever order they were typed."""

    who: PersonRef | None = None
    period: PeriodRef | None = None

    def take(self, token: str) -> bool:
        """Absorb a person or period token; False if the token is neither."""
        if (who := _person(token)) is not None:
            if self.who is not None:
                raise _Bad(S.ERR_ONE_PERSON.format(token=_show(token)))
            self.who = who
        elif (period := _period(token)) is not None:
            if self.period is not None:
                raise _Bad(S.ERR_ONE_PERIOD.format(token=_show(token)))
            self.period = period
        else:
            return False
        return True


def _sub(token: str) -> str | None:
    """A sub-command word (`update`, `preview`), typed in English or Chinese."""
    word = _nfkc(token).strip()
    return SUBWORDS.get(word) or word.casefold()


@dataclass(frozen=True)
class Goals:
    who: PersonRef | None = None
    period: PeriodRef | None = None


@dataclass(frozen=True)
class GoalAck:
    goal_id: int | None


def _goals(args: Tokens, text: str) -> Command:
    sub = _sub(args[0][0]) if args else None
    if sub == "update":
        return _goal_update(args[1:], text)
    if sub == "company":
        return _company_goal(args[1:], text)
    if sub == "ack":  # words after the id are ignored: acknowledging needs nothing more
        return GoalAck(_goal_id(args[1][0]) if len(args) > 1 else None)
    refs = _Refs()
    for arg in args:
        if not refs.take(arg[0]):
            raise _Bad(S.ERR_UNEXPECTED.format(token=_show(arg[0])))
    return Goals(refs.who, refs.period)


@dataclass(frozen=True)
class CompanyGoal:
    """`/goals company <metric> <target> <title>`: an admin sets or changes a company goal."""

    metric: str
    target: Decimal
    title: str


def _company_goal(args: Tokens, text: str) -> CompanyGoal:
    metric = _metric(args[0][0]) if args else None
    if metric is None or len(args) < 2:
        raise _Bad(S.ERR_COMPANY_GOAL)
    target, title = _number(args[1][0]), _rest(args, 2, text)
    if not title:
        raise _Bad(S.ERR_COMPANY_GOAL)
    return CompanyGoal(metric, target, title)


def _goal_id(token: str) -> int:
    m = _GOAL_ID.fullmatch(_nfkc(token))
    if m is None or int(m[1]) == 0:
        raise _Bad(S.ERR_GOAL_ID.format(token=_show(token)))
    return int(m[1])


@dataclass(frozen=True)
class GoalUpdate:
    goal_id: int
    percent: Decimal
    link: str | None
    note: str


def _goal_update(args: Tokens, text: str) -> GoalUpdate:
    if not args:
        raise _Bad(S.ERR_GOAL_ID_MISSING)
    goal_id = _goal_id(args[0][0])
    if len(args) < 2:
        raise _Bad(S.ERR_PERCENT_MISSING)
    m = _PERCENT.fullmatch(_nfkc(args[1][0]))
    if m is None or Decimal(m[1]) > 100:
        raise _Bad(S.ERR_PERCENT.format(token=_show(args[1][0])))
    link = _link(args[2][0]) if len(args) > 2 else None
    return GoalUpdate(goal_id, Decimal(m[1]), link, _rest(args, 3 if link else 2, text))


def _link(token: str) -> str | None:
    return token if len(token) <= 2000 and _LINK.fullmatch(token) else None


@dataclass(frozen=True)
class Score:
    who: PersonRef | None = None
    period: PeriodRef | None = None
    what_if: tuple[tuple[str, Decimal], ...] = ()


def _score(args: Tokens, text: str) -> Score:
    refs, what_if, in_what_if, i = _Refs(), dict[str, Decimal](), False, 0
    while i < len(args):
        token, i = args[i][0], i + 1
        if refs.take(token):  # who and period may also follow the what-if pairs
            continue
        if SUBWORDS.get(_nfkc(token).strip(), _nfkc(token).lower()) in _WHAT_IF:
            in_what_if = True
            continue
        if not in_what_if:
            raise _Bad(S.ERR_SCORE_UNEXPECTED.format(token=_show(token)))
        metric = _metric(token)
        if metric is None:
            raise _Bad(S.ERR_NOT_METRIC.format(token=_show(token)))
        if metric.casefold() in {m.casefold() for m in what_if}:
            raise _Bad(S.ERR_WHAT_IF_TWICE.format(token=metric))
        if i == len(args):
            raise _Bad(S.ERR_WHAT_IF)
        what_if[metric], i = _number(args[i][0], negative_ok=True), i + 1
    if in_what_if and not what_if:
        raise _Bad(S.ERR_WHAT_IF)
    return Score(refs.who, refs.period, tuple(what_if.items()))


@dataclass(frozen=True)
class Explain:
    metric: str
    who: PersonRef | None = None
    period: PeriodRef | None = None


def _explain(args: Tokens, text: str) -> Explain:
    refs, metric = _Refs(), None
    for arg in args:
        if refs.take(arg[0]):
            continue
        if metric is not None:
            raise _Bad(S.ERR_ONE_METRIC.format(token=_show(arg[0])))
        metric = _metric(arg[0])
        if metric is None:
            raise _Bad(S.ERR_NOT_METRIC.format(token=_show(arg[0])))
    if metric is None:
        raise _Bad(S.ERR_EXPLAIN_METRIC)
    return Explain(metric, refs.who, refs.period)


@dataclass(frozen=True)
class Praise:
    who: PersonRef
    text: str
    tags: tuple[str, ...]


def _praise(args: Tokens, text: str) -> Praise:
    who = _person(args[0][0]) if args else None
    if who is None:
        raise _Bad(S.ERR_WHO)
    words = _rest(args, 1, text)
    if not words:
        raise _Bad(S.ERR_PRAISE_TEXT)
    tags = dict.fromkeys(tag.lower() for tag in _TAG.findall(words))
    return Praise(who, words, tuple(tags))


@dataclass(frozen=True)
class Appeal:
    """`metric` None (and reason "") asks for the list of my appeals; `period` None: the
    current one."""

    metric: str | None
    reason: str
    period: PeriodRef | None = None


def _appeal(args: Tokens, text: str) -> Appeal:
    if not args:
        return Appeal(None, "")
    metric = _metric(args[0][0])
    if metric is None:
        raise _Bad(S.ERR_NOT_METRIC.format(token=_show(args[0][0])))
    period = _appeal_period(args[1][0]) if len(args) > 1 else None
    reason = _rest(args, 2 if period else 1, text)
    if not reason:
        raise _Bad(S.ERR_APPEAL_REASON)
    return Appeal(metric, reason, period)


def _appeal_period(token: str) -> PeriodRef | None:
    """A month or quarter key right after the metric (2026-11, 2026-Q4); anything else
    starts the reason, which may well begin with a number ("2 deals are missing")."""
    word = _nfkc(token).casefold()
    if not _APPEAL_PERIOD.fullmatch(word):
        return None
    try:  # 2026-13 or 2026-Q5: refused, not read as the reason
        ref = parse_period(word)
    except ValueError:
        ref = None
    if ref is None or ref.kind not in ("month", "quarter"):
        raise _Bad(S.ERR_APPEAL_PERIOD.format(token=_show(token)))
    return ref


@dataclass(frozen=True)
class Kpi:
    who: PersonRef
    metric: str
    new_target: Decimal
    reason: str


def _kpi(args: Tokens, text: str) -> Kpi:
    # The person may come first (as documented) or anywhere among the first three words.
    found = [(i, who) for i, a in enumerate(args[:3]) if (who := _person(a[0])) is not None]
    if not found:
        raise _Bad(S.ERR_WHO)
    if len(found) > 1:
        raise _Bad(S.ERR_ONE_PERSON.format(token=_show(args[found[1][0]][0])))
    at, who = found[0]
    rest = [a for i, a in enumerate(args[:3]) if i != at]
    if not rest:
        raise _Bad(S.ERR_KPI_METRIC)
    metric = _metric(rest[0][0])
    if metric is None:
        raise _Bad(S.ERR_NOT_METRIC.format(token=_show(rest[0][0])))
    if len(rest) < 2:
        raise _Bad(S.ERR_KPI_TARGET)
    target = _number(rest[1][0])
    reason = _rest(args, 3, text)
    if not reason:
        raise _Bad(S.ERR_KPI_REASON)
    return Kpi(who, metric, target, reason)


@dataclass(frozen=True)
class Team:
    period: PeriodRef | None = None


def _team(args: Tokens, text: str) -> Team:
    refs = _Refs()
    for arg in args:
        if not refs.take(arg[0]):
            raise _Bad(S.ERR_NOT_PERIOD.format(token=_show(arg[0])))
    if refs.who is not None:
        raise _Bad(S.ERR_TEAM_WHO)
    return Team(refs.period)


@dataclass(frozen=True)
class PeriodPreview:
    """`/period [preview|close] [period]`: HR sees what closing would do (and a [Close])."""

    period: PeriodRef | None = None


def _period_cmd(args: Tokens, text: str) -> Command:
    sub = _sub(args[0][0]) if args else None
    if sub == "calibrate":
        return _calibrate(args[1:], text)
    rest = args[1:] if sub in ("preview", "close") else args
    refs = _Refs()
    for arg in rest:
        if _person(arg[0]) is not None or not refs.take(arg[0]):
            raise _Bad(S.ERR_PERIOD_SUB.format(token=_show(arg[0])))
    return PeriodPreview(refs.period)


@dataclass(frozen=True)
class Calibrate:
    """`/period calibrate @who [period] <score> <reason>`: HR sets someone's final result."""

    who: PersonRef
    period: PeriodRef | None
    total: Decimal
    reason: str


def _calibrate(args: Tokens, text: str) -> Calibrate:
    who, period, i = None, None, 0
    while i < min(len(args), 2):  # @who and an optional period, in either order
        token = args[i][0]
        if who is None and (person := _person(token)) is not None:
            who = person
        elif period is None and (found := _loose_period(token)) is not None:
            period = found
        else:
            break
        i += 1
    if who is None or i >= len(args):
        raise _Bad(S.ERR_CALIBRATE)
    total = _number(args[i][0])
    reason = _rest(args, i + 1, text)
    if not reason:
        raise _Bad(S.ERR_CALIBRATE)
    return Calibrate(who, period, total, reason)


def _loose_period(token: str) -> PeriodRef | None:
    """A period, or None for anything else (a score such as 88 is no bad period here)."""
    try:
        return parse_period(token)
    except ValueError:
        return None


@dataclass(frozen=True)
class Rate:
    """`/rate @who <score> [comment]`; with no person and no score, the rating card."""

    who: PersonRef | None = None
    score: int | None = None
    comment: str = ""
    period: PeriodRef | None = None


def _rate(args: Tokens, text: str) -> Rate:
    # The person and a period in any order, then the score; the rest is the comment.
    refs = _Refs()
    for i, arg in enumerate(args):
        word = _nfkc(arg[0])
        if _RATING.fullmatch(word):
            if refs.who is None:
                raise _Bad(S.ERR_WHO)
            return Rate(refs.who, int(word), _rest(args, i + 1, text), refs.period)
        if _RATING_SHAPED.fullmatch(word):
            raise _Bad(S.ERR_RATE_WHOLE.format(token=_show(arg[0])))
        if not refs.take(arg[0]):
            raise _Bad(S.ERR_RATE_SCORE.format(token=_show(arg[0])))
    if refs.who is not None:
        raise _Bad(S.ERR_RATE_MISSING)
    return Rate(period=refs.period)


@dataclass(frozen=True)
class SelfAssess:
    """`/self <text>`: the employee's self-assessment; empty text shows the current one."""

    text: str = ""


def _self(args: Tokens, text: str) -> SelfAssess:
    return SelfAssess(_rest(args, 0, text))


@dataclass(frozen=True)
class Help:
    topic: str | None = None


def _help(args: Tokens, text: str) -> Help:
    topic = _name(args[0][0]) if args else None
    if topic is None or topic == "perf":
        return Help()
    if topic not in COMMAND_NAMES:
        raise _Bad(_unknown(topic))
    return Help(topic)


@dataclass(frozen=True)
class Start:
    """A bot's `/start CODE` deep link; `code` None for a plain /start."""

    code: str | None = None


def _start(args: Tokens, text: str) -> Start:
    if not args:
        return Start()
    if not _START_CODE.fullmatch(args[0][0]):
        raise _Bad(S.ERR_START_CODE)
    return Start(args[0][0])


@dataclass(frozen=True)
class Cancel:
    pass


@dataclass(frozen=True)
class LinkCode:
    """HR or an admin asks for a code that links `who`'s chat account."""

    who: PersonRef


def _linkcode(args: Tokens, text: str) -> LinkCode:
    who = _person(args[0][0]) if len(args) == 1 else None
    if who is None:
        raise _Bad(S.ERR_LINKCODE_WHO)
    return LinkCode(who)


Command: TypeAlias = (
    Goals | GoalUpdate | GoalAck | CompanyGoal | Score | Explain | Praise | Appeal | Kpi
    | Team | Help | Start | Cancel | LinkCode | PeriodPreview | Calibrate | Rate | SelfAssess
)  # fmt: skip


_PARSERS: dict[str, Callable[[Tokens, str], Command]] = {
    "goals": _goals, "score": _score, "explain": _explain, "praise": _praise,
    "appeal": _appeal, "kpi": _kpi, "team": _team, "rate": _rate, "self": _self,
    "help": _help, "start": _start,
    "cancel": lambda args, text: Cancel(), "linkcode": _linkcode, "period": _period_cmd,
}  # fmt: skip


def read_number(token: str, *, negative_ok: bool = False) -> Decimal | None:
    """A figure typed into a form, in the command language's forms (80k, 1,180,000, 12万)."""
    try:
        return _number(token.strip(), negative_ok=negative_ok)
    except _Bad:
        return None
