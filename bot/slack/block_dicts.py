"""slack_sdk's block and view objects as the dicts Slack reads: `to_dict()`'s limit checks
and output, with its reflection done once per class instead of on every call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.basic_objects import JsonObject


def as_dict(obj: JsonObject) -> dict[str, Any]:
    """`obj.to_dict()`: the same limit checks and the same output, without slack_sdk's
    per-call reflection (to_dict cost four times the rest of a /score reply; looking its
    checks and attributes up by name on every call, half of what was left)."""
    cls = type(obj)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape_of(cls, obj)
    if shape is _OWN_SERIALISER:
        return dict(obj.to_dict())
    for check in shape.checks:  # each raises SlackObjectFormationError on a broken limit
        check(obj)
    own = obj.__dict__
    out: dict[str, Any] = {}
    for key, on_class in shape.fields:
        value = getattr(obj, key, None) if on_class else own.get(key)
        # slack_sdk drops None and empty values (its exceptions are rich-text types, unused).
        if value is None:
            continue
        kind = type(value)
        if kind is str or kind is list or kind is tuple:
            if value:
                out[key] = value if kind is str else [_plain(v) for v in value]
        elif kind is bool or kind is int or kind is float:
            out[key] = value
        elif not hasattr(value, "__len__") or len(value):
            out[key] = _plain(value)
    return out


@dataclass(frozen=True)
class _Shape:
    checks: tuple[Callable[[Any], None], ...]  # the @JsonValidator functions, in order
    # The serialised attributes, sorted as slack_sdk sorts them, each with whether the class
    # defines it (a property, a constant like `type`) or the instance holds it.
    fields: tuple[tuple[str, bool], ...]


_OWN_SERIALISER = _Shape((), ())  # a class with its own to_dict
_SHAPES: dict[type, _Shape] = {}
_SERIALISED: dict[type, bool] = {}  # whether a type is one of slack_sdk's JsonObjects


def _shape_of(cls: type, obj: JsonObject) -> _Shape:
    if cls.to_dict is not JsonObject.to_dict:  # type: ignore[attr-defined]
        return _OWN_SERIALISER
    names = sorted(
        name
        for name in dir(cls)
        if not name.startswith("__")
        and callable(getattr(cls, name, None))
        and hasattr(getattr(cls, name), "validator")
    )
    return _Shape(
        checks=tuple(getattr(cls, name) for name in names),
        fields=tuple((k, hasattr(cls, k)) for k in sorted(obj.attributes)),
    )


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    serialised = _SERIALISED.get(kind)
    if serialised is None:  # an ABC's isinstance is slow: asked once per type
        serialised = _SERIALISED[kind] = issubclass(kind, JsonObject)
    return as_dict(value) if serialised else value
