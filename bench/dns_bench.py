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
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.cli import main
from store.db import make_engine
from store.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
ERRORS = {
    "noname": (socket.EAI_NONAME, "Name or service not known"),
    "again": (socket.EAI_AGAIN, "Temporary failure in name resolution"),
}
# The example sources' secrets: any value will do, no request gets past the resolver.
SECRETS = ("HUBSPOT_TOKEN", "ZENDESK_USERNAME", "ZENDESK_API_TOKEN", "ERP_API_KEY", "JIRA_EMAIL",
           "JIRA_API_TOKEN", "ATTENDANCE_CLIENT_ID", "ATTENDANCE_CLIENT_SECRET")  # fmt: skip


@contextlib.contextmanager
def unresolvable(errno: int, text: str) -> Any:
    """Every name but loopback fails to resolve with `errno`; yields the look-ups by host."""
    real, looked_up = socket.getaddrinfo, Counter[str]()

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in LOOPBACK:
            return real(host, *args, **kwargs)
        looked_up[name] += 1
        raise socket.gaierror(errno, text)

    socket.getaddrinfo = fake  # type: ignore[assignment]
    try:
        yield looked_up
    finally:
        socket.getaddrinfo = real  # type: ignore[assignment]


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
        with unresolvable(errno, text) as looked_up:
            code, seconds, out = perfbot(*command, "--db", db)
        every = command[0] == "sync"  # all of sync's lines; the doctor's about sources
        lines = [ln for ln in out.splitlines() if every or "source" in ln or " sync " in ln]
        lookups = ", ".join(f"{host} x{n}" for host, n in sorted(looked_up.items()))
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
