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
        """The value as an id, or None when it isn't one."""
        head = self.value.split(".", 1)[0]
        return int(head) if head.isdigit() else None
