"""The whitelist behind scoring.formula: which Python syntax a formula may use.

Every node of the parsed formula must be one of the kinds handled here, and each
is typed as a number or a true/false value, so "total > 50" as a final score or
"total if 1 else 0" is rejected when the config is loaded, not when scores run.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Literal

FUNCTIONS = frozenset({"abs", "max", "min", "round"})
Kind = Literal["num", "bool"]
BINOPS: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
COMPARES: dict[type[ast.cmpop], Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FORBIDDEN = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripting",
    ast.Lambda: "lambda",
    ast.Pow: "'**'",
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
}


class FormulaError(ValueError):
    """The formula is not allowed, refers to an unknown name, or cannot be computed."""


def check(node: ast.expr, names: frozenset[str]) -> Kind:
    """Return what `node` yields, or raise FormulaError naming what is not allowed."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"only numbers are allowed, not {value!r}")
        if not Decimal(repr(value)).is_finite():
            raise FormulaError(f"number {value!r} is too large")
        return "num"
    if isinstance(node, ast.Name):
        if node.id in names:
            return "num"
        if node.id in FUNCTIONS:
            raise FormulaError(f"{node.id} must be called, e.g. {node.id}(total, 100)")
        raise FormulaError(f"unknown name {node.id!r}; allowed: {', '.join(sorted(names))}")
    if isinstance(node, ast.BinOp):
        if type(node.op) not in BINOPS:
            raise FormulaError(f"{_describe(node.op)} is not allowed; use + - * /")
        _need("num", node.left, names)
        _need("num", node.right, names)
        return "num"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return _need("bool", node.operand, names)
        if isinstance(node.op, ast.USub | ast.UAdd):
            return _need("num", node.operand, names)
        raise FormulaError(f"{_describe(node.op)} is not allowed")
    if isinstance(node, ast.Compare):
        if not all(type(op) in COMPARES for op in node.ops):
            raise FormulaError("only < <= > >= == != comparisons are allowed")
        for operand in (node.left, *node.comparators):
            _need("num", operand, names)
        return "bool"
    if isinstance(node, ast.BoolOp):
        for operand in node.values:
            _need("bool", operand, names)
        return "bool"
    if isinstance(node, ast.IfExp):
        _need("bool", node.test, names)
        return _need(check(node.body, names), node.orelse, names)
    if isinstance(node, ast.Call):
        return _check_call(node, names)
    raise FormulaError(f"{_describe(node)} is not allowed")


def _check_call(node: ast.Call, names: frozenset[str]) -> Kind:
    if not isinstance(node.func, ast.Name):
        check(node.func, names)  # names the real offender: attribute access, lambda...
        raise FormulaError("only abs, max, min and round can be called")
    if node.func.id not in FUNCTIONS:
        raise FormulaError(f"calling {node.func.id} is not allowed; allowed: abs, max, min, round")
    name, args = node.func.id, node.args
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in args):
        raise FormulaError(f"{name}() takes plain positional arguments only")
    arity_ok = {"abs": len(args) == 1, "round": len(args) in (1, 2)}.get(name, len(args) >= 2)
    if not arity_ok:
        raise FormulaError(f"wrong number of arguments to {name}()")
    if name == "round" and len(args) == 2:
        places = args[1]
        if not (isinstance(places, ast.Constant) and type(places.value) is int):
            raise FormulaError("round(x, n): n must be a whole number")
        if not 0 <= places.value <= 10:
            raise FormulaError("round(x, n): n must be between 0 and 10")
        args = args[:1]
    for arg in args:
        _need("num", arg, names)
    return "num"


def _need(kind: Kind, node: ast.expr, names: frozenset[str]) -> Kind:
    got = check(node, names)
    if got != kind:
        wanted = "a number" if kind == "num" else "a comparison (true/false)"
        raise FormulaError(f"expected {wanted} at {ast.unparse(node)!r}")
    return got


def _describe(node: ast.AST) -> str:
    return _FORBIDDEN.get(type(node), type(node).__name__)
