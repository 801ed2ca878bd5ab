"""Use cases reach the database only through named queries (store/queries/) and the unit
of work's get/add/flush: no module in `handlers/` touches its session or connection. (The
import contract in pyproject.toml keeps SQLAlchemy itself out.)"""

from __future__ import annotations

import re
from pathlib import Path

from tests.unit.test_no_platform_in_handlers import lines_matching

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
REACHING_PAST = re.compile(r"\buow\.(session|connection)\b|\.session\.(execute|scalar|scalars)\(")


def reaching_past(root: Path) -> list[str]:
    """Every line under `root` that uses the session directly."""
    return lines_matching(root, REACHING_PAST)


def test_no_use_case_reaches_past_the_named_queries():
    found = reaching_past(HANDLERS)
    assert not found, "name these queries in store/queries/:\n" + "\n".join(found)


def test_the_check_finds_a_session(tmp_path):
    pkg = tmp_path / "handlers"
    pkg.mkdir()
    (pkg / "use_case.py").write_text("a = uow.get(X, 1)\nb = uow.session.scalar(q)\n")
    assert reaching_past(pkg) == ["handlers/use_case.py:2: b = uow.session.scalar(q)"]
