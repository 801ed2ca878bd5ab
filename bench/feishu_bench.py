"""Feishu over HTTP: `/score` events to perfbot's Feishu app against a bare handler on the
same stack.

Both are served the same way (the one serving shell: uvicorn, the POST /feishu/events
route that decrypts, checks the signature, its age and the token) and both answer through
the same SDK call (im/v1/messages/:id/reply) to a fake Open API on loopback; the bare
handler replies a fixed card without touching the database. Each event comes from a
different linked person of an N-employee company, encrypted and signed as Feishu sends it.
A run ends when every event has been answered (the reply has reached the fake API), so
the figure is answered events per second, and the ratio is perfbot's over the bare one's
in the same run.

    .venv/bin/python bench/feishu_bench.py [--employees 3000] [--events 600]
        [--concurrency 20] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import socket
import statistics
import sys
import threading
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.common import database, demo_with_reps, parse_with_databases
from bot.feishu.api import FeishuApi
from bot.feishu.deliver import FeishuDeliverer
from bot.feishu.parse import envelope, message
from bot.feishu.render import card
from bot.feishu.server import events_route, keys, started
from bot.serve import Face, serve
from handlers.cards import Card
from tests.e2e.feishu.conftest import feishu_settings
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_open_api import BOT_OPEN_ID, FakeFeishu

ROUNDS = 3


class Bare:
    """Parses the message and replies a fixed card: the platform's cost, none of perfbot's."""

    def __init__(self, api: FeishuApi) -> None:
        self.api = api
        self.reply = card(Card("Score", lines=("Total: 92%",)))
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, body: Mapping[str, Any]) -> dict[str, Any]:
        env = envelope(body)
        m = message(env.event, BOT_OPEN_ID) if env else None
        if m is not None:
            task = asyncio.ensure_future(self.api.reply(m.message_id, self.reply))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return {}


@asynccontextmanager
async def bare_face(rt: Any) -> AsyncIterator[Face]:
    api = FeishuApi(rt.settings.feishu)
    await api.check()
    bare = Bare(api)
    yield Face(bare, FeishuDeliverer(api), [events_route(bare, keys(rt.settings.feishu))])


def served(rt: Any, face: Any) -> tuple[str, threading.Thread, asyncio.AbstractEventLoop, Any]:
    """Serve `face` in a thread on a free port; (url, thread, loop, stop event)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    held: dict[str, Any] = {}
    ready = threading.Event()

    def run() -> None:
        loop = asyncio.new_event_loop()
        held["loop"] = loop

        async def main() -> None:
            held["stop"] = asyncio.Event()
            await serve(rt, face, listen=("127.0.0.1", 0), sockets=[sock], outbox=False,
                        on_ready=lambda *_: ready.set(), stop=held["stop"])  # fmt: skip

        loop.run_until_complete(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(30):
        raise SystemExit("the server did not start")
    time.sleep(0.3)  # uvicorn's on_ready comes just before it accepts
    return f"http://127.0.0.1:{sock.getsockname()[1]}", thread, held["loop"], held["stop"]


async def fire(url: str, bodies: list[tuple[bytes, dict[str, str]]], concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(raw: bytes, headers: dict[str, str]) -> None:
            async with gate:
                resp = await client.post("/feishu/events", content=raw, headers=headers)
                resp.raise_for_status()

        await asyncio.gather(*(one(r, h) for r, h in bodies))


def run_round(url: str, fake: FakeFeishu, users: list[str], count: int, concurrency: int) -> float:
    """Answered events per second: from the first POST to the last reply at the fake."""
    bodies = [ev.seal(ev.message(users[i % len(users)], "/score")) for i in range(count)]
    before = len(fake.called("/reply"))
    started_at = time.perf_counter()
    asyncio.run(fire(url, bodies, concurrency))
    deadline = time.monotonic() + 300
    while len(fake.called("/reply")) - before < count:
        if time.monotonic() > deadline:
            raise SystemExit("not every event was answered")
        time.sleep(0.005)
    return count / (time.perf_counter() - started_at)


def bench(kind: str, employees: int, count: int, concurrency: int) -> None:
    with database(kind) as url:

        def feishu(n: int, emp: int) -> dict[str, Any]:
            user = f"ou_bench{n:08d}"
            return {"platform": "feishu", "platform_user_id": user, "username": None,
                    "employee_id": emp, "dm_channel": f"oc_p2p_{user}"}  # fmt: skip

        rt, ids = demo_with_reps(url, employees, identity=feishu)
        users = [f"ou_bench{n:08d}" for n in range(len(ids))]
        with FakeFeishu() as fake:
            settings = rt.settings.model_copy(update={"feishu": feishu_settings(fake)})
            rt = dataclasses.replace(rt, settings=settings)
            rates: dict[str, list[float]] = {"bare": [], "perfbot": []}
            for name, face in (("bare", bare_face(rt)), ("perfbot", started(rt, "http"))):
                url_, thread, loop, stop = served(rt, face)
                run_round(url_, fake, users, min(count, 50), concurrency)  # warm up
                for _ in range(ROUNDS):
                    rates[name].append(run_round(url_, fake, users, count, concurrency))
                loop.call_soon_threadsafe(stop.set)
                thread.join(30)
            perfbot, bare = max(rates["perfbot"]), max(rates["bare"])
            print(
                f"{kind:>10}: /score answered {perfbot:,.0f} events/s "
                f"(median {statistics.median(rates['perfbot']):,.0f}) vs the bare handler "
                f"{bare:,.0f} events/s: ratio {perfbot / bare:.2f} "
                f"({employees:,} employees, {count} events x {ROUNDS}, {concurrency} at a time)"
            )
        rt.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=20)
    args, kinds = parse_with_databases(parser, default="sqlite")
    import logging

    logging.disable(logging.WARNING)
    for kind in kinds:
        bench(kind, args.employees, args.events, args.concurrency)


if __name__ == "__main__":
    main()
