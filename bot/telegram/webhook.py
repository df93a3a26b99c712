"""Webhook intake that keeps the durability promise: an update is stored in SQLite before Telegram gets 200.

A small asyncio HTTP/1.1 server (Telegram only POSTs JSON to one path); TLS is left to the reverse proxy
in front of it. Requests without the secret token header are refused, so nobody can inject updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from typing import Any

from bot.clock import Clock
from bot.storage.inbox import InboxStore
from bot.telegram.polling import DurablePoller

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # Telegram updates are small; anything bigger is not from Telegram
SECRET_HEADER = "x-telegram-bot-api-secret-token"


class WebhookServer:
    def __init__(self, inbox: InboxStore, poller: DurablePoller, clock: Clock, secret: str, path: str) -> None:
        self.inbox = inbox
        self.poller = poller
        self.clock = clock
        self.secret = secret
        self.path = path
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(self._connection, host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                method, path, _ = ([*request_line.decode("latin-1").split(" ", 2), "", ""])[:3]
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                if length > MAX_BODY:
                    await self._reply(writer, 413, "too large")
                    break
                body = await reader.readexactly(length) if length else b""
                status = await self._handle(method, path, headers, body)
                await self._reply(writer, status, "ok" if status == 200 else "refused")
                if headers.get("connection", "").lower() == "close":
                    break
        writer.close()

    async def _handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
        if method != "POST" or path.split("?")[0] != self.path:
            return 404
        if not hmac.compare_digest(headers.get(SECRET_HEADER, ""), self.secret):
            log.warning("webhook request without the right secret token refused")
            return 403
        try:
            payload: dict[str, Any] = json.loads(body)
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):
            return 400
        await self.inbox.store([(update_id, payload)], self.clock.now())  # durable before the 200
        self.poller.dispatch(update_id, payload)
        return 200

    @staticmethod
    async def _reply(writer: asyncio.StreamWriter, status: int, text: str) -> None:
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 413: "Payload Too Large"}
        body = text.encode()
        head = f"HTTP/1.1 {status} {reason.get(status, 'Error')}\r\nContent-Type: text/plain\r\n"
        writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
