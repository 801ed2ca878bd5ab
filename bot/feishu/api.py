"""The Feishu Open API calls perfbot makes, with the official SDK's (lark-oapi) request
and response models and its tenant_access_token manager.

The SDK fetches the tenant_access_token and caches it (until ten minutes before it
expires); the fetch is a blocking call, so it is made here on a worker thread first and
the SDK finds it cached. A token Feishu says is invalid is forgotten and fetched again,
once. The requests themselves go over one pooled httpx client of ours: the SDK's async
transport opens a new client, with a new TLS context, for every call (about 60 ms of CPU
each, bench/feishu_bench.py). Refusals become FeishuError: a 429 (or code 99991400)
carries the seconds its `x-ogw-ratelimit-reset` header says to wait.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import lark_oapi as lark
from lark_oapi.api.contact.v3 import (
    BatchGetIdUserRequest,
    BatchGetIdUserRequestBody,
    BatchGetIdUserResponse,
    GetUserRequest,
    GetUserResponse,
)
from lark_oapi.api.im.v1 import (
    CreateImageRequest,
    CreateImageRequestBody,
    CreateImageResponse,
    CreateMessageRequest,
    CreateMessageRequestBody,
    CreateMessageResponse,
    PatchMessageRequest,
    PatchMessageRequestBody,
    PatchMessageResponse,
    ReplyMessageRequest,
    ReplyMessageRequestBody,
    ReplyMessageResponse,
)
from lark_oapi.core.exception import ObtainAccessTokenException
from lark_oapi.core.token import TokenManager, verify
from lark_oapi.core.utils import Files

from bot.config import FeishuSettings
from bot.feishu import render
from bot.feishu import strings as fs
from bot.feishu.errors import ConfigError as ConfigError  # raised here, importable here
from bot.feishu.errors import FeishuError as FeishuError
from bot.feishu.mobiles import mobile_e164, mobile_forms
from bot.feishu.responses import body_of, outcome, rate_limit_reset
from handlers.cards import Image
from said import Said

log = logging.getLogger(__name__)
# The tenant_access_token is invalid or expired: fetch another and try once more.
BAD_TOKEN = frozenset({99991661, 99991663, 99991668})
TIMEOUT = 10.0
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # im/v1/images takes up to 10 MB, and no empty file
Json = dict[str, Any]


@dataclass(frozen=True)
class Person:
    """What the contact API says of a user: perfbot links them by e-mail, else mobile."""

    open_id: str
    name: str
    emails: tuple[str, ...]  # e-mail, then enterprise e-mail, when shared
    mobile: str | None = None  # E.164, when shared (scope contact:user.phone:readonly)


@dataclass(frozen=True)
class Sent:
    """A message sent: its id, and the chat it is in (for a person: their p2p chat)."""

    message_id: str
    chat_id: str


class FeishuApi:
    """The app's Open API client on the configured domain."""

    def __init__(self, settings: FeishuSettings) -> None:
        secret = settings.app_secret.get_secret_value().strip() if settings.app_secret else ""
        if not settings.app_id or not secret:
            raise ConfigError(Said(fs.NO_CREDENTIALS))
        self.base_url = settings.base_url()
        try:
            self.client = (
                lark.Client.builder()
                .app_id(settings.app_id.strip())
                .app_secret(secret)
                .domain(self.base_url)
                .timeout(TIMEOUT)
                .log_level(lark.LogLevel.WARNING)
                .build()
            )
        except ValueError as exc:  # the SDK refuses a domain that isn't an https origin
            raise ConfigError(Said(fs.BAD_DOMAIN, error=str(exc))) from None
        self.app_id = settings.app_id.strip()
        # Made on first use, on the caller's event loop (a client's connections belong to one).
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def check(self) -> None:
        """Fetch a tenant_access_token now: wrong credentials fail here, with Feishu's reason."""
        await self._token()

    async def bot_open_id(self) -> str:
        """The bot's own open_id (GET /open-apis/bot/v3/info): how a group mention of it is
        told from a mention of someone else."""
        req = (
            lark.BaseRequest.builder()
            .http_method(lark.HttpMethod.GET)
            .uri("/open-apis/bot/v3/info")
            .token_types({lark.AccessTokenType.TENANT})
            .build()
        )
        resp = await self._call(req, lark.BaseResponse)
        bot = body_of(resp).get("bot") or {}
        return str(bot.get("open_id") or "") if isinstance(bot, dict) else ""

    async def send(self, receive_id_type: str, receive_id: str, card: Json) -> Sent:
        """A card to a person (`open_id`) or a chat (`chat_id`): where it landed."""
        body = (
            CreateMessageRequestBody.builder()
            .receive_id(receive_id)
            .msg_type("interactive")
            .content(render.content(card))
            .build()
        )
        req = CreateMessageRequest.builder().receive_id_type(receive_id_type).request_body(body)
        resp = await self._call(req.build(), CreateMessageResponse)
        data = resp.data
        return Sent(
            str(getattr(data, "message_id", "") or ""), str(getattr(data, "chat_id", "") or "")
        )

    async def reply(self, message_id: str, card: Json) -> str:
        """A card in answer to a message (the chat shows it as a reply)."""
        body = (
            ReplyMessageRequestBody.builder()
            .msg_type("interactive")
            .content(render.content(card))
            .build()
        )
        req = ReplyMessageRequest.builder().message_id(message_id).request_body(body).build()
        resp = await self._call(req, ReplyMessageResponse)
        return str(getattr(resp.data, "message_id", "") or "")

    async def patch(self, message_id: str, card: Json) -> None:
        """Replace a card the bot sent (a decision taken on it, after the callback's 3 s)."""
        body = PatchMessageRequestBody.builder().content(render.content(card)).build()
        req = PatchMessageRequest.builder().message_id(message_id).request_body(body).build()
        await self._call(req, PatchMessageResponse)

    async def person(self, open_id: str) -> Person | None:
        """A user's name and e-mails (contact/v3/users/:user_id); None when not visible."""
        req = GetUserRequest.builder().user_id(open_id).user_id_type("open_id").build()
        try:
            resp = await self._call(req, GetUserResponse)
        except FeishuError as exc:
            if exc.retry_after is not None:
                raise
            log.warning("contact user %s: %s", open_id, exc.msg)
            return None
        user = getattr(resp.data, "user", None)
        if user is None:
            return None
        found = (user.email, user.enterprise_email)
        emails = tuple(e.strip().lower() for e in found if isinstance(e, str) and e.strip())
        return Person(open_id, str(user.name or ""), emails, mobile_e164(user.mobile))

    async def open_ids(self, emails: Sequence[str], mobiles: Sequence[str] = ()) -> dict[str, str]:
        """E-mail (lower case) or E.164 mobile -> open_id for the users found
        (contact/v3/users/batch_get_id; at most 50 of each)."""
        asked = [form for m in mobiles for form in mobile_forms(m)][:50]
        body = BatchGetIdUserRequestBody.builder().emails(list(emails)[:50])
        req = BatchGetIdUserRequest.builder().user_id_type("open_id")
        req.request_body((body.mobiles(asked) if asked else body).build())
        resp = await self._call(req.build(), BatchGetIdUserResponse)
        found: dict[str, str] = {}
        for info in getattr(resp.data, "user_list", None) or ():
            if not info.user_id:  # not found, or outside the app's availability
                continue
            if info.email:
                found[str(info.email).lower()] = str(info.user_id)
            if number := mobile_e164(info.mobile):
                found[number] = str(info.user_id)
        return found

    async def upload_image(self, data: bytes, filename: str) -> str:
        """A PNG uploaded for messages (POST /open-apis/im/v1/images, multipart with
        image_type=message): its image_key, for a card's `img` element."""
        if not 0 < len(data) <= MAX_IMAGE_BYTES:
            raise FeishuError(0, 0, f"an image of {len(data)} bytes can't be uploaded")
        image = io.BytesIO(data)
        image.name = filename  # the multipart part's filename
        body = CreateImageRequestBody.builder().image_type("message").image(image).build()
        req = CreateImageRequest.builder().request_body(body).build()
        req.files = Files.extract_files(req.body)  # as the SDK's Image.acreate does
        resp = await self._call(req, CreateImageResponse)
        key = str(getattr(resp.data, "image_key", "") or "")
        if not key:
            raise FeishuError(int(resp.raw.status_code), 0, "no image_key in the answer")
        return key

    async def image_key(self, image: Image | None, *, raise_rate_limit: bool = False) -> str:
        """A card's chart uploaded: its image_key, or "" when there is none or Feishu refused
        it (no im:resource scope, too large, Feishu down), so the card names the chart. With
        `raise_rate_limit`, a rate limit is raised instead (the outbox waits and retries)."""
        if image is None:
            return ""
        try:
            return await self.upload_image(image.data, image.filename)
        except FeishuError as exc:
            if raise_rate_limit and exc.retry_after is not None:
                raise
            log.warning("image %s not uploaded: %s", image.filename, exc)
            return ""

    async def request(self, req: Any, kind: type) -> Any:
        """Any SDK request model, sent as the calls above are; `kind` is its response model
        (for modules with calls of their own, such as bot/feishu/contact.py)."""
        return await self._call(req, kind)

    def forget_token(self) -> None:
        """Drop the cached tenant_access_token (Feishu said it is no longer valid)."""
        TokenManager.cache.set(f"self_tenant_token:{self.app_id}", "", 0)

    async def _token(self) -> None:
        try:
            await asyncio.to_thread(TokenManager.get_self_tenant_token, self.client.config)
        except ObtainAccessTokenException as exc:
            raise FeishuError(200, int(exc.code or 0), str(exc.msg)) from None
        except Exception as exc:  # connection refused, DNS, timeouts
            raise FeishuError(0, 0, f"{type(exc).__name__}: {exc}") from None

    async def close(self) -> None:
        """Close the pooled connections."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _call(self, req: Any, kind: type) -> Any:
        """One request with the SDK's token; the SDK's response model of `kind`."""
        for attempt in (1, 2):
            await self._token()
            try:
                resp = await self._execute(req, kind)
            except httpx.HTTPError as exc:  # the connection failed: worth a later retry
                raise FeishuError(0, 0, f"{type(exc).__name__}: {exc}") from None
            status = int(resp.raw.status_code)
            code, msg = outcome(resp, status)
            if status < 300 and code == 0:
                return resp
            if code in BAD_TOKEN and attempt == 1:
                self.forget_token()
                continue
            raise FeishuError(status, code, msg, retry_after=rate_limit_reset(resp, code))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _execute(self, req: Any, kind: type) -> Any:
        """What the SDK's Transport.aexecute does, on the pooled client."""
        option = lark.RequestOption()
        verify(self.client.config, req, option)  # the cached tenant_access_token
        uri = str(req.uri)
        for key, value in (req.paths or {}).items():
            uri = uri.replace(":" + key, quote(str(value), safe=""))
        headers = {**req.headers, "Authorization": f"Bearer {option.tenant_access_token}"}
        body = json.loads(lark.JSON.marshal(req.body)) if req.body is not None else None
        files = form = None
        if req.files:  # multipart/form-data: the files, and the body's other fields as parts
            for f in req.files.values():
                f.seek(0)  # a second attempt (a fresh token) sends the whole file again
            form = {k: str(v) for k, v in (body or {}).items() if v is not None}
            files, body = req.files, None
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._http = httpx.AsyncClient(base_url=self.base_url, timeout=TIMEOUT)
            self._loop = loop
        got = await self._http.request(
            req.http_method.name,
            uri,
            params=req.queries,
            json=body,
            data=form,
            files=files,
            headers=headers,
        )
        raw = lark.RawResponse()
        raw.status_code, raw.headers, raw.content = got.status_code, dict(got.headers), got.content
        try:
            resp = lark.JSON.unmarshal(got.text, kind)
        except ValueError:  # not JSON: a proxy's error page
            resp = lark.BaseResponse()
        resp.raw = raw
        return resp
