"""Praise from Slack: the person and the recognition channel get it, user text escaped."""

from __future__ import annotations

import json

from sqlalchemy import select

from store.models import Praise
from tests.e2e.slack.conftest import ANA, CHEN
from tests.e2e.slack.helpers import deliver, posted_to


def test_praise_reaches_the_person_and_the_channel_escaped(flows, demo):
    fake = flows.fake
    # Chen types "@channel" (Slack sends its <!channel>) and, literally, "<!here>" (Slack
    # sends it escaped): neither may notify anyone when perfbot posts the praise.
    text = f"<@{ANA}> closed the ACME deal <!channel> &lt;!here&gt; #teamwork"
    resp = flows.command(CHEN, text, "/praise")
    assert resp.json()["text"].startswith("Praise")
    with demo.uow() as uow:
        praise = uow.session.scalars(select(Praise)).one()
    assert praise.tags == ["teamwork"]
    assert "@channel <!here>" in praise.text, "stored as the person typed it"
    deliver(demo, fake)
    dm = posted_to(fake, "D" + ANA, "Praise from Chen Jing")
    channel = posted_to(fake, "#kudos", "Chen Jing praised Ana Li")
    for msg in (dm, channel):
        dumped = json.dumps(msg)
        assert "<!channel>" not in dumped and "<!here>" not in dumped
        assert "&lt;!here&gt;" in dumped, "escaped once on the way out"
