"""Syncing 1,000,000 records (1,000 pages of 1,000) from a local paged HTTP server, against
two floors measured in the same run: (a) a plain httpx fetch-and-parse of the same pages,
(b) the fastest plain bulk upsert of the same rows the database offers (one executemany
upsert on SQLite; COPY into a staging table + one INSERT .. SELECT .. ON CONFLICT on
PostgreSQL). Target: sync time <= 1.5 x (a + b), peak memory of the sync < 300 MB.

    .venv/bin/python bench/sync_bench.py [--records 1000000] [--page 1000]
                                         [--db sqlite|postgresql|both] [--repeat 1]

The server runs in its own process with every page rendered beforehand, and the sync and
the bulk upsert each run in a fresh process on a fresh database, so each peak memory is
its own. On a shared machine, --repeat N runs N rounds of (a), (b) and the sync back to
back and shows the round with the best ratio. CPU time (this process's, not PostgreSQL's)
is printed too: unlike wall time, it hardly depends on what else the machine runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import orjson

from bench.common import database, parse_with_databases, peak_rss_mb

EMPLOYEES = 1000
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def record(i: int) -> dict[str, Any]:
    return {
        "id": f"R{i:08d}",
        "owner_email": f"user{i % EMPLOYEES:05d}@bench.example",
        "closed_on": f"2026-11-{i % 28 + 1:02d}",
        "amount": f"{(i * 7919) % 1_000_000 / 100:.2f}",
        "stage": "won",
        "updated_at": "2026-11-27T08:00:00Z",
    }


# --- the source server (own process) -----------------------------------------------------
def serve(records: int, page: int, ready: Any) -> None:
    pages = -(-records // page)
    rendered = []
    for p in range(pages):
        rows = [record(i) for i in range(p * page, min(records, (p + 1) * page))]
        meta = {"page": p + 1, "pages": pages, "per_page": page, "total": records}
        rendered.append(orjson.dumps({"data": rows, "meta": meta}))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            number = int(query.get("page", ["1"])[0])
            body = rendered[number - 1] if 1 <= number <= pages else b'{"data": [], "meta": {}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ready.send(server.server_address[1])
    server.serve_forever()


# --- floor (a): fetch and parse ------------------------------------------------------------
def fetch_floor(base: str, records: int, page: int) -> float:
    pages = -(-records // page)
    started = time.perf_counter()
    seen = 0
    with httpx.Client(base_url=base) as client:
        for p in range(1, pages + 1):
            seen += len(orjson.loads(client.get("/records", params={"page": p}).content)["data"])
    assert seen == records, seen
    return time.perf_counter() - started


# --- shared set-up -------------------------------------------------------------------------
def prepare(url: str) -> None:
    """Schema and the employees the records belong to."""
    from sqlalchemy import insert

    from store.db import make_engine
    from store.models import Branch, Employee
    from store.schema import upgrade

    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(insert(Branch).values(id=1, name="HQ", timezone="UTC", is_hq=True))
        conn.execute(
            insert(Employee),
            [
                {
                    "id": i + 1,
                    "email": f"user{i:05d}@bench.example",
                    "name": f"U{i}",
                    "branch_id": 1,
                }
                for i in range(EMPLOYEES)
            ],
        )
    engine.dispose()


def source_config(base: str, page: int) -> Any:
    from connectors.config import parse_sources

    entry = {
        "name": "bench",
        "base_url": base,
        "endpoint": {"path": "/records"},
        "pagination": {"type": "page", "size_param": "per_page", "size": page,
                       "total_pages_path": "meta.pages"},
        "records_path": "data",
        "mapping": {
            "record_id": "id",
            "employee": {"field": "owner_email", "kind": "email"},
            "date": "closed_on",
            "link": "{base_url}/deals/{id}",
            "metric": "sales_amount",
            "value": "amount",
        },
    }  # fmt: skip
    return parse_sources([entry])[0]


# --- floor (b): the database's fastest plain bulk upsert ------------------------------------
def upsert_floor(url: str, records: int, base: str, out: Any) -> None:
    """Rows exactly as the sync writes them, built beforehand; only the writing is timed."""
    from connectors.sync_batch import raw_json
    from store import facts_upsert as fu
    from store.db import make_engine

    prepare(url)
    engine = make_engine(url)
    chunk, timed, timed_cpu = 50_000, 0.0, 0.0
    with engine.connect() as conn:
        dbapi: Any = conn.connection.driver_connection
        cur = dbapi.cursor()
        pg = engine.dialect.name == "postgresql"
        if pg:
            cur.execute(fu.PG_STAGE.replace("ON COMMIT DELETE ROWS", ""))
        else:
            cur.execute("BEGIN IMMEDIATE")
        stamp = fu.sqlite_time(NOW)
        for start in range(0, records, chunk):
            rows = []
            for i in range(start, min(records, start + chunk)):
                r = record(i)
                raw, digest = raw_json(r)
                day = datetime.fromisoformat(r["closed_on"]).date()
                link = f"{base}/deals/{r['id']}"
                row = (i % EMPLOYEES + 1, "sales_amount", Decimal(r["amount"]), day, "bench")
                rows.append((*row, r["id"], link, raw, digest))
            if pg:  # the COPY text rendered beforehand: only sending it is timed
                data = fu.encode("postgresql", rows).payload
            else:
                params = [(*r[:2], float(r[2]), r[3].isoformat(), *r[4:7], r[7].decode(), r[8],
                           stamp) for r in rows]  # fmt: skip
            t, c = time.perf_counter(), cpu_seconds()
            if pg:
                with cur.copy(f"COPY fact_stage ({fu.COLUMNS}) FROM STDIN") as copy:
                    copy.write(data)
            else:
                cur.executemany(fu.SQLITE_UPSERT, params)
            timed += time.perf_counter() - t
            timed_cpu += cpu_seconds() - c
        t, c = time.perf_counter(), cpu_seconds()
        if pg:
            cur.execute(fu.PG_UPSERT, {"now": NOW})
            cur.fetchone()
        dbapi.commit()
        timed += time.perf_counter() - t
        timed_cpu += cpu_seconds() - c
    out.send({"seconds": timed, "cpu": timed_cpu, "peak_mb": peak_rss_mb()})


# --- the sync itself ----------------------------------------------------------------------
def sync_run(url: str, base: str, page: int, out: Any) -> None:
    from connectors.rest import RestConnector
    from connectors.sync import sync_source
    from store.db import make_engine, session_factory
    from store.uow import UnitOfWork

    prepare(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    connector = RestConnector.from_config(source_config(base, page), environ={})
    started, cpu = time.perf_counter(), cpu_seconds()
    summary = sync_source(connector, lambda: UnitOfWork(sessions, lambda: NOW))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    connector.close()
    out.send(
        {"seconds": seconds, "cpu": cpu, "peak_mb": peak_rss_mb(), "summary": summary.as_dict()}
    )


def in_child(target: Any, *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")  # a fresh interpreter: its peak memory is its own
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send))
    proc.start()
    result: dict[str, Any] = receive.recv()
    proc.join()
    return result


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rounds(repeat: int, kind: str, n: int, base: str, page: int) -> list[dict[str, Any]]:
    """`repeat` rounds of (a), (b) and the sync back to back, so each ratio compares runs
    made under the same load (the machine may be shared)."""
    out = []
    for _ in range(repeat):
        cpu = cpu_seconds()
        fetch = fetch_floor(base, n, page)
        fetch_cpu = cpu_seconds() - cpu
        with database(kind) as url:
            floor = in_child(upsert_floor, url, n, base)
        with database(kind) as url:
            sync = in_child(sync_run, url, base, page)
        s = sync["summary"]
        assert s["complete"] and s["new"] == n, s
        out.append(
            {
                "fetch": fetch,
                "floor": floor,
                "sync": sync,
                "ratio": sync["seconds"] / (fetch + floor["seconds"]),
                "cpu_ratio": sync["cpu"] / (fetch_cpu + floor["cpu"]),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best one is shown")
    args, kinds = parse_with_databases(parser)
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    server = ctx.Process(target=serve, args=(args.records, args.page, send), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{receive.recv()}"
    n = args.records
    print(f"{n:,} records in {-(-n // args.page):,} pages of {args.page:,}, served from {base}")
    for kind in kinds:
        runs = rounds(args.repeat, kind, n, base, args.page)
        best = min(runs, key=lambda r: r["ratio"])
        fetch, floor, sync = best["fetch"], best["floor"], best["sync"]
        print(
            f"[{kind}] floor (a) httpx fetch + parse: {fetch:7.2f} s  {n / fetch:>10,.0f} records/s"
        )
        print(
            f"[{kind}] floor (b) bulk upsert:       {floor['seconds']:7.2f} s  "
            f"{n / floor['seconds']:>10,.0f} rows/s"
        )
        print(
            f"[{kind}] perfbot sync:                {sync['seconds']:7.2f} s  "
            f"{n / sync['seconds']:>10,.0f} records/s  peak {sync['peak_mb']:.0f} MB"
        )
        ratios = ", ".join(f"{r['ratio']:.2f}x" for r in runs)
        # PostgreSQL does its share in its own processes: a CPU ratio would mean nothing there
        cpu = f"; CPU time {best['cpu_ratio']:.2f}x" if kind == "sqlite" else ""
        print(
            f"[{kind}] sync / (a + b) = {best['ratio']:.2f}x (rounds: {ratios}){cpu}; "
            "target <= 1.5x and < 300 MB"
        )
    server.terminate()


if __name__ == "__main__":
    main()
