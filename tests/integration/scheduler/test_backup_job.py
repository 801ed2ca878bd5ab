"""The scheduler's daily backup: off without PERFBOT_BACKUP_DIR, one file a day named by
perfbot's clock, the newest PERFBOT_BACKUP_KEEP kept and nothing else in the directory
touched; each backup restores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import scheduler_jobs as jobs
from bot.config import BackupSettings
from bot.scheduler import desired_jobs
from handlers.nudges.sweep_calendar import SweepPolicy
from store.backup import inspect_archive
from store.backup.run import target_tables


def _backups(rt: Any, directory: Path | None, keep: int = 7) -> Any:
    rt.settings = rt.settings.model_copy(
        update={"backup": BackupSettings(dir=directory, keep=keep, at="03:15")}
    )
    return rt


def test_the_job_is_scheduled_only_when_a_directory_is_set(demo: Any, tmp_path: Path) -> None:
    assert "backup" not in {j.id for j in desired_jobs(_backups(demo, None))}
    job = next(j for j in desired_jobs(_backups(demo, tmp_path)) if j.id == "backup")
    assert job.kind == "backup" and "hour='3', minute='15'" in str(job.trigger)


def test_without_a_directory_the_job_does_nothing(demo: Any) -> None:
    jobs.install(jobs.JobContext(_backups(demo, None), SweepPolicy(), None))
    try:
        assert jobs.run_job("backup") == "backups not configured"
    finally:
        jobs.install(None)


def test_daily_backups_keep_the_newest_n(demo: Any, clock: Any, tmp_path: Path) -> None:
    rt = _backups(demo, tmp_path / "backups", keep=2)
    (tmp_path / "backups").mkdir()
    foreign = [tmp_path / "backups" / n for n in ("notes.txt", "perfbot-manual.sqlite")]
    for path in foreign:
        path.write_text("not the scheduler's")
    jobs.install(jobs.JobContext(rt, SweepPolicy(), None))
    outcomes = []
    try:
        for _ in range(4):
            outcomes.append(jobs.run_job("backup"))
            clock.now += timedelta(days=1)
    finally:
        jobs.install(None)
    assert all(o.startswith("backed up ") for o in outcomes), outcomes
    assert outcomes[-1].endswith("deleted 1 older") and outcomes[0].endswith("deleted 0 older")
    suffix = ".sqlite" if rt.engine.dialect.name == "sqlite" else ".pgdump"
    days = [(clock.now - timedelta(days=d)).strftime("%Y%m%d") for d in (2, 1)]
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == sorted(
        [p.name for p in foreign]
        + [f"perfbot-{d}T020000Z{suffix}" for d in days]
        + [f"perfbot-{d}T020000Z{suffix}.anchor" for d in days]
    )
    newest = tmp_path / "backups" / f"perfbot-{days[-1]}T020000Z{suffix}"
    archive = inspect_archive(newest)
    live = target_tables(rt.engine).rows
    # The job's own ledger row is the one thing that moves on after the copy is taken.
    assert {n: c for n, c in archive.counts.rows.items() if n != "job_run"} == {
        n: c for n, c in live.items() if n != "job_run"
    }
