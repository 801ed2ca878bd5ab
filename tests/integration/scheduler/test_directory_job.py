"""The scheduler's `directory` job: scheduled when a directory is configured, and a run
deactivates whom the SCIM directory marks inactive (a failed run is an error in the ledger)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot import scheduler_jobs as jobs
from bot.scheduler import desired_jobs
from handlers.nudges.sweep_calendar import SweepPolicy
from store.models import Employee, JobRun
from tests.integration.connectors.fake_scim import TOKEN, FakeScim
from tests.integration.connectors.test_directory_sync import company, config


def test_the_directory_job_is_scheduled_and_deactivates_leavers(
    runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCIM_TOKEN", TOKEN)
    assert "directory" not in [j.id for j in desired_jobs(runtime)]
    with FakeScim() as scim:
        company(scim)
        path = config(tmp_path, scim)
        runtime.settings = runtime.settings.model_copy(update={"directory": path})
        every = {j.id: j.trigger for j in desired_jobs(runtime)}["directory"]
        assert every.interval.total_seconds() == 60 * 60
        jobs.install(jobs.JobContext(runtime, SweepPolicy(), None))
        try:
            assert jobs.run_job("directory").startswith(
                "6 directory users: created 10, updated 0, unchanged 0; SCIM user u6"
            )
            scim.set("u4", active=False)
            assert "deactivated 1 (bo.wu@acme.example)" in jobs.run_job("directory")
            scim.fail("/Users", 400)
            assert jobs.run_job("directory") == "error"
        finally:
            jobs.install(None)
    with runtime.uow() as uow:
        bo = uow.session.scalar(select(Employee).where(Employee.email == "bo.wu@acme.example"))
        run = uow.session.get(JobRun, "directory")
    assert bo is not None and bo.active is False
    assert run is not None and run.status == "error" and "HTTP 400" in (run.error or "")
