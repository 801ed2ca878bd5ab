"""The org file `perfbot org import` writes, from any platform's roster: it parses as an org
file, and what the platform knows (managers, teams) is filled in, the rest marked TODO."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cli.org_yaml import Todo, render_org, todos
from bot.members import Member, Roster, Team
from handlers.people.org_validate import OrgFileError, parse_org

# A platform that knows departments and managers (as a directory-backed one does).
ROSTER = Roster(
    "slack",
    [
        Member("U1", "Li Wei", "li.wei@acme.example", "Head of Sales", "Asia/Shanghai", "li"),
        Member(
            "U2",
            "Ana Li",
            "ana.li@acme.example",
            None,
            "Asia/Shanghai",
            manager_id="U1",
            team="Sales East",
        ),
        Member(
            "U3",
            "Max Braun",
            "max@acme.example",
            None,
            "Europe/Berlin",
            manager_id="U1",
            team="Sales East",
        ),
        Member("U4", "Cy Kong", "cy@acme.example", None, "America/Indiana/Indianapolis"),
        Member("U5", 'Dee: "Quoted" #1', "dee@acme.example", None, "America/Indianapolis"),
    ],
    ["a note"],
)


def test_known_managers_and_teams_are_filled_in_and_the_file_parses() -> None:
    text = render_org(ROSTER, out="org.yaml", day=date(2026, 12, 5), scorecards=["sales_rep"])
    org = parse_org(text, ["slack"])
    people = {p.email: p for p in org.people}
    assert people["ana.li@acme.example"].manager == "li.wei@acme.example"
    assert people["ana.li@acme.example"].team == "Sales East"
    assert people["li.wei@acme.example"].role == "manager"  # someone reports to them
    assert people["li.wei@acme.example"].chat == {"slack": "U1"}
    assert people["dee@acme.example"].name == 'Dee: "Quoted" #1'  # quoted where YAML needs
    assert [t.name for t in org.teams] == ["Sales East"]
    assert org.teams[0].branch == "Shanghai"  # where most of the team is
    # two zones ending in the same city keep their full names; the biggest is headquarters
    hq = [b.name for b in org.branches if b.hq]
    assert hq == ["Shanghai"]
    assert {b.name for b in org.branches} == {
        "Shanghai", "Berlin", "America/Indiana/Indianapolis", "America/Indianapolis"
    }  # fmt: skip
    assert "# - a note" in text and todos(text)


def test_unknown_e_mails_are_refused_at_load_naming_the_todo() -> None:
    bo = Member("43", "Bo", manager_id="42")  # whose manager's e-mail is unknown too
    roster = Roster("telegram", [Member("42", "Alice", handle="alice"), bo])
    text = render_org(roster, out="org.yaml", day=date(2026, 12, 5), scorecards=[])
    assert "    manager: null  # TODO fill in: the e-mail of Alice, their manager\n" in text
    with pytest.raises(OrgFileError) as err:
        parse_org(text, ["telegram"])
    assert len(err.value.problems) == 2
    assert "'TODO fill in: the e-mail of @alice'" in err.value.problems[0]
    assert "'TODO fill in: the e-mail of Bo'" in err.value.problems[1]


def test_a_directory_s_teams_come_with_their_parent_and_manager() -> None:
    # Sales has nobody of its own (only sub-teams): it is written all the same, as the parent.
    members = [
        Member("L", "Li Wei", "li@acme.example", timezone="Asia/Shanghai", team="Sales East"),
        Member("A", "Ana", "ana@acme.example", timezone="Asia/Shanghai", team="Sales East"),
        Member("B", "Bo", None, timezone="Europe/Berlin", team="Sales West"),
    ]
    teams = [
        Team("Sales", None, "L"),
        Team("Sales East", "Sales", "L"),
        Team("Sales West", "Sales", "B"),  # led by someone whose e-mail is unknown
        Team("Support", None, "far"),  # led by someone not listed
    ]
    text = render_org(
        Roster("feishu", members, [], teams), out="o.yaml", day=date(2026, 12, 5), scorecards=[]
    )
    assert "  - {name: Sales, branch: Shanghai, parent: null, manager: li@acme.example}\n" in text
    assert "  - {name: Sales East, branch: Shanghai, parent: Sales, manager: li@acme" in text
    assert (
        "  - {name: Sales West, branch: Berlin, parent: Sales, manager: null}"
        "  # TODO fill in: the e-mail of Bo, its manager\n" in text
    )
    assert "parent: null, manager: null}  # TODO fill in: its manager's e-mail\n" in text
    # leading a team makes a manager, as having someone report to them does
    assert "  - email: li@acme.example\n    name: Li Wei\n" in text
    assert "    role: manager  #" in text.split("li@acme.example\n    name: Li Wei")[1]
    org = parse_org(text.replace("'TODO fill in: the e-mail of Bo'", "bo@acme.example"), ["feishu"])
    assert {t.name: t.parent for t in org.teams} == {
        "Sales": None, "Sales East": "Sales", "Sales West": "Sales", "Support": None
    }  # fmt: skip


IMPORTED = """\
# Review it and fill in every TODO, then check and load it:
branches:
  - {name: Shanghai, timezone: Asia/Shanghai, hq: true}  # TODO fill in: the branch's name
teams: []  # TODO fill in: {name: Sales East, branch: ..., parent: Sales, manager: e-mail}
employees:
  - email: 'TODO fill in: the e-mail of @ana'
    name: Ana
    team: null  # TODO fill in: a team of teams:
    manager: bo@acme.example  # TODO fill in: their manager's e-mail
    role: employee  # employee, manager, hr or admin
    scorecard:  # TODO fill in: engineer, sales_rep
    chat: {slack: U1}  # @ana  # not a TODO
"""


def test_todos_name_each_line_still_to_fill_in_and_what_is_missing() -> None:
    assert todos(IMPORTED) == [
        Todo(3, "the branch's name"),  # an entry: until its comment goes
        Todo(4, "teams: {name: Sales East, branch: ..., parent: Sales, manager: e-mail}"),
        Todo(6, "email: the e-mail of @ana"),  # a placeholder
        Todo(8, "team: a team of teams:"),
        # line 9: filled in (its comment may stay); the header comment is no TODO
        Todo(11, "scorecard: engineer, sales_rep"),
    ]


def test_the_import_counts_the_todos_org_load_lists() -> None:
    text = render_org(ROSTER, out="org.yaml", day=date(2026, 12, 5), scorecards=["sales_rep"])
    # the header says "fill in every TODO": not one to fill in; each person's scorecard is
    assert len(todos(text)) == text.count("# TODO fill in") + text.count("'TODO fill in")
    assert sum(t.what.startswith("scorecard: ") for t in todos(text)) == len(ROSTER.members)
