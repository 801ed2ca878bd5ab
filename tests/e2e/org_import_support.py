"""What every `perfbot org import <platform>` test does: run the CLI, then finish the file it
wrote the way an operator would (the dry run names the one TODO left; fill it; load)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import main


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def load_after_filling(out: Path, db_url: str, todo: str, value: str) -> str:
    """The dry run refuses the file for exactly `todo` (quoted, as the file has it); with
    `value` in its place the file loads. What the load printed."""
    code, printed = run({}, "org", "load", str(out), "--db", db_url, "--dry-run")
    assert code == 1
    problems = printed.splitlines()[1:]
    assert len(problems) == 1 and f"'{todo}'" in problems[0]
    out.write_text(out.read_text().replace(f"'{todo}'", value))
    code, printed = run({}, "org", "load", str(out), "--db", db_url)
    assert code == 0, printed
    return printed
