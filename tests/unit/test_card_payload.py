"""A card kept in the outbox as JSON comes back whole, its chart included."""

from __future__ import annotations

import json

import pytest

from handlers.cards import Button, Card, Image

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
CHARTED = Card(
    title="Team 2026-11",
    lines=("Ana Li: 91.0 excellent",),
    buttons=(Button("Open", "tm:open", "2026-11"),),
    image=Image(PNG, "team-2026-11.png", "Scores by person"),
)


def test_a_chart_survives_the_json_round_trip():
    stored = json.loads(json.dumps(CHARTED.to_dict()))
    assert Card.from_dict(stored) == CHARTED


def test_a_listing_names_the_chart_without_its_bytes():
    listed = CHARTED.to_dict(image_data=False)
    assert listed["image"] == {"filename": "team-2026-11.png", "alt": "Scores by person"}
    assert Card.from_dict(listed).image is None


def test_a_row_queued_with_the_filename_alone_goes_out_without_the_chart():
    old = CHARTED.to_dict() | {"image": "team-2026-11.png"}
    card = Card.from_dict(old)
    assert card.image is None and card.title == CHARTED.title


def test_image_data_that_is_not_base64_is_refused_as_unreadable():
    broken = CHARTED.to_dict()
    broken["image"]["data"] = "not base64!"
    with pytest.raises(ValueError, match="not base64"):
        Card.from_dict(broken)
