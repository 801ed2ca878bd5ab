"""Slack payloads to neutral inputs: a command line, a button press, a form, a Home visit.

Pure functions on the decoded body, so they are tested on recorded payloads. `classify`
runs before Bolt sees a request: a malformed payload is answered 400, never 500 (over
Socket Mode, `classify_payload` leaves it unacknowledged).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs

from bot import texts as bt
from bot.slack import PLATFORM
from bot.slack.render import FORM_OPEN, SUBMIT_CALLBACK
from handlers.press import Press

UMBRELLA = "/perf"  # the one slash command that carries any other: `/perf score @ana`
# Slack's escaped entities in command text: user mentions, e-mail and web links.
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_MAILTO = re.compile(r"<mailto:([^|<>]+)(?:\|[^<>]*)?>", re.IGNORECASE)
# Channels, user groups, @here and dates: shown as the person typed them (`#general`).
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^<>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
_LABELLED = re.compile(r"<!(?:subteam\^([A-Z0-9]+)|date\^[^|<>]*)(?:\|([^<>]*))?>")
_NEUTRAL_MENTION = re.compile(rf"<@{PLATFORM}:([UW][A-Z0-9]+)>")
_TOKENS = re.compile(r"(<[^<>]*>)")  # Slack's constructs; everything between is plain text
_URL = re.compile(r"<(https?://[^|<>]+)(?:\|[^<>]*)?>|(https?://[^\s<>]+)", re.IGNORECASE)


@dataclass(frozen=True)
class SlashCommand:
    user_id: str
    text: str  # in the neutral command language: "/score <@slack:U123>" (`/perf` unwrapped)
    channel_id: str
    trigger_id: str
    response_url: str


@dataclass(frozen=True)
class ButtonPress:
    user_id: str
    action_id: str
    press: Press
    trigger_id: str
    container: str  # message | view
    channel_id: str
    message_ts: str
    ephemeral: bool
    response_url: str
    blocks: tuple[dict[str, Any], ...] = ()
    view_type: str = ""  # for a view: home (the Home tab) | modal

    @property
    def in_modal(self) -> bool:
        return self.container == "view" and self.view_type == "modal"

    def origin(self) -> dict[str, Any]:
        """The message pressed on, in the compact keys that come back with a decision."""
        return {
            "c": self.channel_id,
            "t": self.message_ts,
            "e": self.ephemeral,
            "u": self.response_url,
            "i": self.action_id,
        }


@dataclass(frozen=True)
class FormSubmission:
    user_id: str
    press: Press
    origin: dict[str, Any] = field(default_factory=dict)  # the message the form came from


@dataclass(frozen=True)
class HomeOpened:
    """Someone opened the app's Home tab (`app_home_opened`)."""

    user_id: str
    event_id: str


@dataclass(frozen=True)
class Other:
    """A well-formed payload perfbot doesn't act on (Bolt answers it)."""

    kind: str


@dataclass(frozen=True)
class Malformed:
    """A body that is no Slack payload: what is wrong with it (answered 400)."""

    problem: str


Parsed = SlashCommand | ButtonPress | FormSubmission | HomeOpened | Other | Malformed


# Payloads Slack sends that perfbot has nothing to do with (answered 200, so Slack neither
# retries them nor counts failures); url_verification and ssl_check are Bolt's to answer.
IGNORED_KINDS = frozenset(
    {
        "url_verification", "view_closed", "shortcut", "message_action", "block_suggestion",
        "app_rate_limited", "interactive_message", "dialog_submission", "dialog_suggestion",
        "dialog_cancellation", "workflow_step_edit", "workflow_step_execute",
    }
)  # fmt: skip


def decode(body: bytes, content_type: str) -> dict[str, Any] | Malformed:
    """The body as Bolt will read it: JSON, a form, or a form holding a JSON `payload`."""
    try:
        text = body.decode("utf-8")
        if "json" in content_type.lower() or text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
            data = json.loads(form["payload"]) if "payload" in form else form
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # also: nested too deep
        return Malformed(f"undecodable body: {type(exc).__name__}")
    if not isinstance(data, dict):
        return Malformed("the body is not an object")
    return data


def classify(body: bytes, content_type: str) -> Parsed:
    """What a request asks for, or what is wrong with it."""
    data = decode(body, content_type)
    if isinstance(data, Malformed):
        return data
    return classify_payload(data)


def classify_payload(data: dict[str, Any]) -> Parsed:
    """The same for a payload already decoded (a Socket Mode envelope's)."""
    try:
        if "command" in data:
            return slash_command(data)
        kind = data.get("type")
        if kind == "block_actions":
            return button_press(data)
        if kind == "view_submission":
            view = _map(data, "view")
            if view.get("callback_id") != SUBMIT_CALLBACK:
                return Other("view_submission")
            return form_submission(data)
        if kind == "event_callback":
            event = _map(data, "event")
            _str(data, "event_id")
            if event.get("type") == "app_home_opened":
                return home_opened(data)
            return Other(str(event.get("type")))
        if kind in IGNORED_KINDS:
            return Other(str(kind))
        if data.get("ssl_check"):
            return Other("ssl_check")
    except (KeyError, TypeError, ValueError) as exc:
        return Malformed(f"{data.get('type') or 'command'}: {exc}")
    return Malformed(f"unknown payload type {str(data.get('type'))[:40]!r}")


def slash_command(data: Mapping[str, Any]) -> SlashCommand:
    command = _str(data, "command")
    if not command.startswith("/"):
        raise ValueError("command must start with /")
    rest = str(data.get("text") or "")
    line = rest if command.lower() == UMBRELLA else f"{command} {rest}"
    return SlashCommand(
        user_id=_str(data, "user_id"),
        text=neutral_text(line).strip(),
        channel_id=str(data.get("channel_id") or ""),
        trigger_id=str(data.get("trigger_id") or ""),
        response_url=str(data.get("response_url") or ""),
    )


def neutral_text(text: str) -> str:
    """Slack's command text in the neutral command language: `<@U123|ana>` becomes
    `<@slack:U123>`, `<mailto:a@b|a@b>` the address and `<https://x|label>` the link; the
    rest is unescaped once (Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`)."""
    return "".join(
        _token(part) if part.startswith("<") else _unescape(part)
        for part in _TOKENS.split(text)
        if part
    )


def mentioned_ids(neutral: str) -> list[str]:
    """The Slack user ids a neutral text names (`<@slack:U123>`)."""
    return _NEUTRAL_MENTION.findall(neutral)


def _token(token: str) -> str:
    """One of Slack's `<...>` constructs: a mention in the neutral language, the rest as the
    person typed them (a channel `#general`, `@here`, a group's handle, a date's text)."""
    if m := _MENTION.fullmatch(token):
        return f"<@{PLATFORM}:{m[1]}>"
    if m := _CHANNEL.fullmatch(token):
        return "#" + _unescape(m[2] or m[1])
    if m := _SPECIAL.fullmatch(token):
        return "@" + m[1]
    if m := _LABELLED.fullmatch(token):
        return _unescape(m[2]) if m[2] else ("@" + m[1] if m[1] else token)
    if m := _MAILTO.fullmatch(token):
        return m[1]
    if (m := _URL.fullmatch(token)) and m[1]:
        return _unescape(m[1])
    return token


def _unescape(text: str) -> str:
    # Slack escapes these three in text it sends; a link's own characters come back whole.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def button_press(data: Mapping[str, Any]) -> ButtonPress:
    actions = data["actions"]
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise ValueError("actions must be a non-empty list")
    action = actions[0]
    action_id, value = _str(action, "action_id"), str(action.get("value") or "")
    container = _map(data, "container") if "container" in data else {}
    message = _opt_map(data, "message")
    channel = _opt_map(data, "channel")
    blocks = message.get("blocks")
    blocks = blocks if isinstance(blocks, list) else []
    return ButtonPress(
        user_id=_str(_map(data, "user"), "id"),
        action_id=action_id,
        press=press_for(action_id, value),
        trigger_id=str(data.get("trigger_id") or ""),
        container=str(container.get("type") or ""),
        channel_id=str(container.get("channel_id") or channel.get("id") or ""),
        message_ts=str(container.get("message_ts") or message.get("ts") or ""),
        ephemeral=bool(container.get("is_ephemeral")),
        response_url=str(data.get("response_url") or ""),
        blocks=tuple(b for b in blocks if isinstance(b, dict)),
        view_type=str(_opt_map(data, "view").get("type") or ""),
    )


def press_for(action_id: str, value: str) -> Press:
    """Our action ids are `Button.callback` (`gl:ack:12`): the value is the suffix."""
    if action_id.startswith(FORM_OPEN + ":") or action_id == FORM_OPEN:
        return Press(FORM_OPEN, value)
    if value and action_id.endswith(":" + value):
        return Press(action_id[: -len(value) - 1], value)
    return Press(action_id, value)


def form_submission(data: Mapping[str, Any]) -> FormSubmission:
    view = _map(data, "view")
    meta = json.loads(str(view.get("private_metadata") or "{}"))
    if not isinstance(meta, dict) or not isinstance(meta.get("a"), str):
        raise ValueError("private_metadata lacks the action")
    values = _map(_map(view, "state"), "values")
    form: dict[str, str] = {}
    for block_id, inputs in values.items():
        if not isinstance(inputs, dict):
            raise ValueError("state values must be objects")
        for element in inputs.values():
            if isinstance(element, dict):
                form[str(block_id)] = _element_value(element)
    origin = _opt_map(meta, "o")
    press = Press(meta["a"], str(meta.get("v") or ""), form)
    return FormSubmission(_str(_map(data, "user"), "id"), press, dict(origin))


def _element_value(element: Mapping[str, Any]) -> str:
    """What an input holds: a text or number input its `value`, a static_select the value of
    its `selected_option` (none picked: empty)."""
    picked = element.get("selected_option")
    if isinstance(picked, dict):
        return str(picked.get("value") or "").strip()
    return str(element.get("value") or "").strip()


def form_metadata(action: str, value: str, bp: ButtonPress | None) -> str:
    """private_metadata for a modal: the action to run and the message to update after."""
    origin = bp.origin() if bp is not None and bp.container == "message" else {}
    meta = json.dumps({"a": action, "v": value, "o": origin}, separators=(",", ":"))
    return meta if len(meta) <= 3000 else json.dumps({"a": action, "v": value, "o": {}})


def home_opened(data: Mapping[str, Any]) -> HomeOpened:
    event = _map(data, "event")
    return HomeOpened(user_id=_str(event, "user"), event_id=_str(data, "event_id"))


def _map(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data[key]
    if not isinstance(value, dict):
        raise TypeError(f"{key} must be an object")
    return value


def _opt_map(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def check_inputs(blocks: list[dict[str, Any]], form: Mapping[str, str]) -> dict[str, str]:
    """Inline errors for empty required inputs and numbers that aren't, before any handler."""
    problems: dict[str, str] = {}
    for block in blocks:
        if block.get("type") != "input":
            continue
        name, value = str(block.get("block_id")), form.get(str(block.get("block_id")), "")
        if not value and not block.get("optional"):
            problems[name] = bt.REQUIRED
        elif value and (block.get("element") or {}).get("type") == "number_input":
            try:
                Decimal(value.replace(",", ""))
            except InvalidOperation:
                problems[name] = bt.NOT_NUMBER
    return problems
