"""KPI approval by HR from a delivered card, the team report's chart, the Explain button."""

from __future__ import annotations

import json

from store.models import KpiAdjustment
from tests.e2e.slack.conftest import ANA, CHEN, ZHAO
from tests.e2e.slack.helpers import button, deliver, posted_to


def test_kpi_change_approved_by_hr_from_the_card(flows, demo):
    fake = flows.fake
    resp = flows.command(CHEN, f"<@{ANA}> sales_amount 800k market change", "/kpi")
    assert "sent to HR" in json.dumps(resp.json())
    deliver(demo, fake)
    card = posted_to(fake, "D" + ZHAO, "Target change for Ana Li")
    approve = button(card["blocks"], "kp:ok:")
    adj_id = int(approve["value"])
    flows.press(ZHAO, approve, card["blocks"], ephemeral=False, channel="D" + ZHAO, ts=card["ts"])
    (updated,) = fake.wait_for("chat.update")
    assert approve["action_id"] not in json.dumps(updated["blocks"])
    with demo.uow() as uow:
        adj = uow.session.get(KpiAdjustment, adj_id)
    assert adj.status == "approved" and adj.new_target == 800000
    flows.press(ZHAO, approve, card["blocks"], ephemeral=False, channel="D" + ZHAO, ts=card["ts"])
    flows.drain()
    with demo.uow() as uow:
        assert uow.session.get(KpiAdjustment, adj_id).status == "approved"
    assert "Already handled" in fake.of("chat.update")[-1]["text"]


def test_team_report_with_its_chart_as_a_file(flows):
    resp = flows.command(CHEN, "", "/team")
    assert resp.json()["text"].startswith("Team report")
    (upload,) = flows.fake.wait_for("files.completeUploadExternal")
    assert upload["channel_id"] == "D" + CHEN
    assert flows.fake.of("upload")[0]["size"] > 1000  # a real PNG went up


def test_explain_button_answers_privately_with_the_source_records(flows):
    score = flows.command(ANA, "", "/score").json()
    explain = button(score["blocks"], "ex:sales_amount.")
    flows.press(ANA, explain, score["blocks"])
    (answer,) = flows.fake.wait_for("response")
    # An answer beside the score card (which stays as it was), records and links included.
    assert answer["replace_original"] is False and answer["response_type"] == "ephemeral"
    text = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "where the figure comes from" in text and "https://crm.acme.example/deals/" in text
    assert not flows.fake.of("chat.update")


def test_explain_command(flows):
    resp = flows.command(CHEN, f"sales_amount <@{ANA}>", "/explain")
    text = json.dumps(resp.json(), ensure_ascii=False)
    assert "Ana Li" in text and "crm" in text and resp.json()["response_type"] == "ephemeral"
