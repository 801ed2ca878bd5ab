"""`perfbot sync` and `perfbot doctor` over sources whose hosts do not resolve (issue 18).

The resolver is patched (socket.getaddrinfo raises gaierror for every name but loopback),
so no DNS query leaves the machine: `--errno noname` is a name that does not exist,
`--errno again` a resolver that is down for now. Both commands run in this process on a
throwaway SQLite database (the doctor once untimed first, to load its modules); printed:
each command's seconds, exit code, how often each host was looked up (one look-up per
attempt) and the command's lines for the sources.

    .venv/bin/python bench/dns_bench.py [--errno noname|again|both]
        [--sources examples/sources.yaml]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.cli import main
from store.db import make_engine
from store.schema import upgrade
from tests.fakes.resolver import NO_SUCH_NAME, TRY_AGAIN, unresolvable

ROOT = Path(__file__).resolve().parent.parent
ERRORS = {"noname": NO_SUCH_NAME, "again": TRY_AGAIN}
# The example sources' secrets: any value will do, no request gets past the resolver.
SECRETS = ("HUBSPOT_TOKEN", "ZENDESK_USERNAME", "ZENDESK_API_TOKEN", "ERP_API_KEY", "JIRA_EMAIL",
           "JIRA_API_TOKEN", "ATTENDANCE_CLIENT_ID", "ATTENDANCE_CLIENT_SECRET")  # fmt: skip


def perfbot(*args: str) -> tuple[int, float, str]:
    """Exit code, seconds and standard output of one command, run in this process."""
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(list(args), standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, time.perf_counter() - started, out.getvalue()


def bench(kind: str, sources: Path, db: str) -> None:
    errno, text = ERRORS[kind]
    with unresolvable(errno, text):  # untimed: the doctor's modules load on its first run
        perfbot("doctor", "--db", db)
    for command in (["sync", "--config", str(sources)], ["doctor"]):
        with unresolvable(errno, text) as resolver:
            code, seconds, out = perfbot(*command, "--db", db)
        every = command[0] == "sync"  # all of sync's lines; the doctor's about sources
        lines = [ln for ln in out.splitlines() if every or "source" in ln or " sync " in ln]
        lookups = ", ".join(f"{host} x{n}" for host, n in sorted(resolver.lookups.items()))
        print(f"{kind}: perfbot {command[0]}: {seconds:.2f} s, exit {code}; look-ups: {lookups}")
        for ln in lines:
            print(f"    {ln}")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errno", choices=["noname", "again", "both"], default="both")
    parser.add_argument("--sources", type=Path, default=ROOT / "examples" / "sources.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(make_engine(db))
        os.environ.update({name: "bench-secret" for name in SECRETS})
        os.environ["PERFBOT_SCORING"] = str(ROOT / "examples" / "scoring.yaml")
        os.environ["PERFBOT_SOURCES"] = str(args.sources.resolve())
        for kind in ("noname", "again") if args.errno == "both" else (args.errno,):
            bench(kind, args.sources, db)


if __name__ == "__main__":
    cli()
