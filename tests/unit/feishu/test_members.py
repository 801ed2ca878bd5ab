"""How Feishu's contact records become members: who is left out, what a team is named when
departments share a name, which time zones are kept, and the one line an error becomes."""

from __future__ import annotations

from lark_oapi.api.contact.v3 import Department, User

from bot.feishu.api import FeishuError
from bot.feishu.members import _active, _explain, _Found, _roster, _team_names, _zone


def test_resigned_suspended_exited_unjoined_or_unactivated_users_are_left_out() -> None:
    assert _active(User({"open_id": "ou_1"}))  # no status shared: kept
    assert _active(User({"open_id": "ou_1", "status": {"is_activated": True}}))
    for gone in ("is_resigned", "is_frozen", "is_exited", "is_unjoin"):
        assert not _active(User({"open_id": "ou_1", "status": {gone: True}}))
    assert not _active(User({"open_id": "ou_1", "status": {"is_activated": False}}))


def test_departments_sharing_a_name_are_told_apart_by_their_parent_then_id() -> None:
    def dept(i: str, name: str, parent: str = "0") -> Department:
        return Department({"open_department_id": i, "name": name, "parent_department_id": parent})

    names = _team_names(
        [
            dept("od-e", "East"),
            dept("od-w", "West"),
            dept("od-es", "Sales", "od-e"),
            dept("od-ws", "Sales", "od-w"),
            dept("od-x1", "Ops", "od-e"),
            dept("od-x2", "Ops", "od-e"),
            dept("od-n", ""),  # no contact:department.base:readonly: no name
        ]
    )
    assert names["od-e"] == "East" and names["od-n"] == "od-n"
    assert (names["od-es"], names["od-ws"]) == ("Sales (East)", "Sales (West)")
    assert (names["od-x1"], names["od-x2"]) == ("Ops (East) [od-x1]", "Ops (East) [od-x2]")


def test_only_iana_time_zones_are_kept() -> None:
    assert _zone("Asia/Shanghai") == "Asia/Shanghai"
    assert [_zone(z) for z in (None, "", "GMT+08:00", "Mars/Olympus")] == [None] * 4


def test_errors_name_the_fix() -> None:
    base = "https://open.feishu.cn"
    gone = _explain(FeishuError(0, 0, "ConnectError: refused"), base)
    assert gone.startswith(f"cannot reach the Feishu Open API at {base} (ConnectError")
    scope = _explain(FeishuError(400, 99991672, "Access denied. [contact:a, contact:b].x"), base)
    assert "(code 99991672: it needs one of contact:a, contact:b)" in scope
    other = _explain(FeishuError(400, 1234, "odd"), base)
    assert other == "Feishu refused to list the organisation (code 1234: odd)"


def test_without_account_status_the_file_says_nobody_was_left_out() -> None:
    found = _Found()
    found.add(User({"open_id": "ou_1", "name": "Ana", "email": "ana@acme.example"}), "0")
    roster = _roster([], found, {})
    assert [m.team for m in roster.members] == [None]
    assert any("shared no account status" in n for n in roster.notes)
    assert any("sees no departments" in n for n in roster.notes)
