"""YAML loading that remembers the line of every mapping, for error reports."""

from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_with_lines(text: str) -> Any:
    """Parse YAML; every dict gets a `__line__` key with its 1-based line number."""
    return yaml.load(text, Loader=_LineLoader)


def line_of(item: Any) -> str:
    """'line N' for a mapping loaded by `load_with_lines`, else ''."""
    return f"line {item[LINE]}" if isinstance(item, dict) and LINE in item else ""
