"""`perfbot scheduler` for the fail-over test, with its clock set to a chosen working day.

Everything but the clock is the real command: settings from the environment, the
configured deliverers, election, jobs and dispatch (bot.cli.scheduler.run_until_signalled).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime


def main() -> None:
    import bot.cli  # noqa: F401  (registers every command module, bot.cli.scheduler included)
    from bot.bootstrap import build
    from bot.cli.common import settings_for
    from bot.cli.scheduler import run_until_signalled

    offset = datetime.fromisoformat(sys.argv[1]) - datetime.now(UTC)
    # settings_for, as the command does: it also sets up the process's logging.
    rt = build(settings_for(None), clock=lambda: datetime.now(UTC) + offset)
    run_until_signalled(rt, console=False)


if __name__ == "__main__":
    main()
