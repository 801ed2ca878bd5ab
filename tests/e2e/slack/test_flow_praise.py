"""Praise from Slack: the person and the recognition channel get it, user text escaped."""

from __future__ import annotations

import json

from sqlalchemy import select

from store.models import Praise
from tests.e2e.slack.conftest import ANA, CHEN
from tests.e2e.slack.helpers import deliver, posted_to


def test_praise_reaches_the_person_and_the_channel_escaped(flows, demo):
    fake = flows.fake
    resp = flows.command(CHEN, f"<@{ANA}> closed the ACME deal <!channel> #teamwork", "/praise")
    assert resp.json()["text"].startswith("Praise")
    with demo.uow() as uow:
        praise = uow.session.scalars(select(Praise)).one()
    assert praise.tags == ["teamwork"] and "<!channel>" in praise.text  # stored as typed
    deliver(demo, fake)
    dm = posted_to(fake, "D" + ANA, "Praise from Chen Jing")
    channel = posted_to(fake, "#kudos", "Chen Jing praised Ana Li")
    for msg in (dm, channel):
        assert "<!channel>" not in json.dumps(msg) and "&lt;!channel&gt;" in json.dumps(msg)
