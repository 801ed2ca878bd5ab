"""Validate an organisation file completely before anything is loaded."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

from handlers.i18n import available, normalize
from handlers.yaml_lines import LINE, line_of, load_with_lines

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


@dataclass
class OrgFile:
    branches: list[OrgBranch] = field(default_factory=list)
    teams: list[OrgTeam] = field(default_factory=list)
    people: list[OrgPerson] = field(default_factory=list)


class OrgFileError(ValueError):
    """Every problem found in an organisation file, each with its line or path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value).strip() or None


def parse_org(text: str, platforms: Collection[str]) -> OrgFile:
    """Parse and check an org file; raise OrgFileError listing every problem. `platforms`:
    the chat platforms this deployment knows, the keys an employee's `chat:` map may use."""
    try:
        data = load_with_lines(text)
    except Exception as exc:  # yaml errors carry their own position
        raise OrgFileError([f"not valid YAML: {exc}"]) from None
    return check_org(data, platforms)


def check_org(data: Any, platforms: Collection[str]) -> OrgFile:
    """Check organisation data already parsed (a file's YAML, or what a directory sync
    built in the same shape); raise OrgFileError listing every problem."""
    if not isinstance(data, dict):
        raise OrgFileError(["the file must be a mapping with branches, teams and employees"])
    problems: list[str] = []
    org = OrgFile()
    tz_names = available_timezones()
    for key in ("branches", "teams", "employees"):
        if not isinstance(data.get(key, []), list):
            problems.append(f"{key}: must be a list")
    known_keys = {"branches", "teams", "employees", LINE}
    problems += [f"{k}: unknown section" for k in data if k not in known_keys]
    for i, b in enumerate(_items(data, "branches")):
        where = _where(b, f"branches[{i}]")
        name, tz = _text(b, "name"), _text(b, "timezone")
        if not name:
            problems.append(f"{where}: branch without a name")
            continue
        if tz not in tz_names:
            problems.append(f"{where}: branch {name}: unknown time zone {tz!r}")
        org.branches.append(
            OrgBranch(
                name,
                tz or "UTC",
                bool(b.get("hq", False)),
                _text(b, "recognition_channel"),
                _locale(b, f"{where}: branch {name}", problems),
            )
        )
    branch_names = [b.name for b in org.branches]
    # no branch and no team: headquarters (or the only branch), never a branch named ""
    only = branch_names[0] if len(branch_names) == 1 else ""
    fallback = next((b.name for b in org.branches if b.hq), only)
    problems += [f"branches: duplicate branch {n!r}" for n in _dupes(branch_names)]
    for i, raw_team in enumerate(_items(data, "teams")):
        where = _where(raw_team, f"teams[{i}]")
        name, branch = _text(raw_team, "name"), _text(raw_team, "branch")
        if not name:
            problems.append(f"{where}: team without a name")
            continue
        if branch not in branch_names:
            problems.append(f"{where}: team {name}: unknown branch {branch!r}")
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
    problems += [f"teams: duplicate team {n!r}" for n in _dupes(list(team_branch))]
    for t in org.teams:
        if t.parent and t.parent not in team_branch:
            problems.append(f"team {t.name}: unknown parent team {t.parent!r}")
    problems += _cycles({t.name: t.parent for t in org.teams}, "team hierarchy")
    for i, raw in enumerate(_items(data, "employees")):
        where = _where(raw, f"employees[{i}]")
        email = _lower(_text(raw, "email"))
        if not email or not EMAIL.match(email):
            problems.append(f"{where}: missing or invalid e-mail {raw.get('email')!r}")
            continue
        team, role = _text(raw, "team"), _text(raw, "role") or "employee"
        if team and team not in team_branch:
            problems.append(f"{where}: {email}: unknown team {team!r}")
        if role not in ROLES:
            problems.append(f"{where}: {email}: role must be one of {', '.join(ROLES)}")
        branch = _text(raw, "branch") or team_branch.get(team or "", "") or fallback
        if not branch and not team:
            problems.append(
                f"{where}: {email}: no branch (give a branch or a team, or mark one branch hq)"
            )
        elif branch not in branch_names and (team in team_branch or _text(raw, "branch")):
            problems.append(f"{where}: {email}: unknown branch {branch!r}")
        org.people.append(
            OrgPerson(
                email=email,
                name=_text(raw, "name") or email.split("@")[0],
                title=_text(raw, "title") or "",
                team=team,
                branch=branch,
                manager=_lower(_text(raw, "manager")),
                role=role,
                scorecard=_text(raw, "scorecard"),
                chat=_chat(raw, where, email, platforms, problems),
                external_id=_text(raw, "external_id"),
                active=_active(raw, where, email, problems),
                display_name=_text(raw, "display_name"),
                locale=_locale(raw, f"{where}: {email}", problems),
            )
        )
    emails = [p.email for p in org.people]
    problems += [f"employees: duplicate e-mail {e!r}" for e in _dupes(emails)]
    known = set(emails)
    for p in org.people:
        if p.manager and p.manager not in known:
            problems.append(f"employee {p.email}: unknown manager {p.manager!r}")
        if p.manager == p.email:
            problems.append(f"employee {p.email}: is their own manager")
    for t in org.teams:
        if t.manager and t.manager not in known:
            problems.append(f"team {t.name}: unknown manager {t.manager!r}")
    problems += _inactive_managers(org)
    problems += _cycles(
        {p.email: p.manager for p in org.people if p.manager != p.email}, "management chain"
    )
    ids = {f"chat.{k}": [p.chat[k] for p in org.people if k in p.chat] for k in platforms}
    ids["external_id"] = [p.external_id for p in org.people if p.external_id]
    for what, values in ids.items():
        problems += [
            f"employees: {what} {v!r} given to more than one person" for v in _dupes(values)
        ]
    if problems:
        raise OrgFileError(problems)
    return org


def _locale(raw: dict[str, Any], where: str, problems: list[str]) -> str | None:
    """`locale:` as perfbot speaks it (`zh-CN` -> `zh_CN`); a language it doesn't speak is
    a problem naming the ones it does."""
    given = _text(raw, "locale")
    if given is None:
        return None
    found = normalize(given)
    if found is None:
        speaks = ", ".join(available())
        problems.append(f"{where}: unknown locale {given!r} (perfbot speaks {speaks})")
    return found


def _active(raw: dict[str, Any], where: str, email: str, problems: list[str]) -> bool | None:
    value = raw.get("active")
    if value is None or isinstance(value, bool):
        return value
    problems.append(f"{where}: {email}: active must be true or false, not {value!r}")
    return None


def _inactive_managers(org: OrgFile) -> list[str]:
    """Someone marked `active: false` can't manage anyone the file keeps."""
    gone = {p.email for p in org.people if p.active is False}
    problems = [
        f"employee {p.email}: manager {p.manager} is marked active: false; name a new manager"
        for p in org.people
        if p.active is not False and p.manager in gone
    ]
    return problems + [
        f"team {t.name}: manager {t.manager} is marked active: false; name a new manager"
        for t in org.teams
        if t.manager in gone
    ]


def _chat(
    raw: dict[str, Any], where: str, email: str, platforms: Collection[str], problems: list[str]
) -> dict[str, str]:
    """`chat: {<platform>: <id>, ...}`, and the older `<platform>_id:` fields, as one map."""
    given = raw.get("chat") or {}
    if not isinstance(given, dict):
        problems.append(f"{where}: {email}: chat must map a platform to an id")
        given = {}
    here = f"{line_of(given) or where}: {email}"  # the map's own line, if it has one
    known = ", ".join(platforms) or "none"
    chat: dict[str, str] = {}
    for platform, value in given.items():
        if platform == LINE:
            continue
        if platform not in platforms:
            problems.append(f"{here}: unknown chat platform {platform!r} (known: {known})")
        elif isinstance(value, dict | list):
            problems.append(f"{here}: chat {platform}: the id must be a single value")
        elif uid := None if value is None else str(value).strip():
            chat[platform] = uid
    for platform in platforms:
        old = _text(raw, f"{platform}_id")
        if old and chat.setdefault(platform, old) != old:
            problems.append(f"{here}: {platform}_id {old!r} and chat {chat[platform]!r} differ")
    return chat


def _where(item: dict[str, Any], fallback: str) -> str:
    return line_of(item) or str(item.get(ORIGIN) or "") or fallback


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key) or []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _dupes(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]


def _cycles(parent: dict[str, str | None], what: str) -> list[str]:
    """One problem per cycle found by following parent links."""
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
            found.append(f"cycle in the {what}: {' -> '.join([*cycle, node])}")
        done.update(path)
    return found
