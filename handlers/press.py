"""A button press or a submitted form, as the handlers see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Press:
    """`action` is the compact id (`ap:acc`), `value` its argument, `form` submitted inputs."""

    action: str
    value: str
    form: Mapping[str, str] = field(default_factory=dict)

    def int_value(self) -> int | None:
        """The value (before any `.`) as an id, or None when it isn't one."""
        return key_of(self.value.split(".", 1)[0])


def key_of(text: str) -> int | None:
    """`text` as a database key: ASCII digits only ("²" and "٣" are digits to Python, and
    int() of them fails) and few enough to fit a 64-bit key; else None."""
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return int(text)
