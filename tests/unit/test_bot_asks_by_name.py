"""The shell (bot/: the operator commands, the scheduler, the outbox dispatcher, the demo,
the adapters) reads and writes through named queries too (store/queries/): none touches
the unit of work's session or connection, but for the one hand-off below."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_handlers_ask_by_name import reaching_past

BOT = Path(__file__).resolve().parents[2] / "bot"
# The push endpoint writes through the sync engine's writer, which works on the session
# itself (as connectors/sync.py does for every pulled source).
HANDED_ON = {"bot/ingest/app.py": "BatchWriter(source).write(uow.session, batch, uow.clock())"}


def test_no_bot_module_reaches_past_the_named_queries():
    found = [
        line
        for line in reaching_past(BOT)
        if HANDED_ON.get(line.split(":", 1)[0], "\0") not in line
    ]
    assert not found, "name these queries in store/queries/:\n" + "\n".join(found)


def test_the_hand_off_is_still_there():
    # When the writer stops taking the session, drop the exception above.
    found = reaching_past(BOT)
    assert all(any(text in line for line in found) for text in HANDED_ON.values())
