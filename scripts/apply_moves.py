"""Rewrite module paths in the given files by MOVES.txt (`old.dotted new.dotted` a line).

Dotted uses anywhere in the text (`from X import`, `import X`, "X:func" import strings,
"X.name" mock paths) and file paths (`handlers/x.py` in comments and docs) are rewritten;
`from handlers import x` becomes `from handlers.pkg import y as x`. Running it twice changes
nothing. Then run `ruff check --select I --fix` and `ruff format` on the same files.
Run it on code written against the old layout (before merging): where a package took an old
module's name (`handlers.scores`, `handlers.praise`), a bare name is taken as the old module.

    python scripts/apply_moves.py [--moves MOVES.txt] FILE...
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path


def read_moves(path: Path) -> dict[str, str]:
    """The old -> new dotted paths, one `old new` pair a line (# starts a comment)."""
    moves: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            old, new = line.split()
            moves[old] = new
    return moves


def rewriter(moves: dict[str, str]) -> Callable[[str], str]:
    """A function text -> text applying every move in one pass."""
    news = set(moves.values())
    # Longest first, so `a.b_c` is tried before `a.b`; never inside a longer dotted name.
    olds = sorted(moves, key=len, reverse=True)
    dotted = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(o) for o in olds) + r")(?!\w)((?:\.\w+)*)"
    )
    slashed = {o.replace(".", "/") + ".py": n.replace(".", "/") + ".py" for o, n in moves.items()}
    by_length = sorted(slashed, key=len, reverse=True)
    slash = re.compile(r"(?<![\w./])(" + "|".join(re.escape(o) for o in by_length) + ")")
    parents = {o.rsplit(".", 1)[0] for o in moves}
    from_pkg = re.compile(
        r"^([ \t]*)from (" + "|".join(re.escape(p) for p in parents) + r") import ([^(\n]+)$",
        re.M,
    )

    imported = re.compile(r"[ \t]+import[ \t]+(\w+)")

    def dotted_sub(m: re.Match[str]) -> str:
        old, tail = m.group(1), m.group(2)
        # Already a new path (e.g. `handlers.scores.compute` for old `handlers.scores`)?
        parts = tail.split(".")[1:]
        for i in range(len(parts), 0, -1):
            if ".".join([old, *parts[:i]]) in news:
                return m.group(0)
        # ... or `from handlers.scores import compute`?
        named = imported.match(m.string, m.end())
        if not tail and named and f"{old}.{named.group(1)}" in news:
            return m.group(0)
        return moves[old] + tail

    def from_pkg_sub(m: re.Match[str]) -> str:
        indent, parent, names = m.group(1), m.group(2), m.group(3)
        kept: list[str] = []
        lines: list[str] = []
        for item in (n.strip() for n in names.split(",")):
            name, _, alias = item.partition(" as ")
            old = f"{parent}.{name.strip()}"
            if old not in moves:
                kept.append(item)
                continue
            new_parent, new_name = moves[old].rsplit(".", 1)
            local = alias.strip() or name.strip()
            suffix = "" if local == new_name else f" as {local}"
            lines.append(f"{indent}from {new_parent} import {new_name}{suffix}")
        if kept:
            lines.insert(0, f"{indent}from {parent} import {', '.join(kept)}")
        return "\n".join(lines)

    def apply(text: str) -> str:
        text = dotted.sub(dotted_sub, text)
        text = from_pkg.sub(from_pkg_sub, text)
        return slash.sub(lambda m: slashed[m.group(1)], text)

    return apply


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=Path, default=Path(__file__).parent.parent / "MOVES.txt")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    apply = rewriter(read_moves(args.moves))
    changed = 0
    for path in args.files:
        try:
            text = path.read_text()
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        new = apply(text)
        if new != text:
            path.write_text(new)
            changed += 1
            print(f"rewrote {path}")
    print(f"{changed} file(s) changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
