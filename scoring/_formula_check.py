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

from said import Said
from scoring import strings as ss

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
            raise FormulaError(Said(ss.ONLY_NUMBERS, value=value))
        if not Decimal(repr(value)).is_finite():
            raise FormulaError(Said(ss.TOO_LARGE, value=value))
        return "num"
    if isinstance(node, ast.Name):
        if node.id in names:
            return "num"
        if node.id in FUNCTIONS:
            raise FormulaError(Said(ss.MUST_CALL, name=node.id))
        raise FormulaError(Said(ss.UNKNOWN_NAME, name=node.id, known=", ".join(sorted(names))))
    if isinstance(node, ast.BinOp):
        if type(node.op) not in BINOPS:
            raise FormulaError(Said(ss.OPERATOR_NOT_ALLOWED, what=_describe(node.op)))
        _need("num", node.left, names)
        _need("num", node.right, names)
        return "num"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return _need("bool", node.operand, names)
        if isinstance(node.op, ast.USub | ast.UAdd):
            return _need("num", node.operand, names)
        raise FormulaError(Said(ss.NOT_ALLOWED, what=_describe(node.op)))
    if isinstance(node, ast.Compare):
        if not all(type(op) in COMPARES for op in node.ops):
            raise FormulaError(Said(ss.ONLY_COMPARISONS))
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
    raise FormulaError(Said(ss.NOT_ALLOWED, what=_describe(node)))


def _check_call(node: ast.Call, names: frozenset[str]) -> Kind:
    if not isinstance(node.func, ast.Name):
        check(node.func, names)  # names the real offender: attribute access, lambda...
        raise FormulaError(Said(ss.ONLY_FUNCTIONS))
    if node.func.id not in FUNCTIONS:
        raise FormulaError(Said(ss.CALL_NOT_ALLOWED, name=node.func.id))
    name, args = node.func.id, node.args
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in args):
        raise FormulaError(Said(ss.POSITIONAL_ONLY, name=name))
    arity_ok = {"abs": len(args) == 1, "round": len(args) in (1, 2)}.get(name, len(args) >= 2)
    if not arity_ok:
        raise FormulaError(Said(ss.ARGUMENT_COUNT, name=name))
    if name == "round" and len(args) == 2:
        places = args[1]
        if not (isinstance(places, ast.Constant) and type(places.value) is int):
            raise FormulaError(Said(ss.ROUND_WHOLE))
        if not 0 <= places.value <= 10:
            raise FormulaError(Said(ss.ROUND_RANGE))
        args = args[:1]
    for arg in args:
        _need("num", arg, names)
    return "num"


def _need(kind: Kind, node: ast.expr, names: frozenset[str]) -> Kind:
    got = check(node, names)
    if got != kind:
        wanted = Said(ss.A_NUMBER if kind == "num" else ss.A_COMPARISON)
        raise FormulaError(Said(ss.EXPECTED, wanted=wanted, at=ast.unparse(node)))
    return got


def _describe(node: ast.AST) -> str:
    return _FORBIDDEN.get(type(node), type(node).__name__)
