"""Optional webhook delivery: updates POSTed to the bot's URL with the secret header."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot

from bot.sandbox import Sandbox
from tests.sandbox.support import local_request


class Receiver:
    """A tiny webhook endpoint that records what it receives and can be told to fail."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.status = 200
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        """Record the update and answer with the configured status."""
        if self.status == 200:
            self.received.append(await request.json())
            self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        return web.Response(status=self.status)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A running webhook receiver on 127.0.0.1."""
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


async def test_updates_are_posted_to_the_webhook(receiver: Receiver) -> None:
    """With deliver_webhooks=True, updates are POSTed in order with the secret token."""
    async with (
        Sandbox(deliver_webhooks=True) as sb,
        Bot(sb.token, base_url=sb.base_url, request=local_request()) as bot,
    ):
        await bot.set_webhook(receiver.url, secret_token="rahasia")
        user = sb.user(1)
        await user.send_text("satu")
        last = await user.send_text("dua")
        await sb.wait_consumed(last)
    assert [u["message"]["text"] for u in receiver.received] == ["satu", "dua"]
    assert receiver.secrets == ["rahasia", "rahasia"]


async def test_failed_delivery_is_reported_and_retried(receiver: Receiver) -> None:
    """A non-2xx answer shows in getWebhookInfo and the update is delivered once it recovers."""
    receiver.status = 500
    async with (
        Sandbox(deliver_webhooks=True) as sb,
        Bot(sb.token, base_url=sb.base_url, request=local_request()) as bot,
    ):
        await bot.set_webhook(receiver.url)
        update_id = await sb.user(1).send_text("halo")
        for _ in range(300):
            info = await bot.get_webhook_info()
            if info.last_error_message:
                break
            await asyncio.sleep(0.01)
        assert info.pending_update_count == 1
        assert info.last_error_message == (
            "Wrong response from the webhook: 500 Internal Server Error"
        )
        receiver.status = 200
        await sb.wait_consumed(update_id)
    assert receiver.received[0]["update_id"] == update_id
