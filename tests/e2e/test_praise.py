"""`/praise` through the console: guards, contribution data, the DM and the channel post."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from handlers.cards import Card
from handlers.notify import notify
from handlers.praise.contribution import strongest_figures
from handlers.praise.give import PraisePolicy, praise_counts
from store.breakdowns import breakdown_of
from store.models import Branch, Praise, Team
from tests.e2e.social_support import HEAD, MANAGER, PEER, REPORT, World, text_of


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def praises(world: World) -> list[Praise]:
    with world.rt.uow() as uow:
        return list(uow.session.scalars(select(Praise).order_by(Praise.id)).all())


def test_a_manager_praises_a_report_with_figures_attached(world):
    reply = world.run(MANAGER, "/praise @ana.li took over the ACME renewal #ownership #Teamwork")
    assert reply.ok, text_of(reply.cards[0])
    [row] = praises(world)
    ana = world.person(REPORT)
    assert (row.giver_id, row.receiver_id, row.tags) == (
        world.person(MANAGER).id,
        ana.id,
        ["ownership", "teamwork"],
    )
    assert row.period_id == world.period().id
    with world.rt.uow() as uow:
        breakdown = breakdown_of(uow.session, ana.id, row.period_id)
    best = strongest_figures(breakdown)
    # Each figure is stored with its goal's unit (money reads as money to other readers).
    units = {f["metric"]: f.pop("unit") for f in row.contribution["figures"]}
    assert best and row.contribution["figures"] == [{k: v for k, v in f.items() if k != "unit"}
                                                    for f in best]  # fmt: skip
    assert units["sales_amount"] == "CNY"
    assert best[0]["label"] in reply.cards[0].lines[2]  # the strongest figure is named
    assert (
        f"({best[0]['sources'][0]}" in reply.cards[0].lines[2]
        or best[0]["sources"][0] in reply.cards[0].lines[2]
    )
    dm, post = reply.notices
    assert dm.recipient_id == ana.id and dm.card.title == "Praise from Chen Jing"
    assert "“took over the ACME renewal #ownership #Teamwork”" in dm.card.lines
    assert ("Values", "#ownership #teamwork") in dm.card.fields
    assert post.channel == "#kudos" and not post.card.private  # the branch's channel
    assert post.card.title == "Chen Jing praised Ana Li"
    assert [e.entity_id for e in world.audit("praise.give")] == [str(row.id)]


def test_records_named_in_the_text_are_attached_with_their_links(world):
    fact = world.facts(REPORT, "sales_amount")[0]
    reply = world.run(MANAGER, f"/praise @ana.li closed deal {fact.record_id}, well done")
    assert reply.ok
    [row] = praises(world)
    [record] = row.contribution["records"]
    assert (record["source"], record["record_id"], record["link"]) == (
        fact.source,
        fact.record_id,
        fact.link,
    )
    assert Decimal(record["value"]) == fact.value
    assert any(
        fact.record_id in line and (fact.link or "") in line for line in reply.notices[0].card.lines
    )


def test_the_channel_post_is_queued_exactly_once(world):
    reply = world.run(MANAGER, "/praise @ana.li great demo")
    praise_id = praises(world)[0].id
    rows = world.outbox(f"praise:{praise_id}:%")
    assert sorted(r.dedupe_key for r in rows) == [
        f"praise:{praise_id}:channel",
        f"praise:{praise_id}:dm",
    ]
    [channel] = [r for r in rows if r.channel]
    assert channel.channel == "#kudos" and channel.status == "pending"
    assert Card.from_dict(channel.payload) == reply.notices[1].card
    with world.rt.uow() as uow:  # a retried request queues nothing new
        again = notify(
            uow,
            kind="praise",
            dedupe_key=f"praise:{praise_id}:channel",
            card=reply.notices[1].card,
            channel="#kudos",
        )
        uow.commit()
    assert again is None and len(world.outbox(f"praise:{praise_id}:channel")) == 1


def test_praise_needs_a_reason(world):
    assert not world.run(MANAGER, "/praise @ana.li").ok  # the parser asks what for
    reply = world.run(MANAGER, "/praise @ana.li #teamwork #ownership")
    assert not reply.ok and "praise needs a reason" in reply.cards[0].lines[0]
    assert praises(world) == [] and world.outbox("praise:%") == []


def test_no_self_praise_and_the_refusal_is_audited(world):
    reply = world.run(MANAGER, "/praise @chen.jing carried the quarter")
    assert not reply.ok and reply.cards[0].lines == ("You can't praise yourself.",)
    assert praises(world) == []
    denied = world.audit("denied")[-1]
    assert denied.actor == MANAGER and denied.after["attempted"] == "praise.give"


def test_only_managers_praise_unless_anyone_may(world):
    reply = world.run(PEER, "/praise @ana.li helped me with a client")
    assert not reply.ok and "Only Ana Li's managers" in reply.cards[0].lines[0]
    assert world.run(HEAD, "/praise @ana.li strong month").ok  # a manager further up
    anyone = World(world.rt, praise_policy=PraisePolicy(by_anyone=True))
    assert anyone.run(PEER, "/praise @ana.li helped me with a client").ok
    assert not anyone.run(PEER, "/praise @zhou.tao me again").ok  # still never yourself
    assert len(praises(world)) == 2


def test_daily_allowance_counts_the_givers_local_day(world):
    capped = World(world.rt, praise_policy=PraisePolicy(daily_allowance=2))
    # 2026-11-20 02:00 UTC is Friday 10:00 in Shanghai, Chen's branch.
    assert capped.run(MANAGER, "/praise @ana.li one").ok
    assert capped.run(MANAGER, "/praise @zhou.tao two").ok
    third = capped.run(MANAGER, "/praise @ana.li three")
    assert not third.ok and "allowance (2)" in third.cards[0].lines[0]
    capped.move_to(datetime(2026, 11, 20, 15, 59, tzinfo=UTC))  # 23:59 local: same day
    assert not capped.run(MANAGER, "/praise @ana.li three").ok
    capped.move_to(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))  # midnight local: a new day
    assert capped.run(MANAGER, "/praise @ana.li three").ok
    assert len(praises(world)) == 3


def test_team_channel_wins_then_branch_then_setting(world):
    with world.rt.uow() as uow:
        uow.session.execute(
            update(Team).where(Team.name == "Sales East").values(recognition_channel="#sales-wins")
        )
        uow.commit()
    assert world.run(MANAGER, "/praise @ana.li one").notices[1].channel == "#sales-wins"
    with world.rt.uow() as uow:
        uow.session.execute(update(Team).values(recognition_channel=None))
        uow.session.execute(update(Branch).values(recognition_channel=None))
        uow.commit()
    assert len(world.run(MANAGER, "/praise @ana.li two").notices) == 1  # DM only: no channel
    fallback = World(world.rt, praise_policy=PraisePolicy(channel="#general"))
    assert fallback.run(MANAGER, "/praise @ana.li three").notices[1].channel == "#general"


def test_praise_counts_per_person_and_period(world):
    for line in ("/praise @ana.li one", "/praise @ana.li two", "/praise @zhou.tao three"):
        assert world.run(MANAGER, line).ok
    ana, zhou, peer_less = world.person(REPORT), world.person(PEER), world.person(HEAD)
    now, before = world.period(), world.period("2026-10")
    with world.rt.uow() as uow:
        counts = praise_counts(uow, now, [ana.id, zhou.id, peer_less.id])
        other = praise_counts(uow, before.id, [ana.id])
    assert counts == {ana.id: 2, zhou.id: 1, peer_less.id: 0}
    assert other == {ana.id: 0}


def _shown(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [*reply.cards[0].lines, *(x for n in reply.notices for x in n.card.lines)]


@pytest.mark.parametrize("giver", [PEER, "cheryl.tan@acme.example"])  # a peer; HR elsewhere
def test_praise_reveals_nothing_the_giver_may_not_see(world, giver):
    anyone = World(world.rt, praise_policy=PraisePolicy(by_anyone=True))
    assert not anyone.run(giver, "/score @ana.li").ok, "refused her score..."
    fact = world.facts(REPORT, "sales_amount")[0]
    reply = anyone.run(giver, f"/praise @ana.li thanks for {fact.record_id}")
    assert reply.ok
    [row] = praises(world)
    assert row.contribution["figures"] == row.contribution["records"] == []
    assert not any(x.startswith(("Contribution", "Record")) for x in _shown(reply))
    assert fact.link is None or not any(fact.link in x for x in _shown(reply))


@pytest.mark.parametrize(
    "giver, person, scorecard",
    [
        (MANAGER, REPORT, "sales_rep"),
        ("huang.gang@acme.example", "deng.hua@acme.example", "production_worker"),
        ("huang.gang@acme.example", "xu.ping@acme.example", "production_worker"),
        ("jonas.weber@acme.example", "lena.fischer@acme.example", "engineer"),
    ],
)
def test_the_channel_gets_only_public_figures_at_target(world, giver, person, scorecard):
    name = person.split("@")[0]
    reply = world.run(giver, f"/praise @{name} strong month")
    assert reply.ok
    [row] = praises(world)
    public = world.scoring.config.scorecards[scorecard].public_metrics()
    for fig in row.contribution["public_figures"]:
        assert fig["metric"] in public and Decimal(str(fig["attainment"])) >= 100, fig
    post = next(n for n in reply.notices if n.channel)
    text = " ".join(post.card.lines)
    private = [
        d.label for d in world.scoring.config.scorecards[scorecard].dimensions if not d.public
    ]
    assert not any(f"{label} " in text for label in private), text
    assert "% of target" not in text or all(
        f["label"] in text for f in row.contribution["public_figures"]
    )
    weak = [f for f in row.contribution["figures"] if Decimal(str(f["attainment"])) < 100]
    assert not any(f"{f['label']} " in text for f in weak), text
