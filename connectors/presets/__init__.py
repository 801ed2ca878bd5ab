"""Bundled source presets: partial sources.yaml entries a source may override key by key."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def preset_names() -> tuple[str, ...]:
    """Names of the bundled presets (the YAML files beside this module)."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[:-5] for f in files if f.name.endswith(".yaml")))


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"preset {name} is not a mapping")
    return data


def load_preset(name: str) -> dict[str, Any]:
    """A fresh copy of the named preset's settings (callers may mutate it)."""
    if name not in preset_names():
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(preset_names())}")
    return copy.deepcopy(_load(name))
