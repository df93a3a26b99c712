"""Webhook intake that keeps the durability promise: an update is stored in SQLite before Telegram gets 200.

The HTTP side is tornado's server (the one PTB's own webhook extra uses), not hand-written parsing: header
lines and bodies are read with size limits, headers and bodies with time limits, idle keep-alive
connections are closed, and the number of open connections is capped. TLS is the reverse proxy's job.
Requests without the right secret token header get 403, so nobody can inject updates; anything that is not
a JSON update gets 400.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol

from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets
from tornado.web import Application, HTTPError, RequestHandler

from bot.clock import Clock
from bot.storage.db import StorageError
from bot.storage.inbox import InboxStore

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Limits:
    """Telegram sends small JSON bodies with a few short headers, at most 100 connections (setWebhook's
    max_connections, default 40); anything beyond is not Telegram and must not cost memory or sockets."""

    max_header_bytes: int = 8_192
    max_body_bytes: int = 1_000_000
    header_seconds: float = 10.0  # headers of a request must arrive within this; also the keep-alive idle time
    body_seconds: float = 10.0
    max_connections: int = 100


class Dispatcher(Protocol):
    def dispatch(self, update_id: int, payload: dict[str, object]) -> None: ...


class _BoundedHTTPServer(HTTPServer):
    """tornado's HTTPServer with a cap on open connections: one more is closed at once."""

    max_connections = Limits.max_connections
    _refused = 0

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        if len(self._connections) >= self.max_connections:
            self._refused += 1
            if self._refused in (1, 10, 100, 1000) or self._refused % 10_000 == 0:  # a flood writes no flood
                log.warning("webhook: %d connections open, refused %d so far", len(self._connections), self._refused)
            stream.close()
            return
        super().handle_stream(stream, address)


class _UpdateHandler(RequestHandler):
    """POST <path>: check the secret, parse the update, store it, then answer 200."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, intake: WebhookServer) -> None:
        self.intake = intake

    async def post(self) -> None:
        status = await self.intake.accept(self.request.headers.get(SECRET_HEADER), self.request.body)
        self.set_status(status)
        self.set_header("Content-Type", "text/plain")
        self.finish("ok" if status == 200 else "refused")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain")
        self.finish("refused")

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, HTTPError):  # a wrong method is not worth a line; anything else is, briefly
            log.warning("webhook request failed: %s", typ.__name__ if typ else "?")  # no traceback, no body


class WebhookServer:
    def __init__(
        self,
        inbox: InboxStore,
        poller: Dispatcher,
        clock: Clock,
        secret: str,
        path: str,
        limits: Limits | None = None,
    ) -> None:
        self.inbox = inbox
        self.poller = poller
        self.clock = clock
        self._secret = secret.encode("utf-8")
        self.path = path
        self.limits = limits or Limits()
        self._server: _BoundedHTTPServer | None = None

    async def start(self, host: str, port: int) -> int:
        app = Application([(self.path, _UpdateHandler, {"intake": self})], log_function=lambda handler: None)
        limits = self.limits
        server = _BoundedHTTPServer(
            app,
            max_header_size=limits.max_header_bytes,
            max_body_size=limits.max_body_bytes,
            idle_connection_timeout=limits.header_seconds,
            body_timeout=limits.body_seconds,
        )
        server.max_connections = limits.max_connections
        sockets = bind_sockets(port, host, family=socket.AF_UNSPEC)
        server.add_sockets(sockets)
        self._server = server
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    def _secret_ok(self, given: str | None) -> bool:
        """Constant-time on bytes: tornado hands header values over as latin-1 text, so non-ASCII secrets
        (which made `hmac.compare_digest` on text raise) compare like any other."""
        if given is None:
            return False
        return hmac.compare_digest(given.encode("latin-1", errors="replace"), self._secret)

    async def accept(self, secret: str | None, body: bytes) -> int:
        """The status for Telegram: 200 only once the update is committed to the inbox."""
        if not self._secret_ok(secret):
            log.warning("webhook request without the right secret token refused")
            return 403
        try:
            payload = json.loads(body)
            update_id = int(payload["update_id"]) if isinstance(payload, dict) else None
        except (ValueError, KeyError, TypeError, RecursionError):
            update_id = None
        if update_id is None:
            return 400
        try:
            await self.inbox.store([(update_id, payload)], self.clock.now())  # durable before the 200
        except (StorageError, sqlite3.Error) as exc:
            log.error("webhook: cannot store update %d: %s", update_id, type(exc).__name__)
            return 503  # Telegram delivers it again later
        self.poller.dispatch(update_id, payload)
        return 200
