"""A safe evaluator for a scorecard's optional final-score formula, e.g. "min(total, 100)".

The text is parsed with `ast` and every node checked against the whitelist in
scoring._formula_check; nothing is ever passed to eval/exec. Allowed: numbers, the
given names, + - * /, unary - and +, comparisons, and/or/not, `a if cond else b`,
and calls to min, max, round, abs (no `**`: 2**9999999 would hang the worker).
All arithmetic is Decimal; the result is rounded to 2 places (ROUND_HALF_UP).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Mapping
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import lru_cache

from said import Said
from scoring import strings as ss
from scoring._formula_check import BINOPS, COMPARES, FormulaError, check
from scoring.attainment import round2

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "FormulaError",
    "evaluate",
    "formula_names",
    "validate_formula",
]

MAX_LENGTH = 500  # keeps parse time and literal size trivially bounded
MAX_DEPTH = 100  # the checker and evaluator recurse; "------1" must not exhaust the stack
# Fixed here so a caller's decimal context (precision, disabled traps) can't change results.
_CONTEXT = Context(prec=28, traps=[DivisionByZero, InvalidOperation, Overflow])


def formula_names(metrics: Iterable[str]) -> frozenset[str]:
    """Names a scorecard formula may use: total, coverage, att_<metric>, pts_<metric>."""
    names = {"total", "coverage"}
    for metric in metrics:
        names.update((f"att_{metric}", f"pts_{metric}"))
    return frozenset(names)


def validate_formula(expr: str, names: Collection[str]) -> None:
    """Raise FormulaError unless `expr` is an allowed formula over `names`."""
    _compile(expr, frozenset(names))


def evaluate(expr: str, values: Mapping[str, Decimal]) -> Decimal:
    """Evaluate `expr` with `values` bound to names; result rounded to 2 places."""
    tree = _compile(expr, frozenset(values))
    try:
        with localcontext(_CONTEXT):
            return round2(_num(tree.body, values))
    except ArithmeticError as exc:  # decimal's DivisionByZero, Overflow, InvalidOperation
        reason = Said(
            ss.DIVISION_BY_ZERO if isinstance(exc, ZeroDivisionError) else ss.OUT_OF_RANGE
        )
        raise FormulaError(Said(ss.CANNOT_COMPUTE, expr=expr, reason=reason)) from exc


@lru_cache(maxsize=256)
def _compile(expr: str, names: frozenset[str]) -> ast.Expression:
    if len(expr) > MAX_LENGTH:
        raise FormulaError(Said(ss.FORMULA_LONG, n=MAX_LENGTH))
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError(Said(ss.FORMULA_INVALID, error=str(exc))) from exc
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(Said(ss.FORMULA_DEEP, n=MAX_DEPTH))
    if check(tree.body, names) != "num":
        raise FormulaError(Said(ss.FORMULA_BOOL))
    return tree


def _depth(tree: ast.AST) -> int:
    # Iterative, so measuring a deep tree can't itself overflow the stack.
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _eval(node: ast.expr, values: Mapping[str, Decimal]) -> Decimal | bool:
    # Only reached for trees that passed check(), so shapes and kinds are known.
    if isinstance(node, ast.Constant):
        return Decimal(repr(node.value))
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return BINOPS[type(node.op)](_num(node.left, values), _num(node.right, values))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return not _eval(node.operand, values)
        operand = _num(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Compare):
        operands = [_num(n, values) for n in (node.left, *node.comparators)]
        pairs = zip(node.ops, operands, operands[1:], strict=False)
        return all(COMPARES[type(op)](a, b) for op, a, b in pairs)
    if isinstance(node, ast.BoolOp):
        results = (_eval(v, values) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _eval(node.test, values) else node.orelse, values)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_num(arg, values) for arg in node.args]
    if node.func.id == "round":
        exponent = Decimal(1).scaleb(-int(args[1])) if len(args) == 2 else Decimal(1)
        return args[0].quantize(exponent, rounding=ROUND_HALF_UP)
    if node.func.id == "abs":
        return abs(args[0])
    return min(args) if node.func.id == "min" else max(args)


def _num(node: ast.expr, values: Mapping[str, Decimal]) -> Decimal:
    result = _eval(node, values)
    assert isinstance(result, Decimal)  # guaranteed by check()
    return result
