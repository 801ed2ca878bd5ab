"""The appeal form's figure as a Feishu `select_static` in the card's form: the person's score
lines by their labels in the reader's language, and the card.action.trigger's `form_value`
holding the picked option's value (the metric's key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from store.models import Appeal, Employee
from tests.e2e.feishu.conftest import ANA, p2p
from tests.e2e.feishu.test_cards import value_of
from tests.fakes.feishu_events import buttons


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node] + [e for v in node.values() for e in _walk(v)]
    if isinstance(node, list):
        return [e for v in node for e in _walk(v)]
    return []


def _form(fs) -> tuple[dict[str, Any], dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The appeal form's select_static and its submit button's value."""
    fs.link(ANA)
    fs.settle_seeded()
    [score] = fs.say(ANA, "/score")
    _answer, [form_msg] = fs.press(ANA, value_of(score.card, "ap:new"), chat_id=p2p(ANA))
    [select_] = [e for e in _walk(form_msg.card) if e.get("tag") == "select_static"]
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    return select_, submit


def _filed(fs) -> list[str]:  # type: ignore[no-untyped-def]
    with fs.rt.uow() as uow:
        return list(uow.session.scalars(select(Appeal.metric)))


def test_an_english_reader_picks_the_figure_from_a_select(fs):
    select_, submit = _form(fs)
    assert select_["name"] == "metric" and select_["required"] is True
    first = select_["options"][0]
    assert first == {"text": {"tag": "plain_text", "content": "Sales"}, "value": "sales_amount"}
    values = {"metric": "collection_rate", "reason": "the invoice was paid"}
    filed, _ = fs.press(ANA, submit, chat_id=p2p(ANA), form_value=values)
    assert filed["toast"]["type"] == "success", filed
    assert _filed(fs) == ["collection_rate"]


def test_an_unpicked_select_is_shown_again_with_what_was_typed_kept(fs):
    _select, submit = _form(fs)
    refused, _ = fs.press(ANA, submit, chat_id=p2p(ANA), form_value={"reason": "missing deals"})
    assert refused["toast"]["type"] == "error"
    [again] = [e for e in _walk(refused["card"]["data"]) if e.get("tag") == "select_static"]
    assert "initial_option" not in again and _filed(fs) == []


def test_a_chinese_reader_sees_chinese_labels_and_files_by_the_key(fs):
    with fs.rt.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.email == "ana.li@acme.example").values(locale="zh_CN")
        )
        uow.commit()
    select_, submit = _form(fs)
    labels = [o["text"]["content"] for o in select_["options"]]
    assert labels[0] == "销售额" and "Sales" not in labels
    assert select_["options"][0]["value"] == "sales_amount"
    values = {"metric": "sales_amount", "reason": "两笔订单没有计入"}
    filed, _ = fs.press(ANA, submit, chat_id=p2p(ANA), form_value=values)
    assert filed["toast"]["type"] == "success", filed
    assert _filed(fs) == ["sales_amount"]
