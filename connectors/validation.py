"""pydantic's errors in our words: each pydantic-core error type a msgid of
connectors/strings.py with the error's context as its values, so a Chinese reader of a bad
sources, directory, mapping or settings key reads Chinese; English is pydantic's own."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from connectors import strings as cs
from said import Said, joined, said_of

# The context value that counts the noun of a `:many` message (pydantic's "item{s}").
_COUNTED = ("min_length", "max_length")


def message(err: Any) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as a Said: our own check's
    words when a validator raised them, else its type's msgid; pydantic's English (first
    letter lowered) for a type we don't know."""
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    error = ctx.get("error")
    if err["type"] == "value_error" and error:
        return said_of(error) or str(error)
    msgid = cs.PYDANTIC.get(_key(err["type"], ctx))
    if msgid is None:
        msg = str(err["msg"])
        return msg[:1].lower() + msg[1:]
    if isinstance(ctx.get("field_type"), str):  # it opens the message: "list should have"
        ctx["field_type"] = ctx["field_type"][:1].lower() + ctx["field_type"][1:]
    if isinstance(ctx.get("expected"), str):  # a literal's or enum's choices
        ctx["expected"] = _either(ctx["expected"])
    if isinstance(error, str) and error in cs.PYDANTIC_DETAILS:
        ctx["error"] = Said(cs.PYDANTIC_DETAILS[error])
    try:
        return Said(msgid, **{k: v if isinstance(v, Said) else _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError):  # a context this pydantic no longer gives: its own words
        msg = str(err["msg"])
        return msg[:1].lower() + msg[1:]


def located(err: Any, root: str = "") -> str:
    """Where a settings error is (`slack.bot_token`), `root` when it is the whole."""
    return ".".join(str(p) for p in err["loc"]) or root


def _key(kind: str, ctx: dict[str, Any]) -> str:
    counts = [ctx[k] for k in _COUNTED if k in ctx]
    many = f"{kind}:many"
    return many if counts and counts[0] != 1 and many in cs.PYDANTIC else kind


def _either(expected: str) -> str:
    """pydantic's `'a', 'b' or 'c'` with its `or` said in the reader's language."""
    first, sep, last = expected.rpartition(" or ")
    return Said(cs.EITHER_OR, first=first, last=last) if sep else expected


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # pydantic writes a bound of 0.0 as "0"
    return value if isinstance(value, int | float | str) else str(value)


def problems(exc: ValidationError, root: str = "settings") -> Said:
    """Every error of a settings object in one line, `key: message; key: message`."""
    return joined(
        "; ",
        [Said(cs.AT_KEY, path=located(e, root), message=message(e)) for e in exc.errors()],
    )
