"""Pushed records: the neutral JSON shape business systems POST, and its HMAC signature.

Body: {"records": [{"id": "INV-7", "employee": "ana.li@acme.example", "metric": "invoiced",
"value": 1200.5, "date": "2026-11-03", "link": "https://...", "void": false}, ...]}
(`employee_id` instead of `employee` names the person by external id). Signature: header
`X-Perfbot-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` with the
source's secret, and `X-Perfbot-Timestamp: <unix seconds>` within WINDOW of now.

Refusals are English, not Saids: they answer the pushing system's scripts in JSON (like
every `--json` output), and no operator reads them through the CLI or chat.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from connectors.mapping import MappingConfig, MappingError, RecordMapper
from connectors.records import SourceRecord
from connectors.wording import count

SIGNATURE_HEADER = "X-Perfbot-Signature"
TIMESTAMP_HEADER = "X-Perfbot-Timestamp"
SECRET_PREFIX = "PERFBOT_INGEST_SECRET_"
WINDOW = 300  # seconds either side of now
MAX_RECORDS = 10_000
SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_FIELDS = {"id", "employee", "employee_id", "metric", "value", "date", "link", "void"}


class PushError(ValueError):
    """Why a push is refused: `status` 401 (not authentic) or 400 (not well formed)."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []


def secret_for(source: str, environ: Mapping[str, str]) -> bytes | None:
    """The source's secret from PERFBOT_INGEST_SECRET_<SOURCE> ("-" becomes "_")."""
    if not SOURCE_NAME.match(source):
        return None
    value = environ.get(SECRET_PREFIX + source.upper().replace("-", "_"))
    return value.encode() if value else None


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value for a body (what a pushing system computes)."""
    mac = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: bytes | None, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> None:
    """Raise PushError(401) unless the signature is right and the timestamp fresh."""
    if secret is None or not signature or not timestamp:
        raise PushError(401, "missing or unknown signature")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > WINDOW:
        raise PushError(401, f"timestamp outside the {WINDOW} s window")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise PushError(401, "signature does not verify")


def _mapper(source: str, kind: str) -> RecordMapper:
    cfg = MappingConfig.model_validate(
        {
            "record_id": "id",
            "employee": {"field": "employee" if kind == "email" else "employee_id", "kind": kind},
            "date": {"field": "date", "format": "iso"},
            "link": "{link}",
            "void": [{"field": "void", "in": [True]}],
            "metrics": [{"name_from": "metric", "value": "value"}],
        }
    )
    return RecordMapper(source, cfg, variables={}, tz=ZoneInfo("UTC"))


def parse_push(source: str, body: bytes) -> list[SourceRecord]:
    """The records of a push body; PushError(400) lists every bad record by its index."""
    try:
        data: Any = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise PushError(400, f"body is not JSON ({exc})") from None
    items = data.get("records") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise PushError(400, 'body must be {"records": [...]} or a list of records')
    if len(items) > MAX_RECORDS:
        raise PushError(400, f"at most {MAX_RECORDS} records per request")
    by_email, by_external = _mapper(source, "email"), _mapper(source, "external_id")
    records: list[SourceRecord] = []
    problems: list[str] = []
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise MappingError("not an object")
            unknown = sorted(set(item) - _FIELDS)
            if unknown:
                noun = "field" if len(unknown) == 1 else "fields"
                raise MappingError(f"unknown {noun} {', '.join(unknown)}")
            if not isinstance(item.get("metric"), str):
                raise MappingError("metric must be a string")
            mapper = by_email if "employee" in item else by_external
            records.extend(mapper.map(item))
        except MappingError as exc:
            problems.append(f"records[{i}]: {exc}")
    if problems:
        refused = count(len(problems), "record", "records")
        raise PushError(400, f"{refused} refused; nothing was stored", problems)
    return records
