"""A platform's module named in a registry and imported on first use, so a command that never
touches a chat platform never loads its SDK (Lark's alone takes about two seconds)."""

from __future__ import annotations

import importlib
from typing import Any


class Deferred:
    """Stands for the module `module` of `platform`: its PLATFORM is known at once, any other
    attribute (make_deliverer, read_members…) imports the module and is taken from it."""

    def __init__(self, platform: str, module: str) -> None:
        self.PLATFORM, self._module = platform, module

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self._module), name)
