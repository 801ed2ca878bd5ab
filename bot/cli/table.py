"""Every text table the CLI prints: a header row, then columns padded to their widest cell."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from unicodedata import east_asian_width

GAP = "  "


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], right: Collection[int] = ()
) -> str:
    """Rows under their headers, aligned; columns in `right` (numbers) align right."""
    cells = [[str(h) for h in headers], *([_cell(c) for c in row] for row in rows)]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    last = len(headers) - 1

    def line(row: list[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (w - width(c))
            out.append(pad + c if i in right else (c if i == last else c + pad))
        return GAP.join(out).rstrip()

    return "\n".join(line(r) for r in cells)


def width(text: str) -> int:
    """Columns a terminal gives the text: a Chinese character takes two."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object) -> str:
    return "—" if value is None or value == "" else str(value)
