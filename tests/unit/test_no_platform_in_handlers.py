"""`handlers/` is platform-neutral: no module names a chat platform, in code, strings or
comments. Platform grammar and wording live in the adapters under `bot/`."""

from __future__ import annotations

import re
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
PLATFORMS = re.compile(r"slack|telegram|feishu|lark", re.IGNORECASE)


def lines_matching(root: Path, pattern: re.Pattern[str]) -> list[str]:
    """`path:line: text` for every line of the Python files under `root` that matches."""
    return [
        f"{path.relative_to(root.parent)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


def platform_names(root: Path) -> list[str]:
    """Every line under `root` that names a platform."""
    return lines_matching(root, PLATFORMS)


def test_no_module_in_handlers_names_a_platform():
    found = platform_names(HANDLERS)
    assert not found, "platform names in handlers/ (move them to bot/):\n" + "\n".join(found)


def test_the_check_finds_a_platform_name(tmp_path):
    pkg = tmp_path / "handlers"
    (pkg / "feature").mkdir(parents=True)
    (pkg / "feature" / "use_case.py").write_text('x = 1\nWHO = "<@Slack:U1>"  # or LARK\n')
    assert platform_names(pkg) == ['handlers/feature/use_case.py:2: WHO = "<@Slack:U1>"  # or LARK']
