"""PNG charts for reports (matplotlib, headless); imported lazily: it is slow to load."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from handlers import strings as t
from handlers.i18n import term

BAND_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828")
MUTED = "#9e9e9e"  # a partial total nothing is projected from: no band to colour it by
# Chinese names and labels need a CJK font: the first of these the host has draws them
# (matplotlib falls back glyph by glyph); without any, they show as boxes.
FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
         "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "SimHei"]  # fmt: skip
# The files of such fonts, by name (fonts-noto-cjk, fonts-wqy-*, Source Han, Windows, macOS).
CJK_FILES = re.compile(r"cjk|wqy|sourcehan|droidsansfallback|simhei|msyh|pingfang", re.I)


def _pyplot() -> Any:
    """pyplot, headless, with the CJK fallback fonts; the warning about a glyph no font
    has is dropped (the chart is still sent)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    # Named one by one: matplotlib falls back glyph by glyph only across the families it
    # is given, and the generic "sans-serif" gives it just the first one the host has.
    plt.rcParams["font.family"] = _families()
    warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
    warnings.filterwarnings("ignore", message="findfont: Font family", category=UserWarning)
    return plt


@cache
def _families() -> list[str]:
    """The FONTS the host has, in order. matplotlib lists fonts once and caches the list on
    disk, so a CJK font installed after that (`apt install fonts-noto-cjk` on a host that
    already drew a chart) is looked for among the system's font files and added."""
    from matplotlib import font_manager

    def known() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    if not known() & set(FONTS[1:]):
        for path in sorted(font_manager.findSystemFonts()):
            if CJK_FILES.search(Path(path).name):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file FreeType can't read
                    continue
    have = known()
    return [f for f in FONTS if f in have] or ["sans-serif"]


def score_distribution(
    names: Sequence[str],
    totals: Sequence[Decimal],
    bands: Sequence[tuple[str, Decimal]],
    title: str,
    *,
    so_far: Sequence[Decimal] | None = None,
    muted: Sequence[bool] | None = None,
) -> bytes:
    """Horizontal bars of each person's total, coloured by band, with band thresholds.

    While a period runs: `totals` are projections and `so_far` the partial totals, drawn
    as thin dark bars inside; `muted` bars (partial totals, nothing projected) are grey.
    """
    ordered = sorted(bands, key=lambda b: b[1], reverse=True)

    def colour(total: Decimal) -> str:
        for i, (_, minimum) in enumerate(ordered):
            if total >= minimum:
                return BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)]
        return BAND_COLOURS[-1]

    with _figure(7, max(2.5, 0.28 * len(names) + 1.2)) as (fig, ax):
        values = [float(v) for v in totals]
        grey = list(muted) if muted is not None else [False] * len(values)
        colours = [MUTED if g else colour(v) for v, g in zip(totals, grey, strict=True)]
        ax.barh(list(names)[::-1], values[::-1], color=colours[::-1])
        if so_far is not None:
            partial = [float(v) for v in so_far][::-1]
            ax.barh(list(names)[::-1], partial, height=0.3, color="#212121", label=t.CHART_SO_FAR)
            ax.legend(loc="lower right", fontsize=7)
        for name, minimum in ordered[:-1]:
            ax.axvline(float(minimum), color="#555", linestyle="--", linewidth=0.8)
            ax.text(float(minimum), len(names) - 0.4, f" {term(name)}", fontsize=7, color="#555")
        ax.set_xlabel(t.CHART_SCORE)
        ax.set_xlim(0, max([120.0, *values]))
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="y", labelsize=7)
        return _png(fig)


def branch_comparison(branches: Sequence[str], averages: Sequence[Decimal], title: str) -> bytes:
    """Average score per branch as bars."""
    with _figure(6, 3) as (fig, ax):
        ax.bar(list(branches), [float(a) for a in averages], color="#1565c0")
        ax.set_ylabel(t.CHART_AVERAGE_SCORE)
        ax.set_title(title, fontsize=10)
        return _png(fig)


@contextmanager
def _figure(width: float, height: float) -> Iterator[tuple[Any, Any]]:
    """A headless matplotlib figure (CJK fallback fonts) and its axes, closed when the block
    ends."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    try:
        yield fig, ax
    finally:
        plt.close(fig)


def _png(fig: Any) -> bytes:
    """The figure, laid out tight, as PNG bytes."""
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
