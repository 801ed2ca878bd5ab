"""Numbers, money, dates and names as people read them, in the locale being spoken.

English keeps perfbot's own compact forms (`120,000`, `30 Nov`); other locales are Babel's
(CLDR), and Chinese readers see large round figures in 万 and 亿 (`120万`, `1.2亿`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_currency, format_decimal

from handlers import strings as t
from handlers.i18n import ENGLISH, current, ngettext


def num(value: Any, places: int | None = None) -> str:
    """`120000` -> `120,000` (zh: `12万`); `96.50` -> `96.5`; None -> `—`."""
    if type(value) is Decimal:  # most calls (a Decimal compared with "" is slow)
        d = value
    else:
        if value is None or value == "":
            return "—"
        found = _decimal(value)
        if found is None:
            return str(value)
        d = found
    locale = current()
    if places is not None:
        if locale == ENGLISH:
            return f"{d:,.{places}f}"
        d = d.quantize(Decimal(1).scaleb(-places))
    elif d == d.to_integral_value():
        if locale == ENGLISH:
            return f"{int(d):,}"
    else:
        # Figures read best with at most two decimals (94.3368% -> 94.34).
        d = d.quantize(_CENT).normalize()
        if locale == ENGLISH:
            return f"{d:,f}"
    if (short := _myriads(d, locale)) is not None:
        return short
    fmt = f"#,##0.{'0' * places}" if places else None
    return format_decimal(d, format=fmt, locale=locale, decimal_quantization=places is not None)


def money(value: Any, currency: str) -> str:
    """An amount with its currency: `¥120万` for a Chinese reader, `CN¥120,000.00` by CLDR
    for others; English keeps `120,000 CNY`, as perfbot always wrote amounts."""
    d = _decimal(value)
    locale = current()
    if d is None or locale == ENGLISH:
        return f"{num(value)} {currency}".strip()
    if (short := _myriads(d, locale)) is not None:
        symbol = format_currency(0, currency, locale=locale, format="¤")
        return f"{symbol}{short}"
    if d == d.to_integral_value():  # a whole amount without `.00`: ¥514,645
        return format_currency(d, currency, locale=locale, format="¤#,##0", currency_digits=False)
    return format_currency(d, currency, locale=locale)


def amount(value: Any, unit: str) -> str:
    """A figure alone, where perfbot writes no unit after it in English (`120,000`); an
    amount in a currency still reads as money for other readers (`¥12万`)."""
    return with_unit(value, unit)[0]


def figure(value: Any, unit: str) -> str:
    """A figure with its unit: `1,000,000 CNY` (zh: `¥100万`), `92 %`, `40` (no unit)."""
    shown, after = with_unit(value, unit)
    return f"{shown}{after}"


def about(value: Decimal, unit: str) -> Decimal:
    """An amount perfbot estimated (what pace expects by today), rounded to what a Chinese
    reader's 万 says (217391.30 -> 217400: `¥21.74万`); any other figure as it is."""
    if not (current().startswith("zh") and is_currency(unit) and abs(value) >= _MYRIAD):
        return value
    step = Decimal(10**8) if abs(value) >= 10**8 else _MYRIAD
    return (value / step).quantize(_CENT, ROUND_HALF_UP) * step


def record_unit(spec: Any, unit: str) -> str:
    """The unit one source record of a metric reads in: the metric's own (`CNY`) when its
    figure is the plain sum of its records, else none (a count, a ratio, a scaled sum)."""
    plain_sum = spec.denominator is None and spec.numerator.op == "sum" and spec.scale == 1
    return unit if plain_sum else ""


def is_currency(unit: str) -> bool:
    """Whether a unit is a currency code (`CNY`, `EUR`): its amounts may read as money."""
    return unit in _CURRENCIES


def with_unit(value: Any, unit: str) -> tuple[str, str]:
    """A figure and the ` unit` that follows it; an amount in a currency (`CNY`) reads as
    money for readers other than English (`¥120万`, and no unit after it)."""
    if current() != ENGLISH and unit in _CURRENCIES and _decimal(value) is not None:
        return money(value, unit), ""
    if current() != ENGLISH and unit == "%" and _decimal(value) is not None:
        return num(value), unit  # other languages write a percentage closed up: 92%
    return num(value), f" {unit}" if unit else ""


def pct(value: Any) -> str:
    """`95.20` -> `95.2%`; None -> `no data`."""
    if value is None:
        return t.NO_DATA
    d = _decimal(value)
    return f"{num(d.quantize(_TENTH))}%" if d is not None else f"{value}%"


def day_month(day: date) -> str:
    """`30 Nov` (zh: `11月30日`): a day of the year as people say it."""
    locale = current()
    if locale == ENGLISH:
        return f"{day.day} {_MONTHS[day.month - 1]}"
    return format_skeleton("MMMd", day, locale=locale)


def day(value: date | datetime) -> str:
    """A calendar date: `2026-11-30` (zh: `2026年11月30日`), as the reader writes dates;
    a datetime's own date."""
    if isinstance(value, datetime):
        value = value.date()
    locale = current()
    if locale == ENGLISH:
        return value.isoformat()
    return format_date(value, "long", locale=locale)


def stamp(value: datetime | str) -> str:
    """A moment to the minute, as the clock read it (UTC: messages say so): English keeps
    `2026-11-30 14:00`; zh `2026年11月30日 14:00`. Takes a datetime or its ISO text."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if current() == ENGLISH:
        return at.isoformat(sep=" ")[:16]
    return f"{day(at.date())} {at:%H:%M}"


_CENT, _TENTH = Decimal("0.01"), Decimal("0.1")
_CURRENCIES = frozenset(get_global("all_currencies"))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MYRIAD = Decimal(10_000)


def _myriads(d: Decimal, locale: str) -> str | None:
    """`1200000` -> `120万`, `562200` -> `56.22万`, `120000000` -> `1.2亿` for Chinese, when
    at most two decimals of the unit say the figure exactly (a figure is never rounded)."""
    if not locale.startswith("zh") or abs(d) < _MYRIAD or d != d.to_integral_value():
        return None
    unit = Decimal(10**8) if abs(d) >= 10**8 else _MYRIAD
    if (d / unit) != (d / unit).quantize(_CENT):
        return None
    return str(format_compact_decimal(d, locale=locale, fraction_digits=2))


def _decimal(value: Any) -> Decimal | None:
    if type(value) is Decimal:  # stored figures already are (most calls)
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def exact(value: Decimal | None) -> str:
    """Every stored decimal (`94.3368`), with thousands separators: for figures under audit."""
    return "—" if value is None else f"{value.normalize():,f}"


def plain(value: Decimal | None) -> str:
    """Every digit, no separators, never scientific (`1000000`, not `1E+6`): a form's value."""
    return "" if value is None else f"{value.normalize():f}"


def plural(n: int, forms: tuple[str, str]) -> str:
    """A count and its noun: `1 goal`, `2 goals`, `1,200 records` (forms: one, many, in
    English; the catalogue gives the form the locale's plural rules pick)."""
    noun = ngettext(forms[0], forms[1], n)
    return f"{num(n)}{'' if current().startswith('zh') else ' '}{noun}"


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def shown(person: Any) -> str:
    """How cards name a person: their `display_name` from the org file, else the full name
    (never the first word: for a Chinese name that is the family name). A Chinese name is
    written family name first without a space (`李 安娜` -> `李安娜`)."""
    name = str(getattr(person, "display_name", None) or person.name)
    return natural_name(name)


def natural_name(name: str) -> str:
    """A name in its natural order: Chinese names family name first, without spaces."""
    return name.replace(" ", "") if _CJK.search(name) else name
