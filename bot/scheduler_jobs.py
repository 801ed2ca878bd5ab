"""What each scheduled job does, and the ledger of job runs.

The persistent job store keeps each job as a reference to `run_job` (stored as the text
`bot.scheduler_jobs:run_job`, so this module must stay where it is) plus plain arguments;
the functions here reach the runtime through the context the leading scheduler installs
(one per process). Every job is an imported function in JOBS, so the import contracts
see each arrow.
"""

from __future__ import annotations

import inspect
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from bot import audit_job, backup_job, directory_job, logs
from bot import strings as bs
from bot.runtime import Runtime
from connectors.sync import SyncReport
from handlers import strings as t
from handlers.appeals.correction_watch import watch_corrections
from handlers.appeals.sla import check_appeal_slas
from handlers.closing.auto_close import close_or_tell_hr
from handlers.closing.preview import ClosePolicy
from handlers.format import plural
from handlers.nudges.sweep import run_sweep
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.ratings.reminders import RatingPolicy, send_rating_cards
from said import Said
from store.retention import purge_source_records

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    runtime: Runtime
    sweep: SweepPolicy
    sync_all: Callable[..., Any] | None


_ctx: JobContext | None = None


def install(ctx: JobContext | None) -> None:
    """Set (or clear) the context the jobs of this process run with."""
    global _ctx
    _ctx = ctx


def job_id(kind: str, arg: int | None = None) -> str:
    return kind if arg is None else f"{kind}:{arg}"


def run_job(kind: str, arg: int | None = None) -> str:
    """Entry point of every scheduled job: run it between two ledger entries."""
    ctx = _ctx
    if ctx is None:
        log.warning("job %s fired with no scheduler context; skipped", job_id(kind, arg))
        return "skipped"
    with logs.bound(job=job_id(kind, arg)):
        jid = _start(ctx.runtime, job_id(kind, arg))
        try:
            outcome = JOBS[kind](ctx, arg)
        except Exception as exc:
            log.exception("job %s failed", jid)
            _finish(ctx.runtime, jid, "error", f"{type(exc).__name__}: {exc}")
            return "error"
        _finish(ctx.runtime, jid, "ok", None)
        log.info("job %s: %s", jid, outcome)
        return str(outcome)


def _start(rt: Runtime, jid: str) -> str:
    with rt.uow() as uow:
        uow.jobs.start_run(jid, uow.clock())
        uow.commit()
    return jid


def _finish(rt: Runtime, jid: str, status: str, error: str | None) -> None:
    with rt.uow() as uow:
        uow.jobs.finish_run(jid, uow.clock(), status, error)
        uow.commit()


def unfinished(rt: Runtime, within: timedelta) -> list[str]:
    """Jobs whose last run started within `within` and never finished (its process died)."""
    with rt.uow() as uow:
        return uow.jobs.unfinished_runs(uow.clock() - within)


def _call(fn: Callable[..., Any], deps: dict[str, Any]) -> Any:
    """Call with the dependencies its signature names (as the command dispatcher does)."""
    params = inspect.signature(fn).parameters
    return fn(**{name: deps[name] for name in params if name in deps})


def _deps(rt: Runtime) -> dict[str, Any]:
    s = rt.settings
    return {"uow": rt.uow, "clock": rt.clock, "engine": rt.engine, "settings": s,
            "sources": s.sources, "scoring": rt.scoring, "setup": rt.scoring}  # fmt: skip


def _sync(ctx: JobContext, _: int | None) -> str:
    """Pull every configured source, then re-score the open periods."""
    rt = ctx.runtime
    if ctx.sync_all is None or rt.settings.sources is None:
        synced = "no sources configured"
    else:
        report = _call(ctx.sync_all, _deps(rt))
        if isinstance(report, SyncReport):  # a test's stand-in may answer something else
            rt.metrics.record_sync(report)
        synced = f"synced ({report})"
        told = watch_corrections(rt.uow(), rt.scoring, actor="scheduler")
        synced += f"; {plural(told, t.CHANGED_FIGURES)}" if told else ""
    return f"{synced}; {_score(ctx, None)}"


def _score(ctx: JobContext, _: int | None) -> str:
    from handlers.scores.compute import score_all

    rt = ctx.runtime
    with rt.uow() as uow:
        keys = uow.jobs.open_period_keys()
    runs = [score_all(key, uow=rt.uow(), setup=rt.scoring) for key in keys]
    return (
        "scored " + ", ".join(f"{r.period}: {r.scored}" for r in runs) if runs else "no open period"
    )


def _sweep(ctx: JobContext, branch_id: int | None) -> str:
    rt = ctx.runtime
    ids = None if branch_id is None else [branch_id]
    report = run_sweep(uow=rt.uow(), scoring=rt.scoring, policy=ctx.sweep, branch_ids=ids)
    results = Counter(f.decision for f in report.findings)
    rt.metrics.record_sweep({**results, "skipped": len(report.skipped)})
    skipped = "; ".join(f"{s.branch} {s.reason}" for s in report.skipped)
    return f"{report.count('nudge')} nudged, {report.count('recovered')} recovered" + (
        f" (skipped: {skipped})" if skipped else ""
    )


def _appeal_sla(ctx: JobContext, _: int | None) -> str:
    rt = ctx.runtime
    deps = _deps(rt) | {
        "remind_after_days": rt.settings.appeal_remind_days,
        "escalate_after_days": rt.settings.appeal_escalate_days,
    }
    return str(_call(check_appeal_slas, deps))


def _ratings(ctx: JobContext, _: int | None) -> str:
    """Rating cards near each period's end, then reminders (each once per manager)."""
    rt = ctx.runtime
    s = rt.settings
    policy = RatingPolicy(
        card_days=s.rating_card_days,
        remind_days=s.rating_remind_days,
        at=time.fromisoformat(s.nudge.at),  # the branch's morning, as for nudges
        holidays=ctx.sweep.holidays,
    )
    return str(send_rating_cards(uow=rt.uow, scoring=rt.scoring, policy=policy))


def _period_close(ctx: JobContext, _: int | None) -> str:
    """Close the open periods that ended more than `close_after_days` days ago; one that
    may not close (no scores, too little coverage) stays open and HR is told, once a day."""
    rt = ctx.runtime
    after = rt.settings.scheduler.close_after_days
    if after <= 0:
        return "period close not enabled"
    with rt.uow() as uow:
        cutoff = uow.clock().date() - timedelta(days=after)
        keys = uow.jobs.period_keys_ended_before(cutoff)
    policy = ClosePolicy(rt.settings.close_min_coverage)
    done = [close_or_tell_hr(k, uow=rt.uow(), scoring=rt.scoring, policy=policy) for k in keys]
    return "; ".join(done) if done else "nothing to close"


def _directory(ctx: JobContext, _: int | None) -> str:
    """Load the organisation from the HR directory; a failure leaves it as it was and
    marks the run an error in the ledger."""
    run = directory_job.run_directory_sync(ctx.runtime)
    return directory_job.text(run).replace("\n  - ", "; ")


def _audit_anchor(ctx: JobContext, _: int | None) -> str:
    """Anchor the audit chain's head in the anchor file (outside the database)."""
    path = ctx.runtime.settings.audit.anchor_file
    if path is None:
        return "no anchor file configured"
    done = audit_job.anchor(ctx.runtime, path)
    if done is None:
        raise RuntimeError(Said(bs.AUDIT_NOT_ANCHORED))
    return f"anchored {done.count} events"


def _retention(ctx: JobContext, _: int | None) -> str:
    """Delete source records older than PERFBOT_RETENTION_FACT_DAYS (store/retention.py)."""
    rt = ctx.runtime
    days = rt.settings.retention.fact_days
    if days is None:
        return "retention not configured"
    with rt.uow() as uow:
        done = purge_source_records(uow, days, actor="scheduler")
        uow.commit()
    return f"deleted {done.facts} facts and {done.unmatched} unmatched records before {done.before}"


def _backup(ctx: JobContext, _: int | None) -> str:
    """Back the database up into PERFBOT_BACKUP_DIR and keep the newest PERFBOT_BACKUP_KEEP."""
    done = backup_job.run_backup(ctx.runtime)
    if done is None:
        return "backups not configured"
    written, removed = done
    return (
        f"backed up {written.counts.total} rows of {len(written.counts.rows)} tables to "
        f"{written.path}; deleted {len(removed)} older"
    )


JOBS: dict[str, Callable[[JobContext, int | None], str]] = {
    "sync": _sync,
    "score": _score,
    "sweep": _sweep,
    "appeal_sla": _appeal_sla,
    "ratings": _ratings,
    "period_close": _period_close,
    "audit_anchor": _audit_anchor,
    "retention": _retention,
    "directory": _directory,
    "backup": _backup,
}
