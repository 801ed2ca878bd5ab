"""One line of `perfbot doctor`: a check's verdict, what it found and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True)
class Finding:
    """`check` names the check (database, slack, source:crm, ...); `fix` is empty when ok."""

    check: str
    status: str  # OK, WARN or FAIL
    what: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAIL
