"""Every word the installed click says through gettext is in bot/cli/click_words.py (so it is
catalogued and translated), and install() routes each module that says one."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import click

from bot.cli import click_language, click_words
from handlers.i18n import gettext, ngettext, speaking

CLICK = Path(click.__file__).parent
# click's modules routed by click_language.install(); _winconsole speaks only on Windows.
ROUTED = (*click_language.RUNTIME, "click.types", "click.decorators")


def _said(module: str) -> set[str | tuple[str, str]]:
    """The literal msgids of a click module's `_()` and `ngettext()` calls."""
    tree = ast.parse((CLICK / (module.split(".")[1] + ".py")).read_text(encoding="utf-8"))
    found: set[str | tuple[str, str]] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        literal = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and literal:
            found.add(literal[0])
        elif node.func.id == "ngettext" and len(literal) >= 2:
            found.add((literal[0], literal[1]))
    return found


def _listed() -> set[str | tuple[str, str]]:
    values = vars(click_words).values()
    return {v for v in values if isinstance(v, str) or (isinstance(v, tuple) and len(v) == 2)}


def test_every_click_word_is_listed() -> None:
    said = set().union(*(_said(m) for m in ROUTED))
    assert len(said) > 60  # the scan reads click's calls
    assert said - _listed() == set(), "add them to bot/cli/click_words.py"


def test_no_other_click_module_says_anything() -> None:
    quiet = {p.stem for p in CLICK.glob("*.py")} - {m.split(".")[1] for m in ROUTED}
    assert {m for m in quiet if _said(f"click.{m}")} <= {"_winconsole"}


def test_install_routes_click_to_the_catalogue() -> None:
    click_language.install()
    for name in click_language.RUNTIME:
        module = importlib.import_module(name)
        assert module._ is gettext  # type: ignore[attr-defined]
        assert getattr(module, "ngettext", ngettext) is ngettext
    with speaking("zh_CN"):
        assert click.exceptions._("Missing argument") == "缺少参数"  # type: ignore[attr-defined]
        # the help option is built once per command: it stays English until shown
        assert click.decorators._("Show this message and exit.").startswith("Show")  # type: ignore[attr-defined]
    assert click.exceptions._("Missing argument") == "Missing argument"  # type: ignore[attr-defined]


def test_a_missing_parameter_ends_with_the_readers_full_stop() -> None:
    click_language.install()
    choice = click.Option(["--format"], type=click.Choice(["csv", "md"]))
    missing = click.exceptions.MissingParameter(param=choice, param_type="option")
    named = click.exceptions.MissingParameter(param_hint="'FILE'", param_type="argument")
    english = (missing.format_message(), named.format_message())
    assert english == (
        "Missing option '--format'. Choose from:\n\tcsv,\n\tmd",
        "Missing argument 'FILE'.",
    )
    with speaking("zh_CN"):
        assert named.format_message() == "缺少参数 'FILE'。"
        said = missing.format_message()
    assert said.startswith("缺少选项 '--format'。 ") and said.endswith("\tcsv,\n\tmd"), said
    assert "." not in said
