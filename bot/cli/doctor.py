"""`perfbot doctor`: check the install and say, one line each, what is wrong and the fix.
Exits 1 when any check failed, so a deploy pipeline can stop on it."""

from __future__ import annotations

from collections.abc import Sequence

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import emit, quiet_retries
from bot.config import Settings
from bot.doctor.finding import FAIL, OK, WARN, Finding


def _text(findings: Sequence[Finding]) -> str:
    lines = [
        st.DOCTOR_LINE.format(status=st.DOCTOR_STATUS[f.status], what=f.what)
        + (st.DOCTOR_FIX.format(fix=f.fix) if f.fix and f.status != OK else "")
        for f in findings
    ]
    counts = {s: sum(1 for f in findings if f.status == s) for s in (OK, WARN, FAIL)}
    summary = st.DOCTOR_SUMMARY.format(failed=counts[FAIL], warned=counts[WARN], passed=counts[OK])
    return "\n".join([*lines, summary])


@cl.command("doctor", help=ht.DOCTOR)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 300),
    help=ht.DOCTOR_TIMEOUT,
)  # fmt: skip
@click.option("--db", "db", envvar="DATABASE_URL", default=None, help=ht.DB_OPTION)
def doctor(as_json: bool, timeout: float, db: str | None) -> None:

    from bot.doctor.diagnose import diagnose  # here: bot.doctor reads this package's strings

    def make() -> Settings:
        s = Settings()
        return s.model_copy(update={"database_url": db}) if db else s

    with quiet_retries():
        findings = diagnose(make, timeout)
    failed = any(f.failed for f in findings)
    data = {"ok": not failed, "checks": [vars(f) for f in findings]}
    emit(data, as_json, lambda: _text(findings))
    if failed:
        raise SystemExit(1)


COMMANDS = [doctor]
