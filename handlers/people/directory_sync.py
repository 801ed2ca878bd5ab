"""Load the organisation from an HR directory: the directory's people become org-file
entries, checked and applied exactly as `org load` does; `active: false` deactivates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers.people.org_load import OrgLoadReport, apply_org
from handlers.people.org_validate import ORIGIN, check_org
from store.models import Branch, Employee, Team
from store.uow import UnitOfWork

# e-mails -> the chat user ids found for them (a platform's lookup by e-mail)
ChatLookup = Callable[[Sequence[str]], Mapping[str, str]]
KEPT_ROLES = ("hr", "admin")  # set by hand when the directory maps no group to a role


@dataclass
class DirectorySyncReport:
    load: OrgLoadReport
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    chat_ids_found: dict[str, str] = field(default_factory=dict)  # e-mail -> chat user id
    looked_up: int = 0
    dry_run: bool = False


def sync_directory(
    people: Sequence[Mapping[str, Any]],
    *,
    uow: Callable[[], UnitOfWork],
    actor: str,
    platforms: Collection[str],
    branches: Sequence[Mapping[str, Any]] = (),
    roles_from_directory: bool = False,
    chat_platform: str | None = None,
    chat_lookup: ChatLookup | None = None,
    dry_run: bool = False,
) -> DirectorySyncReport:
    """`people`: org-file employee entries built from the directory (a value of None: the
    directory doesn't say, so what the database holds stays). `branches`: the configured
    branches; branches only in the database are kept. Raises OrgFileError, loading nothing."""
    with uow().reading() as u:
        known = u.people.employees_by_email()
        data = _org_data(people, branches, u, known, roles_from_directory)
        linked = u.people.emails_linked_on(chat_platform) if chat_platform else set()
    report = DirectorySyncReport(OrgLoadReport(), dry_run=dry_run)
    if chat_platform and chat_lookup is not None:
        wanted = [
            p["email"]
            for p in data["employees"]
            if p["active"] and p["email"] not in linked and chat_platform not in p["chat"]
        ]
        report.looked_up = len(wanted)
        report.chat_ids_found = dict(chat_lookup(wanted)) if wanted else {}
        for p in data["employees"]:
            if uid := report.chat_ids_found.get(p["email"]):
                p["chat"][chat_platform] = uid
    org = check_org(data, platforms)
    was_active = {e.email: e.active for e in known.values()}
    report.deactivated = [p.email for p in org.people if not p.active and was_active.get(p.email)]
    report.reactivated = [
        p.email for p in org.people if p.active and was_active.get(p.email) is False
    ]
    report.load = apply_org(org, uow=uow(), actor=actor, dry_run=dry_run)
    return report


def _org_data(
    people: Sequence[Mapping[str, Any]],
    branches: Sequence[Mapping[str, Any]],
    uow: UnitOfWork,
    known: dict[str, Employee],
    roles_from_directory: bool,
) -> dict[str, Any]:
    """The org-file shape: what the directory says, over what the database already holds."""
    by_id = {e.id: e for e in known.values()}
    stored_branches, stored_teams = uow.people.branches_by_name(), uow.people.teams_by_name()
    names: dict[tuple[str, int | None], str] = {
        ("branch", b.id): n for n, b in stored_branches.items()
    }
    names |= {("team", t.id): n for n, t in stored_teams.items()}
    entries = [
        _person(dict(p), known.get(str(p.get("email") or "").lower()), names) for p in people
    ]
    reports = Counter(
        str(p["manager"]).lower() for p in entries if p.get("manager") and p["active"]
    )
    for p in entries:
        old = known.get(str(p["email"] or "").lower())
        if p["role"] is None:
            keep = old is not None and old.role in KEPT_ROLES and not roles_from_directory
            p["role"] = old.role if keep and old else _derived(p, reports)
    all_branches = _branches(branches, stored_branches)
    branch_names = {str(b.get("name")) for b in all_branches}
    return {
        "branches": all_branches,
        "teams": _teams(entries, stored_teams, by_id, set(branch_names)),
        "employees": [
            {k: v for k, v in p.items() if v is not None} | {"chat": p["chat"]} for p in entries
        ],
    }


def _person(
    p: dict[str, Any], old: Employee | None, names: dict[tuple[str, int | None], str]
) -> dict[str, Any]:
    """An entry with what the directory leaves out (None) taken from the stored person."""
    p.setdefault("role", None)
    p["active"] = p.get("active") is not False
    p["chat"] = dict(p.get("chat") or {})
    if old is not None:
        for key in ("title", "scorecard", "external_id", "locale"):
            if p.get(key) is None:
                p[key] = getattr(old, key)
        if p.get("team") is None:
            p["team"] = names.get(("team", old.team_id))
        if p.get("branch") is None:
            p["branch"] = names.get(("branch", old.branch_id))
    if p.get("origin"):
        p[ORIGIN] = p.pop("origin")
    return p


def _derived(p: dict[str, Any], reports: Counter[str]) -> str:
    return "manager" if reports.get(str(p["email"]).lower()) else "employee"


def _branches(
    configured: Sequence[Mapping[str, Any]], stored: dict[str, Branch]
) -> list[dict[str, Any]]:
    given = [dict(b) for b in configured]
    for b in given:  # a language set before stays unless the configuration names one
        if b.get("locale") is None and (old := stored.get(str(b.get("name")))) is not None:
            b["locale"] = old.locale
    names = {b.get("name") for b in given}
    kept = [
        {
            "name": b.name,
            "timezone": b.timezone,
            "hq": b.is_hq,
            "recognition_channel": b.recognition_channel,
            "locale": b.locale,
        }
        for b in stored.values()
        if b.name not in names
    ]
    return given + kept


def _teams(
    people: list[dict[str, Any]],
    stored: dict[str, Team],
    by_id: dict[int, Employee],
    branch_names: set[str],
) -> list[dict[str, Any]]:
    """One team per team named in the directory. Its manager: whom most of its active
    members report to inside it, else the one set before, else whom most report to. Its
    branch: its manager's, else most members'. A parent and channel set before stay."""
    names = list(dict.fromkeys(str(p["team"]) for p in people if p.get("team")))
    branch_of = {str(p["email"]).lower(): p.get("branch") for p in people if p.get("email")}
    team_by_id = {t.id: t.name for t in stored.values()}
    teams = []
    for name in names:
        members = [p for p in people if p.get("team") == name and p["active"]] or [
            p for p in people if p.get("team") == name
        ]
        old = stored.get(name)
        inside = {str(p["email"]).lower() for p in members}
        # a manager the directory doesn't list is reported on the person, not again here
        bosses = [m for p in members if (m := str(p.get("manager") or "").lower()) in branch_of]
        boss = _most(b for b in bosses if b in inside)
        if boss is None:
            held = by_id.get(old.manager_id) if old and old.manager_id else None
            boss = held.email if held is not None and held.email in branch_of else _most(bosses)
        known = [p.get("branch") for p in members if p.get("branch") in branch_names]
        branch = branch_of.get(boss) if boss in inside else None
        teams.append(
            {
                "name": name,
                "branch": branch if branch in branch_names else _most(known) or branch,
                "manager": boss,
                "parent": team_by_id.get(old.parent_id) if old and old.parent_id else None,
                "recognition_channel": old.recognition_channel if old else None,
                ORIGIN: "directory",
            }
        )
    return teams


def _most(values: Any) -> Any:
    counted = Counter(v for v in values if v is not None)
    return min(counted, key=lambda v: (-counted[v], str(v))) if counted else None
