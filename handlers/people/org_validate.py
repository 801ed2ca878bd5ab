"""Validate an organisation file completely before anything is loaded."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any
from zoneinfo import available_timezones

from handlers import strings_en as en
from handlers.i18n import available, normalize
from handlers.identity import e164
from handlers.yaml_lines import LINE, line_of, load_with_lines
from said import Said, joined

ROLES = ("employee", "manager", "hr", "admin")
# An entry built from another source than a file (a directory's user) names itself here,
# so a problem says "SCIM user 2819c223" where a file's says "line 12".
ORIGIN = "__origin__"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class OrgBranch:
    name: str
    timezone: str
    hq: bool
    recognition_channel: str | None
    # `locale:` in the file (`zh_CN`): the language of its people who set none; None: English.
    locale: str | None = None


@dataclass(frozen=True)
class OrgTeam:
    name: str
    branch: str
    parent: str | None
    manager: str | None
    recognition_channel: str | None


@dataclass(frozen=True)
class OrgPerson:
    email: str
    name: str
    title: str
    team: str | None
    branch: str
    manager: str | None
    role: str
    scorecard: str | None
    chat: dict[str, str]  # platform -> the person's user id there (`chat:` in the file)
    external_id: str | None
    # `active:` in the file; None when not given (a new person is active, a known one
    # keeps their state, so a reload never brings back someone deactivated by command).
    active: bool | None = None
    # `display_name:` in the file, how cards name the person; None: the full name.
    display_name: str | None = None
    # `locale:` in the file (`zh_CN`, `en`); None: their chat platform's, else the branch's.
    locale: str | None = None
    # `mobile:` in the file, as E.164 (`+8613800138000`); links a chat account by phone.
    mobile: str | None = None


@dataclass
class OrgFile:
    branches: list[OrgBranch] = field(default_factory=list)
    teams: list[OrgTeam] = field(default_factory=list)
    people: list[OrgPerson] = field(default_factory=list)


class OrgFileError(ValueError):
    """Every problem found in an organisation file, each with its line or path (a Said: the
    edge shows it in the reader's language)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(joined("\n", problems))
        self.problems = problems


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value).strip() or None


def parse_org(
    text: str, platforms: Collection[str], scorecards: Collection[str] | None = None
) -> OrgFile:
    """Parse and check an org file; raise OrgFileError listing every problem. `platforms`:
    the chat platforms this deployment knows, the keys an employee's `chat:` map may use;
    `scorecards`: the keys a `scorecard:` may name (None: not checked)."""
    try:
        data = load_with_lines(text)
    except Exception as exc:  # yaml errors carry their own position
        raise OrgFileError([Said(en.ORG_NOT_YAML, error=exc)]) from None
    return check_org(data, platforms, scorecards)


def check_org(
    data: Any, platforms: Collection[str], scorecards: Collection[str] | None = None
) -> OrgFile:
    """Check organisation data already parsed (a file's YAML, or what a directory sync
    built in the same shape); raise OrgFileError listing every problem, each with its line."""
    if not isinstance(data, dict):
        raise OrgFileError([Said(en.ORG_NOT_MAPPING)])
    problems: list[str] = []
    org = OrgFile()
    lines: dict[str, str] = {}  # "team X" / e-mail -> where its entry is, for later problems
    tz_names = available_timezones()
    for key in ("branches", "teams", "employees"):
        if not isinstance(data.get(key, []), list):
            problems.append(Said(en.ORG_NOT_LIST, key=key))
    known_keys = {"branches", "teams", "employees", LINE}
    problems += [Said(en.ORG_UNKNOWN_SECTION, key=k) for k in data if k not in known_keys]
    for b, where, name in _named(data, "branches", "branch", problems):
        tz, here = _text(b, "timezone"), Said(en.ORG_BRANCH_AT, where=where, name=name)
        if tz not in tz_names:
            problems.append(Said(en.ORG_UNKNOWN_TZ, where=here, tz=tz))
        org.branches.append(
            OrgBranch(
                name,
                tz or "UTC",
                bool(b.get("hq", False)),
                _text(b, "recognition_channel"),
                _locale(b, here, problems),
            )
        )
    branch_names = [b.name for b in org.branches]
    # no branch and no team: headquarters (or the only branch), never a branch named ""
    only = branch_names[0] if len(branch_names) == 1 else ""
    fallback = next((b.name for b in org.branches if b.hq), only)
    problems += [Said(en.ORG_DUPLICATE_BRANCH, name=n) for n in _dupes(branch_names)]
    for raw_team, where, name in _named(data, "teams", "team", problems):
        branch = _text(raw_team, "branch")
        if branch not in branch_names:
            problems.append(Said(en.ORG_TEAM_UNKNOWN_BRANCH, where=where, name=name, branch=branch))
        lines.setdefault(f"team {name}", where)
        org.teams.append(
            OrgTeam(
                name,
                branch or "",
                _text(raw_team, "parent"),
                _lower(_text(raw_team, "manager")),
                _text(raw_team, "recognition_channel"),
            )
        )
    team_branch = {t.name: t.branch for t in org.teams}
    problems += [Said(en.ORG_DUPLICATE_TEAM, name=n) for n in _dupes(list(team_branch))]
    for t in org.teams:
        if t.parent and t.parent not in team_branch:
            where = lines[f"team {t.name}"]
            hint = near(t.parent, team_branch)
            problems.append(
                Said(en.ORG_UNKNOWN_PARENT, where=where, name=t.name, parent=t.parent, near=hint)
            )
    problems += _cycles({t.name: t.parent for t in org.teams}, en.ORG_TEAM_CYCLE)
    for i, raw in enumerate(_items(data, "employees")):
        where = _where(raw, f"employees[{i}]")
        email = _lower(_text(raw, "email"))
        if not email or not EMAIL.match(email):
            problems.append(Said(en.ORG_BAD_EMAIL, where=where, email=raw.get("email")))
            continue
        team, role = _text(raw, "team"), _text(raw, "role") or "employee"
        lines.setdefault(email, where)
        who = Said(en.ORG_PERSON_AT, where=where, email=email)
        if team and team not in team_branch:
            problems.append(
                Said(en.ORG_UNKNOWN_TEAM, where=who, team=team, near=near(team, team_branch))
            )
        card = _text(raw, "scorecard")
        if card and scorecards is not None and card not in scorecards:
            listed = Said(en.ORG_KNOWN, known=", ".join(sorted(scorecards)))
            hint = near(card, scorecards) or listed
            problems.append(Said(en.ORG_UNKNOWN_SCORECARD, where=who, card=card, near=hint))
        if role not in ROLES:
            problems.append(Said(en.ORG_BAD_ROLE, where=who, roles=", ".join(ROLES)))
        branch = _text(raw, "branch") or team_branch.get(team or "", "") or fallback
        if not branch and not team:
            problems.append(Said(en.ORG_NO_BRANCH, where=who))
        elif branch not in branch_names and (team in team_branch or _text(raw, "branch")):
            problems.append(Said(en.ORG_UNKNOWN_BRANCH, where=who, branch=branch))
        org.people.append(
            OrgPerson(
                email=email,
                name=_text(raw, "name") or email.split("@")[0],
                title=_text(raw, "title") or "",
                team=team,
                branch=branch,
                manager=_lower(_text(raw, "manager")),
                role=role,
                scorecard=card,
                chat=_chat(raw, where, email, platforms, problems),
                external_id=_text(raw, "external_id"),
                active=_active(raw, who, problems),
                display_name=_text(raw, "display_name"),
                locale=_locale(raw, who, problems),
                mobile=_mobile(raw, who, problems),
            )
        )
    emails = [p.email for p in org.people]
    problems += [Said(en.ORG_DUPLICATE_EMAIL, email=e) for e in _dupes(emails)]
    known = set(emails)
    for p in org.people:
        if p.manager and p.manager not in known:
            hint, where = near(p.manager, known), lines[p.email]
            problems.append(
                Said(
                    en.ORG_UNKNOWN_MANAGER, where=where, email=p.email, manager=p.manager, near=hint
                )
            )
        if p.manager == p.email:
            problems.append(Said(en.ORG_OWN_MANAGER, where=lines[p.email], email=p.email))
    for t in org.teams:
        if t.manager and t.manager not in known:
            hint, where = near(t.manager, known), lines[f"team {t.name}"]
            problems.append(
                Said(
                    en.ORG_TEAM_UNKNOWN_MANAGER,
                    where=where,
                    name=t.name,
                    manager=t.manager,
                    near=hint,
                )
            )
    problems += _inactive_managers(org)
    problems += _cycles(
        {p.email: p.manager for p in org.people if p.manager != p.email}, en.ORG_MANAGER_CYCLE
    )
    ids = {f"chat.{k}": [p.chat[k] for p in org.people if k in p.chat] for k in platforms}
    ids["external_id"] = [p.external_id for p in org.people if p.external_id]
    ids["mobile"] = [p.mobile for p in org.people if p.mobile]
    for what, values in ids.items():
        problems += [Said(en.ORG_SHARED_ID, what=what, value=v) for v in _dupes(values)]
    if problems:
        raise OrgFileError(problems)
    return org


def _named(
    data: dict[str, Any], section: str, kind: str, problems: list[str]
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Each item of `section` that has a name, with where it stands and its name; one
    without a name is added to `problems` and skipped."""
    for i, item in enumerate(_items(data, section)):
        where = _where(item, f"{section}[{i}]")
        name = _text(item, "name")
        if not name:
            problems.append(Said(en.ORG_NO_NAME[kind], where=where))
            continue
        yield item, where, name


def _locale(raw: dict[str, Any], where: Said, problems: list[str]) -> str | None:
    """`locale:` as perfbot speaks it (`zh-CN` -> `zh_CN`); a language it doesn't speak is
    a problem naming the ones it does."""
    given = _text(raw, "locale")
    if given is None:
        return None
    found = normalize(given)
    if found is None:
        speaks = ", ".join(available())
        problems.append(Said(en.ORG_UNKNOWN_LOCALE, where=where, given=given, speaks=speaks))
    return found


def _mobile(raw: dict[str, Any], where: Said, problems: list[str]) -> str | None:
    """`mobile:` as E.164 (`+86 138-0013-8000` -> `+8613800138000`); anything else is a
    problem saying what is expected."""
    value = raw.get("mobile")
    if value is None or value == "":
        return None
    found = e164(str(value)) if isinstance(value, str) else None
    if found is None:
        # YAML reads an unquoted +8613800138000 as the number 8613800138000: its "+" is gone.
        hint = Said(en.ORG_MOBILE_QUOTE) if isinstance(value, int) else ""
        problems.append(Said(en.ORG_BAD_MOBILE, where=where, value=value, hint=hint))
    return found


def _active(raw: dict[str, Any], where: Said, problems: list[str]) -> bool | None:
    value = raw.get("active")
    if value is None or isinstance(value, bool):
        return value
    problems.append(Said(en.ORG_BAD_ACTIVE, where=where, value=value))
    return None


def _inactive_managers(org: OrgFile) -> list[str]:
    """Someone marked `active: false` can't manage anyone the file keeps."""
    gone = {p.email for p in org.people if p.active is False}
    problems: list[str] = [
        Said(en.ORG_INACTIVE_MANAGER, email=p.email, manager=p.manager)
        for p in org.people
        if p.active is not False and p.manager in gone
    ]
    return problems + [
        Said(en.ORG_TEAM_INACTIVE_MANAGER, name=t.name, manager=t.manager)
        for t in org.teams
        if t.manager in gone
    ]


def _chat(
    raw: dict[str, Any], where: str, email: str, platforms: Collection[str], problems: list[str]
) -> dict[str, str]:
    """`chat: {<platform>: <id>, ...}`, and the older `<platform>_id:` fields, as one map."""
    given = raw.get("chat") or {}
    if not isinstance(given, dict):
        problems.append(
            Said(en.ORG_CHAT_NOT_MAP, where=Said(en.ORG_PERSON_AT, where=where, email=email))
        )
        given = {}
    # the map's own line, if it has one
    here = Said(en.ORG_PERSON_AT, where=line_of(given) or where, email=email)
    known = ", ".join(platforms) or Said(en.ORG_NONE)
    chat: dict[str, str] = {}
    for platform, value in given.items():
        if platform == LINE:
            continue
        if platform not in platforms:
            problems.append(
                Said(en.ORG_UNKNOWN_PLATFORM, where=here, platform=platform, known=known)
            )
        elif isinstance(value, dict | list):
            problems.append(Said(en.ORG_CHAT_NOT_ONE, where=here, platform=platform))
        elif uid := None if value is None else str(value).strip():
            chat[platform] = uid
    for platform in platforms:
        old = _text(raw, f"{platform}_id")
        if old and chat.setdefault(platform, old) != old:
            problems.append(
                Said(en.ORG_CHAT_DIFFER, where=here, platform=platform, old=old, new=chat[platform])
            )
    return chat


def near(value: str, known: Collection[str]) -> str:
    """' (did you mean 'x'?)' for a near miss such as sales_repp, else ''."""
    close = get_close_matches(value, list(known), n=1)
    return Said(en.ORG_NEAR, value=close[0]) if close else ""


def _where(item: dict[str, Any], fallback: str) -> str:
    origin = item.get(ORIGIN) or ""
    return line_of(item) or (origin if isinstance(origin, str) else str(origin)) or fallback


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key) or []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _dupes(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]


def _cycles(parent: dict[str, str | None], msgid: str) -> list[str]:
    """One problem per cycle found by following parent links, worded by `msgid`."""
    found: list[str] = []
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            found.append(Said(msgid, path=" -> ".join([*cycle, node])))
        done.update(path)
    return found
