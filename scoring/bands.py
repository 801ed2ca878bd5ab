"""Bands: named score ranges such as excellent / good / needs_improvement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from said import Said
from scoring import _parse
from scoring import strings as ss


@dataclass(frozen=True)
class Band:
    """A band is reached by any total >= min."""

    name: str
    min: Decimal


def band_for(total: Decimal, bands: Sequence[Band]) -> str:
    """Name of the band with the highest min that `total` reaches.

    A total below every min (possible only through a custom formula) gets the
    lowest band, so every score is banded. Raises ValueError for no bands.
    """
    if not bands:
        raise ValueError("no bands configured")
    ordered = sorted(bands, key=lambda band: band.min, reverse=True)
    for band in ordered:
        if total >= band.min:
            return band.name
    return ordered[-1].name


def parse_bands(raw: object, report: _parse.Report) -> tuple[Band, ...]:
    """Read the `bands:` list; names and mins must be unique and the lowest min <= 0."""
    entries = _parse.items(raw, "bands", report)
    if entries is None:
        return ()
    if not entries:
        report("bands", Said(ss.NO_BANDS))
    bands: list[Band] = []
    for index, entry in enumerate(entries):
        path = f"bands[{index}]"
        fields = _parse.mapping(entry, path, report)
        if fields is None:
            continue
        _parse.known_keys(fields, ("name", "min"), path, report)
        name = _parse.text(fields, "name", path, report)
        low = _parse.number(fields.get("min"), f"{path}.min", report)
        if name is None or low is None:
            continue
        if any(band.name == name for band in bands):
            report(f"{path}.name", Said(ss.BAND_TWICE, name=name))
        elif any(band.min == low for band in bands):
            report(f"{path}.min", Said(ss.BAND_SAME_MIN, low=low))
        else:
            bands.append(Band(name, low))
    if bands and min(band.min for band in bands) > 0:
        report("bands", Said(ss.LOWEST_BAND))
    return tuple(bands)
