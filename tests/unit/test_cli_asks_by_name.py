"""The operator commands (bot/cli/) read and write through named queries too (most in
store/queries/operator.py): none touches the unit of work's session or connection."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_handlers_ask_by_name import reaching_past

CLI = Path(__file__).resolve().parents[2] / "bot" / "cli"


def test_no_operator_command_reaches_past_the_named_queries():
    found = reaching_past(CLI)
    assert not found, "name these queries in store/queries/:\n" + "\n".join(found)
