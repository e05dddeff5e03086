"""The bot's Bot API client on aiohttp: what arrives at the API, and how failures surface."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.api_request import AiohttpRequest
from bot.sandbox import Sandbox

TOKEN = "7000000009:AAFapiRequestSandboxOnlyNotRealToken1"


@pytest.fixture
async def api() -> AsyncIterator[Sandbox]:
    async with Sandbox(token=TOKEN) as sandbox:
        yield sandbox


def bot_for(base_url: str, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=request, get_updates_request=AiohttpRequest(1))


async def test_a_message_with_buttons_arrives_as_sent(api: Sandbox) -> None:
    """Nested parameters (the keyboard) and non-ASCII text survive the JSON body."""
    api.user(4242, started=True)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Setuju ✓", callback_data="ok:1")]])
    async with bot_for(api.base_url, AiohttpRequest(2)) as bot:
        sent = await bot.send_message(4242, "Capaian 100,2 % — «baik»", reply_markup=keyboard)
    [delivered] = [d for d in api.delivered if d.chat_id == 4242]
    assert delivered.text == "Capaian 100,2 % — «baik»"
    assert sent.reply_markup == keyboard
    [call] = api.calls_to("sendMessage")
    assert call.params["reply_markup"] == keyboard.to_dict()


async def test_a_document_is_uploaded_byte_for_byte(api: Sandbox) -> None:
    """Files go as multipart, with the other parameters as plain fields."""
    api.user(4243, started=True)
    content = bytes(range(256)) * 40
    async with bot_for(api.base_url, AiohttpRequest(2)) as bot:
        sent = await bot.send_document(4243, content, filename="rekap.xlsx", caption="Rekap")
    assert sent.document is not None
    assert sent.document.file_name == "rekap.xlsx"
    assert sent.caption == "Rekap"
    assert api.file_bytes(sent.document.file_id) == content


async def test_more_calls_than_connections_are_all_answered(api: Sandbox) -> None:
    """More calls than connections: every one is answered, none lost to the queue."""
    api.user(4244, started=True)
    async with bot_for(api.base_url, AiohttpRequest(3)) as bot:
        await asyncio.gather(*(bot.send_message(4244, f"pesan {n}") for n in range(40)))
    texts = sorted(d.text for d in api.delivered if d.chat_id == 4244)
    assert texts == sorted(f"pesan {n}" for n in range(40))


async def test_an_api_that_does_not_answer_in_time_is_timed_out() -> None:
    """A read that takes longer than the read timeout raises PTB's TimedOut."""
    release = asyncio.Event()

    async def stall(_: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stall)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    request = AiohttpRequest(1, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        release.set()
        await request.shutdown()
        await runner.cleanup()


async def test_an_api_nobody_listens_on_is_a_network_error() -> None:
    """A refused connection raises PTB's NetworkError naming the client's error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="aiohttp"):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()


async def test_a_request_not_initialised_says_so() -> None:
    """A call before initialize() fails at once, saying why (PTB wraps it as NetworkError)."""
    with pytest.raises(NetworkError, match="not initialized"):
        await AiohttpRequest(1).post(f"http://127.0.0.1:9/bot{TOKEN}/getMe")
