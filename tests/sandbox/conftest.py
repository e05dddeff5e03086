"""Fixtures for the sandbox tests: a started sandbox, raw HTTP, a PTB Bot and Application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes

from bot.sandbox import Sandbox
from tests.sandbox.support import ApiCall, RunApp, builder_for, local_request


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A started sandbox with default settings."""
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client whose base URL is the bot's API root (``.../bot<token>/``)."""
    async with httpx.AsyncClient(
        base_url=f"{sandbox.base_url}{sandbox.token}/",
        verify=False,  # noqa: S501 - plain HTTP on 127.0.0.1; skips loading CA certificates
    ) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient) -> ApiCall:
    """Call a Bot API method with a JSON body and return the raw response."""

    async def call(method: str, **params: Any) -> httpx.Response:
        return await http.post(method, json=params, timeout=15)

    return call


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to the sandbox."""
    async with Bot(
        sandbox.token,
        base_url=sandbox.base_url,
        base_file_url=sandbox.base_file_url,
        request=local_request(),
        get_updates_request=local_request(),
    ) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def run_app(sandbox: Sandbox) -> RunApp:
    """Run a real polling Application with the given handlers; re-raise handler errors."""

    @asynccontextmanager
    async def run(
        *handlers: BaseHandler[Any, Any, Any],
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] | None = None,
    ) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
        app = (builder or builder_for(sandbox)).build()
        errors: list[BaseException] = []

        async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            if context.error is not None:
                errors.append(context.error)

        app.add_handlers(list(handlers))
        app.add_error_handler(collect)
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            try:
                yield app
            finally:
                await app.updater.stop()
                await app.stop()
        if errors:
            raise errors[0]

    return run
