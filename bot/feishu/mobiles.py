"""Mobile numbers as Feishu writes and looks them up: a mainland number may come, and may
be asked for, without its +86."""

from __future__ import annotations

import re

from handlers.identity import e164

_MAINLAND = re.compile(r"1[3-9][0-9]{9}")  # a mainland China mobile without its +86


def mobile_e164(value: object) -> str | None:
    """A mobile number as Feishu writes it (`+8613800138000`; a mainland number may come
    without its `+86`) as E.164, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    digits = re.sub(r"[\s\-.()]", "", value)
    if _MAINLAND.fullmatch(digits):
        digits = "+86" + digits
    return e164(digits)


def mobile_forms(number: str) -> tuple[str, ...]:
    """How to ask batch_get_id for a number: as E.164 and, for a mainland number, also
    without +86 (the docs ask a country code only of numbers outside the mainland)."""
    if number.startswith("+86") and _MAINLAND.fullmatch(number[3:]):
        return number, number[3:]
    return (number,)
