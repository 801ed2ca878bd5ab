"""Praise use cases (give, allowance, contribution, counts) against the in-memory unit of
work: no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.commands import PersonRef
from handlers.commands import Praise as PraiseCmd
from handlers.praise.give import PraisePolicy, give_praise, given_today, praise_counts
from handlers.scores.compute import ScoringSetup
from scoring.config import load_scoring_config
from store.models import Branch, Employee, MetricFact, Praise
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork

BREAKDOWN = {
    "dimensions": [
        {
            "metric": "sales_amount",
            "label": "Sales",
            "actual": "1180000",
            "target": "1000000",
            "attainment": "118.00",
            "sources": ["crm"],
            "pos": 0,
        },
        {"metric": "manager_rating", "kind": "rating", "attainment": "100", "pos": 1},
    ]
}


@pytest.fixture
def org() -> tuple[FakeUnitOfWork, People]:
    uow, p = small_company()
    uow.scores.stored[(p.ana.id, 1)] = BREAKDOWN  # type: ignore[attr-defined]
    for fid, record, void in ((1, "INV-4521", False), (2, "INV-9999", False), (3, "X-77", True)):
        uow.add(
            MetricFact(
                id=fid,
                employee_id=p.ana.id,
                metric="sales_amount",
                value=Decimal("120000.00"),
                occurred_on=date(2026, 11, 5),
                source="crm",
                record_id=record,
                link=None,
                fetched_at=uow.clock(),
                void=void,
            )
        )
    branch = uow.get(Branch, 2)
    assert branch is not None
    branch.recognition_channel = "#berlin-wins"
    return uow, p


def actor(e: Employee) -> Actor:
    return Actor(e.id, e.email, e.name, e.role, e.branch_id, "console", None)


def praise(who: Employee, text: str, *tags: str) -> PraiseCmd:
    return PraiseCmd(PersonRef("email", who.email), text, tags)


def test_a_manager_praises_with_the_contribution_attached(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    cmd = praise(p.ana, "closed INV-4521 and X-77, well done #teamwork", "teamwork")
    reply = give_praise(cmd, uow=uow, actor=actor(p.manager), praise_policy=PraisePolicy())
    assert reply.ok
    (row,) = uow.all(Praise)
    assert (row.giver_id, row.receiver_id, row.period_id) == (p.manager.id, p.ana.id, 1)
    assert [f["metric"] for f in row.contribution["figures"]] == ["sales_amount"]
    assert [r["record_id"] for r in row.contribution["records"]] == ["INV-4521"], "void left out"
    assert row.contribution["records"][0]["value"] == "120000"
    assert reply.cards[0].lines[:2] == (
        t.PRAISE_SENT.format(name=p.ana.name),
        t.PRAISE_POSTED.format(channel="#berlin-wins"),
    )
    assert [(o["recipient_id"], o["channel"]) for o in uow.outbox] == [
        (p.ana.id, None),
        (None, "#berlin-wins"),
    ]
    assert [a["action"] for a in uow.audits] == ["praise.give"] and uow.commits == 1
    assert given_today(uow, actor(p.manager)) == 1
    assert praise_counts(uow, 1, [p.ana.id, p.bo.id]) == {p.ana.id: 1, p.bo.id: 0}


def test_a_peer_may_not_praise_unless_anyone_may(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    refused = give_praise(
        praise(p.ana, "great work"), uow=uow, actor=actor(p.bo), praise_policy=PraisePolicy()
    )
    assert not refused.ok and refused.cards[0].lines == (
        t.PRAISE_NOT_YOURS.format(name=p.ana.name),
    )
    assert uow.all(Praise) == [] and uow.outbox == []
    assert refused.refusal is not None and refused.refusal.action == "praise.give"
    anyone = PraisePolicy(by_anyone=True)
    assert give_praise(
        praise(p.ana, "great work"), uow=uow, actor=actor(p.bo), praise_policy=anyone
    ).ok


def test_the_daily_allowance_counts_the_local_day(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    policy = PraisePolicy(daily_allowance=2)
    # Yesterday's praise is not counted against today's allowance.
    uow.add(
        Praise(
            giver_id=p.manager.id,
            receiver_id=p.bo.id,
            period_id=1,
            text="old",
            tags=[],
            contribution={},
            at=uow.clock() - timedelta(days=1),
        )
    )
    me = actor(p.manager)
    assert give_praise(praise(p.ana, "one"), uow=uow, actor=me, praise_policy=policy).ok
    assert give_praise(praise(p.bo, "two"), uow=uow, actor=me, praise_policy=policy).ok
    third = give_praise(praise(p.ana, "three"), uow=uow, actor=me, praise_policy=policy)
    assert not third.ok and third.cards[0].lines == (t.PRAISE_ALLOWANCE.format(n=2),)
    assert len(uow.all(Praise)) == 3


def test_no_praise_without_a_reason_or_for_oneself(org: tuple[FakeUnitOfWork, People]) -> None:
    uow, p = org
    me = actor(p.manager)
    empty = give_praise(
        praise(p.ana, "#teamwork", "teamwork"), uow=uow, actor=me, praise_policy=PraisePolicy()
    )
    assert empty.cards[0].lines == (t.PRAISE_EMPTY,)
    self_ = give_praise(praise(p.manager, "me"), uow=uow, actor=me, praise_policy=PraisePolicy())
    assert self_.cards[0].lines == (t.PRAISE_SELF,)
    assert uow.all(Praise) == []


PRIVATE_AND_WEAK = {
    "scorecard": "sales_rep",
    "dimensions": [
        {"metric": "attendance_rate", "label": "Attendance", "actual": "99", "target": "95",
         "attainment": "104.2", "sources": ["hr"], "pos": 0},
        {"metric": "sales_amount", "label": "Sales", "actual": "96400", "target": "1000000",
         "attainment": "9.64", "sources": ["crm"], "pos": 1},
        {"metric": "csat", "label": "CSAT", "actual": "4.8", "target": "4.5",
         "attainment": "106.7", "sources": ["desk"], "pos": 2},
    ],
}  # fmt: skip


def _scoring() -> ScoringSetup:
    config = load_scoring_config(
        {
            "scorecards": {
                "sales_rep": {
                    "dimensions": [
                        {"metric": "attendance_rate", "weight": 20},
                        {"metric": "sales_amount", "weight": 40, "public": True},
                        {"metric": "csat", "weight": 40, "public": True},
                    ]
                }
            },
            "bands": [{"name": "all", "min": 0}],
        }
    )
    return ScoringSetup(config, ())


def test_a_peer_attaches_none_of_her_figures_nor_records(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    anyone = PraisePolicy(by_anyone=True)
    cmd = praise(p.ana, "thanks for INV-4521, you rock")
    reply = give_praise(cmd, uow=uow, actor=actor(p.bo), praise_policy=anyone, scoring=_scoring())
    assert reply.ok
    (row,) = uow.all(Praise)
    assert row.contribution == {
        "period": "2026-11",
        "figures": [],
        "records": [],
        "public_figures": [],
    }
    shown = [reply.cards[0].lines, *(n.card.lines for n in reply.notices)]
    for lines in shown:
        assert not any(x.startswith(("Record", "Contribution")) for x in lines), lines


def test_the_public_post_shows_only_public_figures_at_target(
    org: tuple[FakeUnitOfWork, People],
) -> None:
    uow, p = org
    uow.scores.stored[(p.ana.id, 1)] = PRIVATE_AND_WEAK  # type: ignore[attr-defined]
    cmd = praise(p.ana, "closed INV-4521")
    me = actor(p.manager)
    reply = give_praise(cmd, uow=uow, actor=me, praise_policy=PraisePolicy(), scoring=_scoring())
    (row,) = uow.all(Praise)
    assert [f["metric"] for f in row.contribution["figures"]] == [
        "csat",
        "attendance_rate",
        "sales_amount",
    ], "the manager may see every figure"
    assert [f["metric"] for f in row.contribution["public_figures"]] == ["csat"]
    dm, post = reply.notices
    assert any("Attendance" in x for x in dm.card.lines), "she sees her own figures"
    assert any(x.startswith("Record crm INV-4521") for x in dm.card.lines)
    text = " ".join(post.card.lines)
    assert "CSAT 4.8" in text and "Attendance" not in text and "Sales" not in text
    assert "Record" not in text and "120,000" not in text, "no record values in public"
    # Without a scoring configuration nothing is public.
    give_praise(cmd, uow=uow, actor=me, praise_policy=PraisePolicy())
    assert uow.all(Praise)[-1].contribution["public_figures"] == []
