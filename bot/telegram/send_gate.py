"""At most one message that Telegram has accepted but the bot has not yet recorded.

Telegram has no idempotency key: if the bot dies after Telegram accepted a message and before the record
of it is committed, the replay sends it again. Recording fast is not enough under load: while one record
waits for the database, other sends go out and are accepted, and a SIGKILL then costs all of them (up to
8 duplicates per kill in the 30-user test). The gate closes that: a recorded send (`Sender.once`) takes the
gate just before its HTTP request leaves (after the rate limiter, so waiting for Telegram's limits blocks
nobody) and gives it back when the record is committed, or at once when Telegram refused or did not answer.
So a crash costs at most one duplicate. The price: recorded sends go out one at a time, each taking one round
trip to Telegram plus a commit (~30-50 ms from Germany: 20-30 messages/s, Telegram's own limit is 30/s).
Other requests (button answers, edits, getUpdates) are not gated.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.request import BaseRequest, RequestData

GATE_WIDTH = 1  # messages accepted but unrecorded at most; a SIGKILL duplicates at most this many


@dataclass
class _Claim:
    held: bool = False


_claim: ContextVar[_Claim | None] = ContextVar("wegweiser_send_claim", default=None)


class SendGate:
    def __init__(self, width: int = GATE_WIDTH) -> None:
        self._slots = asyncio.Semaphore(width)

    @contextlib.asynccontextmanager
    async def recording(self) -> AsyncIterator[None]:
        """Around one send and its record: requests made inside take the gate; it is free again on exit."""
        claim = _Claim()
        token = _claim.set(claim)
        try:
            yield
        finally:
            _claim.reset(token)
            self._release(claim)

    async def before_request(self) -> None:
        claim = _claim.get()
        if claim is not None and not claim.held:
            await self._slots.acquire()
            claim.held = True

    def not_accepted(self) -> None:
        """Telegram refused the request or did not answer: nothing to record, let others go."""
        claim = _claim.get()
        if claim is not None:
            self._release(claim)

    def _release(self, claim: _Claim) -> None:
        if claim.held:
            claim.held = False
            self._slots.release()


class GatedRequest(BaseRequest):
    """Wraps the Bot's HTTP backend (HTTPXRequest, or a test double's) with the gate."""

    def __init__(self, inner: BaseRequest, gate: SendGate) -> None:
        self.inner = inner
        self.gate = gate

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        await self.gate.before_request()
        try:
            status, payload = await self.inner.do_request(
                url,
                method,
                request_data=request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except BaseException:
            self.gate.not_accepted()
            raise
        if status != 200:
            self.gate.not_accepted()
        return status, payload
