"""How a raw source record becomes SourceRecords: the mapping section of a source and its mapper."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from connectors import strings as cs
from connectors.config_checks import exactly_one
from connectors.records import SourceRecord
from said import Said, said_of

PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")
TIME_FORMATS = ("iso", "epoch_ms", "epoch_s", "date")
Scalar = str | int | float | bool | None
_MISSING = object()


def _check_time_format(value: str) -> str:
    if value not in TIME_FORMATS and "%" not in value:
        raise ValueError(Said(cs.TIME_FORMAT, formats=", ".join(TIME_FORMATS)))
    return value


TimeFormat = Annotated[str, AfterValidator(_check_time_format)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )


class Condition(_Model):
    field: str
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        exactly_one(self.in_, self.not_in, "in, not_in")
        return self

    @cached_property
    def _values(self) -> frozenset[str]:
        listed = self.in_ if self.in_ is not None else self.not_in or []
        return frozenset(_norm(v) for v in listed)

    def holds(self, raw: Any) -> bool:
        """Compared as lower-case text, so YAML `true` matches JSON true and "True"."""
        found = _norm(get_path(raw, self.field, None)) in self._values
        return found if self.in_ is not None else not found


class EmployeeMap(_Model):
    field: str
    kind: Literal["email", "external_id"] = "email"


class DateMap(_Model):
    field: str
    format: TimeFormat = "iso"


class MetricMap(_Model):
    name: str | None = None
    name_from: str | None = None
    value: str | int | float  # a field path, or a constant such as 1 for counts
    when: Condition | None = None

    @model_validator(mode="after")
    def _one_name(self) -> MetricMap:
        exactly_one(self.name, self.name_from, "name, name_from")
        return self


class MappingConfig(_Model):
    record_id: str
    employee: EmployeeMap
    date: DateMap
    updated_at: str | None = None
    link: str | None = None
    void: list[Condition] = []  # any one holding makes the record void
    metrics: list[MetricMap] = Field(min_length=1)

    @field_validator("employee", "date", mode="before")
    @classmethod
    def _field_shorthand(cls, value: Any) -> Any:
        return {"field": value} if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _metric_shorthand(cls, value: Any) -> Any:
        return normalise_mapping(value)


def normalise_mapping(value: Any) -> Any:
    """Turn the single-metric shorthand (metric or metric_from, value, when) into `metrics`."""
    if not isinstance(value, dict) or not {"metric", "metric_from"} & value.keys():
        return value
    out = {k: v for k, v in value.items() if k not in ("metric", "metric_from", "value", "when")}
    one = {"name": value.get("metric"), "name_from": value.get("metric_from")}
    one = {k: v for k, v in one.items() if v is not None}
    out["metrics"] = [one | {k: value[k] for k in ("value", "when") if k in value}]
    return out


@lru_cache(maxsize=1024)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()


def get_path(data: Any, path: str, default: Any = _MISSING) -> Any:
    """Value at a dotted path ("paging.next.after", "issues.0.id"); "" is the data itself."""
    node = data
    for part in _parts(path):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif default is _MISSING:
            raise KeyError(path)
        else:
            return default
    return node


def render(template: Any, lookup: Callable[[str], Any]) -> Any:
    """Fill {name} placeholders in every string of a template; a lone placeholder keeps its type."""
    if isinstance(template, str):
        whole = PLACEHOLDER.fullmatch(template)
        if whole:
            return lookup(whole.group(1))
        return PLACEHOLDER.sub(lambda m: str(lookup(m.group(1))), template)
    if isinstance(template, dict):
        return {k: render(v, lookup) for k, v in template.items()}
    if isinstance(template, list):
        return [render(v, lookup) for v in template]
    return template


def parse_datetime(value: Any, fmt: str = "iso", tz: tzinfo = UTC) -> datetime:
    """A time from a source field; naive values are taken to be in `tz`."""
    if fmt in ("epoch_ms", "epoch_s") or (fmt == "iso" and isinstance(value, int | float)):
        seconds = float(value) / (1000 if fmt == "epoch_ms" or float(value) > 1e11 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(Said(cs.EXPECTED_DATE, value=value))
    if fmt == "iso" and len(value) == 10:  # a plain date: the common case, kept fast
        return datetime.combine(date.fromisoformat(value), time(), tz)
    parsed = datetime.strptime(value, fmt) if "%" in fmt else datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def parse_decimal(value: Any) -> Decimal:
    """A finite Decimal from a JSON number or numeric string (floats via their shortest repr)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(Said(cs.EXPECTED_NUMBER, value=value))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(Said(cs.EXPECTED_NUMBER, value=value)) from None
    if not number.is_finite():
        raise ValueError(Said(cs.EXPECTED_FINITE, value=value))
    return number


def _norm(value: Any) -> str:
    return "null" if value is None else str(value).strip().lower()


class MappingError(ValueError):
    """A raw record that cannot become facts; the message (a Said) says why."""


class RecordMapper:
    """Maps one raw record to one SourceRecord per configured metric."""

    def __init__(
        self, source: str, cfg: MappingConfig, *, variables: Mapping[str, str], tz: tzinfo
    ) -> None:
        self.source, self.cfg, self.variables, self.tz = source, cfg, variables, tz
        # "a/{x}/b/{y}" -> ["a/", "x", "/b/", "y", ""]: literals at even, names at odd places
        self._link_parts = PLACEHOLDER.split(cfg.link) if cfg.link else None

    def record_id(self, raw: Any) -> str | None:
        """The record's id, or None when it has none (used to void facts of rejected records)."""
        value = get_path(raw, self.cfg.record_id, None)
        return None if value in (None, "") else str(value)

    def map(self, raw: Any) -> list[SourceRecord]:
        """The record's facts; raises MappingError with a reason when it cannot be mapped."""
        if not isinstance(raw, dict):
            raise MappingError(Said(cs.RECORD_NOT_OBJECT, kind=type(raw).__name__))
        cfg = self.cfg
        record_id = self.record_id(raw)
        if record_id is None:
            raise MappingError(Said(cs.NO_RECORD_ID_AT, path=cfg.record_id))
        employee = self._employee(raw)
        occurred = self._field(raw, cfg.date.field, cs.NO_DATE_AT)
        try:
            occurred_on = parse_datetime(occurred, cfg.date.format, self.tz).astimezone(self.tz)
        except ValueError as exc:
            error = said_of(exc) or str(exc)
            raise MappingError(Said(cs.BAD_DATE_AT, path=cfg.date.field, error=error)) from None
        void = any(c.holds(raw) for c in cfg.void)
        updated_at = self._updated_at(raw)
        link = self._link(raw)
        out = []
        for metric in cfg.metrics:
            applies = metric.when is None or metric.when.holds(raw)
            out.append(
                SourceRecord(
                    source=self.source,
                    record_id=record_id,
                    metric=self._metric_name(raw, metric),
                    value=self._value(raw, metric, strict=applies and not void),
                    occurred_on=occurred_on.date(),
                    employee_key=employee,
                    employee_key_kind=cfg.employee.kind,
                    link=link,
                    raw=raw,
                    void=void or not applies,
                    updated_at=updated_at,
                )
            )
        return out

    def _field(self, raw: dict[str, Any], path: str, missing: str) -> Any:
        """The value at `path`; MappingError(`missing`, a msgid naming the path) without one."""
        value = get_path(raw, path, None)
        if value is None or value == "":
            raise MappingError(Said(missing, path=path))
        return value

    def _employee(self, raw: dict[str, Any]) -> str:
        key = str(self._field(raw, self.cfg.employee.field, cs.NO_EMPLOYEE_AT)).strip()
        if self.cfg.employee.kind == "email":
            if "@" not in key:
                raise MappingError(Said(cs.EMPLOYEE_NOT_EMAIL, path=self.cfg.employee.field))
            return key.lower()
        return key

    def _metric_name(self, raw: dict[str, Any], metric: MetricMap) -> str:
        if metric.name is not None:
            return metric.name
        return str(self._field(raw, metric.name_from or "", cs.NO_METRIC_NAME_AT)).strip()

    def _value(self, raw: dict[str, Any], metric: MetricMap, *, strict: bool) -> Decimal:
        if not isinstance(metric.value, str):
            return parse_decimal(metric.value)
        found = get_path(raw, metric.value, None)
        try:
            return parse_decimal(found)
        except ValueError as exc:
            if not strict:
                return Decimal(0)  # a void fact's value is never summed
            if found is None or found == "":
                raise MappingError(Said(cs.NO_VALUE_AT, path=metric.value)) from None
            error = said_of(exc) or str(exc)
            raise MappingError(Said(cs.BAD_VALUE_AT, path=metric.value, error=error)) from None

    def _updated_at(self, raw: dict[str, Any]) -> datetime | None:
        value = get_path(raw, self.cfg.updated_at, None) if self.cfg.updated_at else None
        try:
            return None if value is None else parse_datetime(value, "iso", self.tz)
        except ValueError:
            return None  # only a watermark hint; the facts themselves are fine

    def _link(self, raw: dict[str, Any]) -> str | None:
        if self._link_parts is None:
            return None
        out = []
        for i, part in enumerate(self._link_parts):
            if i % 2:
                part = self.variables.get(part) or get_path(raw, part, None)
                if part is None or part == "":
                    return None  # a link to the wrong place is worse than none
            out.append(str(part))
        return "".join(out)
