"""Each scheduler job's log lines carry its job id (bot/logs.py), failures included."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import logs
from bot import scheduler_jobs as jobs
from handlers.nudges.sweep_calendar import SweepPolicy


def test_a_jobs_lines_carry_its_id(runtime, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.filters = [logs.ContextFilter()]
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("bot.scheduler_jobs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # setLevel, not the attribute: it clears the level cache

    def broken(ctx: jobs.JobContext, arg: int | None) -> str:
        raise RuntimeError("source down")

    monkeypatch.setitem(jobs.JOBS, "broken", broken)
    jobs.install(jobs.JobContext(runtime, SweepPolicy(), None))
    try:
        assert jobs.run_job("appeal_sla") != "error"
        assert jobs.run_job("broken", 7) == "error"
    finally:
        jobs.install(None)
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["job_id"], r["level"]) for r in lines] == [
        ("appeal_sla", "INFO"),
        ("broken:7", "ERROR"),
    ]
    assert "RuntimeError: source down" in lines[1]["exception"]
    assert logs.job_id.get() is None, "the id does not outlive the job"
