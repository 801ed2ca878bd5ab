"""The `perfbot` command line prints no English of its own: every sentence it hands to
click (echo, secho, confirm, prompt, ClickException, UsageError, BadParameter) comes from
bot/cli/strings.py through bot/cli/texts.py, so it is catalogued and translated. A string
literal or f-string with letters in those calls fails here, naming file and line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    p
    for folder in ("bot/cli", "bot/doctor")
    for p in (ROOT / folder).glob("*.py")
    if p.name not in ("strings.py", "texts.py")  # the messages module and its lookup
)
# The calls whose text arguments a person reads (click's, and bot/cli/common.py's `refuse`
# headline and `announce` line); `emit`'s text is its third argument, often a lambda.
SAYS = {"echo", "secho", "confirm", "prompt", "ClickException", "UsageError", "BadParameter",
        "refuse", "announce", "emit"}  # fmt: skip
# (file, literal) pairs that are not prose, each with the reason.
ALLOWED = {
    # the interactive console's prompt: the program's name, as the chat commands' own prefix
    ("bot/cli/console.py", "perfbot"),
}
LETTERS = re.compile(r"[^\W\d_]")


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal_text(node: ast.AST) -> str | None:
    """The literal words of an argument: a string, the fixed parts of an f-string, either side
    of a `+` or an `if`-`else`; None when none of it is written in the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return "".join(p for p in parts if p) or None
    if isinstance(node, ast.IfExp):
        parts = [_literal_text(node.body), _literal_text(node.orelse)]
        return " ".join(p for p in parts if p) or None
    return None


def _prose(path: Path, rel: str | None = None) -> list[str]:
    rel = rel or path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and _name(node) in SAYS):
            continue
        args = node.args[2:] if _name(node) == "emit" else node.args
        for arg in [*args, *(k.value for k in node.keywords if k.arg in ("message", "text"))]:
            text = _literal_text(arg.body if isinstance(arg, ast.Lambda) else arg)
            if text and LETTERS.search(text) and (rel, text) not in ALLOWED:
                found.append(f"{rel}:{node.lineno}: {_name(node)}({text!r})")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_cli_says_nothing_in_literal_english(path: Path) -> None:
    assert _prose(path) == [], "move these to bot/cli/strings.py and print them via texts"


def test_the_guard_sees_literals_and_f_strings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import click\n"
        "def f(x):\n"
        "    click.echo(f'wrote {x}')\n"
        "    click.echo(f'> {x}')\n"  # no letters: layout, not prose
        "    emit({}, False, lambda: x if x else 'nothing')\n"
        "    raise click.ClickException('no such ' + x)\n",
        encoding="utf-8",
    )
    found = _prose(sample, "bot/cli/sample.py")
    assert [f.split(": ", 1)[1] for f in found] == [
        "echo('wrote ')",
        "emit('nothing')",
        "ClickException('no such ')",
    ]
