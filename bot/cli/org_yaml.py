"""Write a starting organisation file from a workspace's members (any platform's Roster),
in the format `perfbot org load` reads, with `# TODO fill in` where the platform is silent."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from bot.cli import texts as st
from bot.members import Member, Roster, Team
from handlers.format import plural

TODO = "TODO"  # what every placeholder and comment to fill in starts with


def render_org(roster: Roster, *, out: str, day: date, scorecards: Sequence[str]) -> str:
    """The org file's text: branches by time zone, teams and managers where the platform
    knows them, every person with name, e-mail, title and chat id."""
    header = [line.format(platform=roster.platform, day=day, out=out) for line in st.IMPORT_HEADER]
    lines = [*_comment(header), *_comment([f"- {n}" for n in roster.notes]), ""]
    branch_of = _branch_names(roster.members)
    lines += _branches(roster.members, branch_of)
    by_id = {m.user_id: m for m in roster.members}
    lines += _teams(roster, branch_of, by_id)
    # whoever someone reports to, or who leads a team, manages
    managers = {m.manager_id for m in roster.members if m.manager_id}
    managers |= {t.manager_id for t in roster.teams if t.manager_id}
    lines.append("employees:")
    for m in sorted(roster.members, key=lambda m: (m.email is None, m.email or m.name)):
        lines += _person(m, roster.platform, branch_of, by_id, m.user_id in managers, scorecards)
    return "\n".join(lines) + "\n"


def _branch_names(members: Sequence[Member]) -> dict[str, str]:
    """Time zone -> a branch name: its city ("Asia/Shanghai" -> "Shanghai"), else the zone."""
    zones = sorted({m.timezone for m in members if m.timezone})
    cities = Counter(_city(z) for z in zones)
    return {z: _city(z) if cities[_city(z)] == 1 else z for z in zones}


def _city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _branches(members: Sequence[Member], branch_of: dict[str, str]) -> list[str]:
    counts = Counter(m.timezone for m in members if m.timezone)
    if not counts:
        only = _flow({"name": st.IMPORT_HQ, "timezone": "UTC", "hq": True})
        return ["branches:", f"  - {only}  # {st.IMPORT_BRANCH_NO_TZ}"]
    hq = counts.most_common(1)[0][0]  # the most people: a guess, said so in the comment
    lines = ["branches:", f"  # {st.IMPORT_BRANCHES}"]
    for zone in sorted(counts, key=lambda z: (-counts[z], z)):
        entry: dict[str, Any] = {"name": branch_of[zone], "timezone": zone}
        if zone == hq:
            entry["hq"] = True
        todo = st.IMPORT_BRANCH.format(count=plural(counts[zone], st.PEOPLE), timezone=zone)
        lines.append(f"  - {_flow(entry)}  # {todo}")
    return lines


def _teams(roster: Roster, branch_of: dict[str, str], by_id: dict[str, Member]) -> list[str]:
    """The teams people are in and those the platform's directory lists (empty parents too),
    with the parent and manager the directory knows."""
    members = roster.members
    known = {t.name: t for t in roster.teams}
    teams = sorted({m.team for m in members if m.team} | set(known))
    if not teams:
        return [f"teams: []  # {st.IMPORT_TEAMS}"]
    lines = ["teams:"]
    for team in teams:
        # a team's branch: where most of its people are
        zones = Counter(m.timezone for m in members if m.team == team and m.timezone)
        branch = branch_of[zones.most_common(1)[0][0]] if zones else _hq(members, branch_of)
        listed = known.get(team)
        boss = by_id.get(listed.manager_id or "") if listed else None
        entry = {
            "name": team,
            "branch": branch,
            "parent": listed.parent if listed else None,
            "manager": boss.email if boss else None,
        }
        note = st.IMPORT_TEAM if listed is None else _team_todo(listed, boss)
        lines.append(f"  - {_flow(entry)}  # {note}" if note else f"  - {_flow(entry)}")
    return lines


def _team_todo(team: Team, boss: Member | None) -> str:
    """Nothing when the directory named the team's manager and their e-mail is known."""
    if boss is None:
        return st.IMPORT_TEAM_MANAGER_TODO
    return "" if boss.email else st.IMPORT_TEAM_MANAGER_NAMED.format(name=boss.name)


def _hq(members: Sequence[Member], branch_of: dict[str, str]) -> str:
    counts = Counter(m.timezone for m in members if m.timezone)
    return branch_of[counts.most_common(1)[0][0]] if counts else st.IMPORT_HQ


def _person(
    m: Member,
    platform: str,
    branch_of: dict[str, str],
    by_id: dict[str, Member],
    manages: bool,
    scorecards: Sequence[str],
) -> list[str]:
    who = f"@{m.handle}" if m.handle else m.name
    boss = by_id.get(m.manager_id or "")
    fields: list[tuple[str, Any, str]] = [
        # an unknown e-mail is a placeholder org load refuses, naming its line
        ("email", m.email or st.IMPORT_EMAIL.format(who=who), ""),
        ("name", m.name, ""),
        ("title", m.title, ""),
        ("branch", branch_of.get(m.timezone or ""), ""),
        ("team", m.team, "" if m.team else st.IMPORT_TEAM_TODO),
        ("manager", boss.email if boss else None, _manager_todo(boss)),
        ("role", "manager" if manages else "employee", st.IMPORT_ROLE),
        ("scorecard", None, st.IMPORT_SCORECARD_TODO.format(names=", ".join(scorecards))),
        ("chat", {platform: m.user_id}, "; ".join(_hints(m))),
    ]
    lines = []
    for i, (key, value, note) in enumerate(f for f in fields if f[1] is not None or f[2]):
        text = f"{'  - ' if i == 0 else '    '}{key}: {_flow(value)}"
        lines.append(f"{text}  # {note}" if note else text)
    return lines


def _manager_todo(boss: Member | None) -> str:
    """Nothing when the manager's e-mail is known; else what to fill in (their name, if known)."""
    if boss is None:
        return st.IMPORT_MANAGER_TODO
    return "" if boss.email else st.IMPORT_MANAGER_NAMED.format(name=boss.name)


def _hints(m: Member) -> list[str]:
    return ([f"@{m.handle}"] if m.handle else []) + list(m.found_in)


def _flow(value: Any) -> str:
    """One YAML value on one line, quoted only where YAML needs it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6
    )
    return text.strip().removesuffix("...").strip()


def _comment(lines: Sequence[str]) -> list[str]:
    return [f"# {line}".rstrip() for line in lines]


@dataclass(frozen=True)
class Todo:
    """A place of an org file still to fill in: its line, and what is missing there."""

    line: int
    what: str


_FILL = re.compile(rf"{TODO} fill in:?\s*")
_EMPTY = frozenset({"", "null", "~", "[]", "{}", "''", '""'})


def todos(text: str) -> list[Todo]:
    """Every TODO of a file `org import` wrote that is still to fill in, in line order: a
    placeholder value (`'TODO fill in: the e-mail of @ana'`); a `key: null  # TODO fill in…`
    whose value is still empty (once filled in, its comment may stay); a branch or team entry
    whose `# TODO fill in` comment is still there (delete it once the entry is right).
    Comment lines (the header) don't count."""
    found = []
    for n, raw in enumerate(text.splitlines(), 1):
        if TODO not in raw or raw.lstrip().startswith("#"):
            continue
        value, note = _split_comment(raw)
        key, colon, rest = value.strip().removeprefix("- ").partition(":")
        if TODO in value:  # a placeholder
            placeholder = _FILL.split(value, maxsplit=1)[-1].strip().strip("'\"")
            found.append(Todo(n, f"{key.strip()}: {placeholder}" if colon else placeholder))
        elif note.startswith(TODO):
            missing = _FILL.sub("", note, count=1).strip()
            if value.lstrip().startswith("- "):  # an entry: done when its comment goes
                found.append(Todo(n, missing))
            elif colon and rest.strip() in _EMPTY:
                found.append(Todo(n, f"{key.strip()}: {missing}"))
    return found


def _split_comment(line: str) -> tuple[str, str]:
    """(the YAML, its comment without `#`): the first ` #` outside quotes starts it."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line.rstrip(), ""
