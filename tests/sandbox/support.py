"""Helpers shared by the sandbox tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import HTTPXRequest

from bot.sandbox import Sandbox

ApiCall = Callable[..., Awaitable[httpx.Response]]
RunApp = Callable[..., AbstractAsyncContextManager[Application[Any, Any, Any, Any, Any, Any]]]


class FakeMonotonic:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


def local_request() -> HTTPXRequest:
    """Return a PTB request without TLS setup (the sandbox is plain HTTP; saves ~50 ms)."""
    return HTTPXRequest(httpx_kwargs={"verify": False})


def builder_for(sandbox: Sandbox) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """Return an ApplicationBuilder pointed at the sandbox."""
    return (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .request(local_request())
        .get_updates_request(local_request())
    )


async def wait_until_polling(sandbox: Sandbox) -> None:
    """Wait (bounded) until a getUpdates request is parked in the sandbox."""
    for _ in range(300):
        if sandbox.polling:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no getUpdates request arrived")


async def noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A handler that does nothing."""
