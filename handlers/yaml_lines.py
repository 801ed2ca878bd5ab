"""YAML loading that remembers the line of every mapping, for error reports."""

from __future__ import annotations

import re
from typing import Any

import yaml

from handlers import strings_en as en
from said import Said

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
    return Said(en.ORG_LINE, n=item[LINE]) if isinstance(item, dict) and LINE in item else ""


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_at(text: str, path: str) -> int | None:
    """The 1-based line of `path` ("scorecards.x.dimensions[1].metric") in YAML `text`:
    the deepest part of the path the file holds, None when not even the first part is."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for key, index in _STEP.findall(path):
        if isinstance(node, yaml.MappingNode) and key:
            pair = next((kv for kv in node.value if kv[0].value == key), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        else:
            break
    return line


def with_lines(text: str, problems: list[str]) -> list[str]:
    """Problems worded "path: message", each led by its line in `text` where it has one."""
    out = []
    for problem in problems:
        path = problem.split(": ", 1)[0]
        line = line_at(text, path) if " " not in path else None
        out.append(
            Said(en.AT, where=Said(en.ORG_LINE, n=line), problem=problem) if line else problem
        )
    return out
