"""The appeal form's figure as a Slack static_select: the modal lists the person's score lines
by their labels in the reader's language, and the view_submission's `selected_option.value`
(the metric's key) is what the appeal is filed against."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Appeal
from tests.e2e.slack.conftest import ANA
from tests.e2e.slack.helpers import button, view_of


def _appeal_modal(flows) -> dict:  # type: ignore[no-untyped-def]
    score = flows.command(ANA, "", command="/score").json()
    flows.press(ANA, button(score["blocks"], "ap:new"), score["blocks"])
    return view_of(flows.fake.wait_for("views.open")[0])


def _select(modal: dict) -> dict:
    [metric] = [b for b in modal["blocks"] if b["block_id"] == "metric"]
    assert metric["type"] == "input" and metric["element"]["type"] == "static_select"
    return metric


def _filed(demo) -> list[str]:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        return list(uow.session.scalars(select(Appeal.metric)))


def test_an_english_reader_picks_the_figure_from_a_select(flows, demo):
    modal = _appeal_modal(flows)
    metric = _select(modal)
    assert metric["label"]["text"] == "Which figure"
    options = metric["element"]["options"]
    assert options[0]["value"] == "sales_amount" and options[0]["text"]["text"] == "Sales"
    assert all(len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150 for o in options)

    unpicked = flows.submit(ANA, modal, {"reason": "two deals are missing"})
    assert unpicked.json() == {
        "response_action": "errors",
        "errors": {"metric": "Please fill this in."},
    }
    done = flows.submit(ANA, modal, {"metric": "collection_rate", "reason": "invoice paid"})
    assert done.json()["response_action"] == "update"
    assert _filed(demo) == ["collection_rate"]


def test_a_chinese_reader_sees_chinese_labels_and_files_by_the_key(slack, demo):
    slack.fake.users[ANA]["locale"] = "zh-CN"  # before her first request: Slack's language
    modal = _appeal_modal(slack)
    metric = _select(modal)
    assert metric["label"]["text"] == "哪项数据"
    labels = [o["text"]["text"] for o in metric["element"]["options"]]
    assert labels[0] == "销售额" and "Sales" not in labels
    done = slack.submit(ANA, modal, {"metric": "sales_amount", "reason": "两笔订单没有计入"})
    assert done.json()["response_action"] == "update"
    assert "申诉 #" in str(done.json()["view"])
    assert _filed(demo) == ["sales_amount"]
