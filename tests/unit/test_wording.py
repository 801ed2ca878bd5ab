"""Issue 16: numbers in plain notation, grouped; counts with the right plural; CLI tables
with headers and aligned columns; nothing in the wording keeps a "(s)"."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import strings as cli_strings
from bot.cli.table import table
from bot.telegram.render import prompt
from handlers import strings_en as t
from handlers.cards import Input
from handlers.format import exact, num, plain, plural

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("n", "want"),
    [(0, "0 goals"), (1, "1 goal"), (2, "2 goals"), (19, "19 goals"), (1200, "1,200 goals")],
)
def test_plural_counts_a_noun(n: int, want: str) -> None:
    assert plural(n, t.GOALS) == want


def test_a_person_and_people() -> None:
    assert plural(1, t.PEOPLE) == "1 person" and plural(3, t.PEOPLE) == "3 people"


def test_the_sweep_headline_counts_each_decision() -> None:
    assert plural(19, cli_strings.DECISIONS["nudge"]) == "19 nudges"
    assert plural(1, cli_strings.DECISIONS["nudge"]) == "1 nudge"


@pytest.mark.parametrize("value", [Decimal("1E+6"), Decimal("9E+1"), Decimal("90.0000")])
def test_numbers_never_in_scientific_notation(value: Decimal) -> None:
    for shown in (num(value), exact(value), plain(value)):
        assert "E" not in shown
    assert num(Decimal("9E+1")) == "90" and exact(Decimal("1E+6")) == "1,000,000"


def test_the_telegram_form_keeps_a_round_target_grouped() -> None:
    html = prompt("Adjust", Input("e5", "Ana Li", kind="number", initial=plain(Decimal("1E+6"))))
    assert "/skip keeps: 1,000,000" in html and "E+" not in html


def test_no_string_a_person_reads_says_s_in_parentheses() -> None:
    for path in sorted([*(ROOT / "handlers").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.search(r"\w\((s|es)\)", node.value), f"{path}: {node.value!r}"


def test_a_table_has_headers_and_aligned_columns() -> None:
    out = table(("id", "name", "target"), [(7, "Ana Li", "1,000"), (12, None, "90")], right={0, 2})
    assert out.splitlines() == [
        "id  name    target",
        " 7  Ana Li   1,000",
        "12  —           90",
    ]
