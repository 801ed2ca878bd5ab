"""Every benchmark script still imports and parses its arguments (the benches are not part of
the suite, so a helper renamed in bench/common.py once broke one silently)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(
    p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in ("__init__", "common")
)


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_bench_imports(name: str):
    importlib.import_module(f"bench.{name}")


@pytest.mark.parametrize("name", [n for n in SCRIPTS if n != "score_baseline"])
def test_a_bench_answers_help(name: str):
    done = subprocess.run(
        [sys.executable, f"bench/{name}.py", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "usage:" in done.stdout, done.stderr
