"""One Slack /score answer in-process: what `bench/slack_load.py` measures, without HTTP.

The Slack app exactly as `perfbot serve slack` builds it (bot/slack/server.build_slack, its
reads on the event loop's kept connection), on a SQLite company of N linked sales reps
(bench/slack_load.populate). `SlackApp._answer` for distinct people, one at a time: who
they are, the use case and the rendered blocks. Milliseconds per answer, best of the
rounds, the first touch of each person (who they are read from the database) and again
with the app's short cache of people; `--profile` prints cProfile's top functions.

    .venv/bin/python bench/score_answer.py [--employees 3000] [--people 1500]
        [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database
from bench.slack_load import populate
from handlers.commands import Score


def build(url: str) -> Any:
    """The Slack app of `perfbot serve slack` on this database (no request reaches Slack)."""
    from bot.cli.common import runtime
    from bot.slack.server import build_slack

    os.environ.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench-signing-secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",  # never called: everyone is linked
    )
    app, _ = build_slack(runtime(url), http=True)
    return app


def answer_all(app: Any, users: list[str]) -> float:
    """Seconds to answer /score for each of `users`, one after another."""
    started = time.perf_counter()
    for user in users:
        app._answer(user, Score(), app._loop_uow)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=3_000)
    parser.add_argument("--people", type=int, default=1_500, help="distinct people timed")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one round")
    args = parser.parse_args()
    with database("sqlite") as url:
        users = populate(url, args.employees)
        app = build(url)
        people, others = users[: args.people], users[args.people :]
        answer_all(app, others[:200])  # warm up: imports, caches, the kept connection
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(answer_all, app, people)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        first = cached = float("inf")
        for _ in range(args.rounds):
            app.users._actors.clear()  # each person read afresh, then from the cache
            first = min(first, answer_all(app, people))
            cached = min(cached, answer_all(app, people))
        per = 1000 / len(people)
        print(
            f"/score in-process, {len(people):,} distinct people of {len(users):,},"
            f" best of {args.rounds}: {first * per:.3f} ms per answer (first touch),"
            f" {cached * per:.3f} ms (people cached)"
        )


if __name__ == "__main__":
    main()
