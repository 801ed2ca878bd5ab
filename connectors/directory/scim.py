"""SCIM 2.0 (RFC 7643/7644): read /Users and /Groups page by page (startIndex, count,
ListResponse) and turn each user into an org-file employee entry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors import strings as cs
from connectors.directory.config import DirectoryConfig
from connectors.http import ClosedOnExit, HttpClient, JsonResponse, SourceError
from connectors.http_config import configured_client
from connectors.mapping import get_path
from connectors.paging import PageRequest, State, iter_pages
from said import Said

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
RANK = {"employee": 0, "manager": 1, "hr": 2, "admin": 3}  # a member of two groups: the higher


@dataclass(frozen=True)
class ScimPaging:
    """startIndex is 1-based; advance by what came back (a server may cap `count`)."""

    size: int

    def request(self, state: State | None) -> PageRequest:
        return PageRequest(params={"startIndex": state or 1, "count": self.size})

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        after = int(state or 1) + count
        total = response.data.get("totalResults") if isinstance(response.data, dict) else None
        if count == 0 or (isinstance(total, int) and after > total):
            return None
        return after


@dataclass
class DirectoryRead:
    people: list[dict[str, Any]] = field(default_factory=list)  # org-file employee entries
    skipped: list[str] = field(default_factory=list)  # users perfbot can't key (no e-mail)
    users: int = 0
    groups: int = 0


class ScimDirectory(ClosedOnExit):
    """One SCIM service provider, read whole on every sync (directories are small)."""

    def __init__(self, config: DirectoryConfig, client: HttpClient) -> None:
        self.config, self.client = config, client

    @classmethod
    def from_config(
        cls, config: DirectoryConfig, environ: Mapping[str, str] | None = None, **options: Any
    ) -> ScimDirectory:
        """Auth and HTTP client as a source's; options (sleep, transport, ...) go to HttpClient."""
        accept = {"Accept": "application/scim+json, application/json"}
        client = configured_client(config, environ, where="directory", headers=accept, **options)
        return cls(config, client)

    def close(self) -> None:
        self.client.close()

    def resources(self, path: str) -> Iterator[dict[str, Any]]:
        """Every resource of an endpoint, following startIndex/count to the end."""

        def fetch(request: PageRequest) -> tuple[list[Any], JsonResponse]:
            answer = self.client.request_json("GET", path, params=request.params)
            data = answer.data
            if not isinstance(data, dict) or not isinstance(data.get("Resources", []), list):
                raise SourceError(self.client.source, Said(cs.NOT_SCIM, path=path))
            return data.get("Resources", []), answer

        paging = ScimPaging(self.config.page_size)
        for items, _ in iter_pages(self.client.source, paging, fetch):
            yield from (i for i in items if isinstance(i, dict))

    def read(self) -> DirectoryRead:
        """Every user as an employee entry: manager by e-mail, role from the groups mapped."""
        users = list(self.resources(self.config.users_path))
        out = DirectoryRead(users=len(users))
        roles: dict[str, str] = {}
        if self.config.roles:
            for group in self.resources(self.config.groups_path):
                out.groups += 1
                role: str | None = self.config.roles.get(str(group.get("displayName")))
                for member in (group.get("members") or []) if role else []:
                    uid = str(member.get("value")) if isinstance(member, dict) else ""
                    if role and RANK[role] > RANK.get(roles.get(uid, ""), -1):
                        roles[uid] = role
        emails = {str(u.get("id")): primary_email(u) for u in users}
        for user in users:
            uid = str(user.get("id"))
            if emails[uid] is None:
                out.skipped.append(Said(cs.SCIM_NO_EMAIL, uid=uid, name=user.get("userName")))
                continue
            out.people.append(self._person(user, uid, emails, roles.get(uid)))
        return out

    def _person(
        self, user: dict[str, Any], uid: str, emails: dict[str, str | None], role: str | None
    ) -> dict[str, Any]:
        cfg = self.config
        boss = self.attribute(user, "manager")
        boss_id = str(boss.get("value") or "") if isinstance(boss, dict) else str(boss or "")
        branch = self.attribute(user, cfg.branch_attribute) or cfg.default_branch
        return {
            "email": emails[uid],
            "name": display_name(user),
            "title": _text(user.get("title")),
            "team": _text(self.attribute(user, cfg.team_attribute)),
            "branch": _text(branch),
            # an id the directory doesn't list stays as it is, so the check names it
            "manager": (emails.get(boss_id) or boss_id) if boss_id else None,
            "role": role,
            "scorecard": _text(self.attribute(user, cfg.scorecard_attribute)),
            "external_id": _text(self.attribute(user, cfg.external_id_attribute)),
            "active": user.get("active") is not False,
            "origin": Said(cs.SCIM_USER, uid=uid),
        }

    @staticmethod
    def attribute(user: dict[str, Any], name: str | None) -> Any:
        """An enterprise-extension attribute by name, else a dotted path in the user."""
        if not name:
            return None
        extension = user.get(ENTERPRISE)
        if isinstance(extension, dict) and name in extension:
            return extension[name]
        return get_path(user, name, None)


def primary_email(user: Mapping[str, Any]) -> str | None:
    """emails[primary], else the work one, else the first; else a userName that is one."""
    emails = [e for e in user.get("emails") or [] if isinstance(e, dict) and e.get("value")]
    chosen = (
        next((e for e in emails if e.get("primary") is True), None)
        or next((e for e in emails if e.get("type") == "work"), None)
        or (emails[0] if emails else None)
    )
    if chosen is not None:
        return str(chosen["value"]).strip().lower()
    name = str(user.get("userName") or "")
    return name.lower() if "@" in name else None


def display_name(user: Mapping[str, Any]) -> str | None:
    """displayName, else name.formatted, else given and family names."""
    raw = user.get("name")
    name: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    joined = " ".join(str(p) for p in (name.get("givenName"), name.get("familyName")) if p)
    return _text(user.get("displayName")) or _text(name.get("formatted")) or _text(joined)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None
