"""Every text table the CLI prints: a header row, then columns padded to their widest cell."""

from __future__ import annotations

from collections.abc import Collection, Sequence

GAP = "  "


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], right: Collection[int] = ()
) -> str:
    """Rows under their headers, aligned; columns in `right` (numbers) align right."""
    cells = [[str(h) for h in headers], *([_cell(c) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    last = len(headers) - 1

    def line(row: list[str]) -> str:
        out = [
            c.rjust(w) if i in right else (c if i == last else c.ljust(w))
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return GAP.join(out).rstrip()

    return "\n".join(line(r) for r in cells)


def _cell(value: object) -> str:
    return "—" if value is None or value == "" else str(value)
