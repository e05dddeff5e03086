"""The Bot API envelope: URLs, tokens, encodings, error shapes and bot-level methods."""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import InvalidToken

from bot.sandbox import Sandbox
from tests.sandbox.support import ApiCall, local_request


def test_base_urls_follow_ptb_conventions(sandbox: Sandbox) -> None:
    """base_url and base_file_url end in /bot and /file/bot so PTB can append the token."""
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/bot"
    assert sandbox.base_file_url == f"http://127.0.0.1:{sandbox.port}/file/bot"
    assert sandbox.port > 0


async def test_get_me_over_http_and_through_ptb(api: ApiCall, bot: Bot) -> None:
    """getMe answers {"ok": true, "result": User} and PTB parses it."""
    body = (await api("getMe")).json()
    assert body["ok"] is True
    assert body["result"]["is_bot"] is True
    assert body["result"]["id"] == 123456
    assert bot.username == "kinerja_sandbox_bot"


async def test_wrong_token_is_401_unauthorized(sandbox: Sandbox) -> None:
    """Any method under a wrong token answers 401 Unauthorized in the Bot API shape."""
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{sandbox.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_wrong_token_raises_invalid_token_in_ptb(sandbox: Sandbox) -> None:
    """PTB sees a wrong token as telegram.error.InvalidToken."""
    request = local_request()
    wrong = Bot("999:WRONG", base_url=sandbox.base_url, request=request)
    try:
        with pytest.raises(InvalidToken):
            await wrong.get_me()
    finally:
        await request.shutdown()


async def test_unknown_method_is_404(api: ApiCall) -> None:
    """A method the Bot API does not have answers 404 Not Found."""
    response = await api("sendTelepathy")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found"


async def test_method_names_are_case_insensitive(http: httpx.AsyncClient) -> None:
    """GETME and getme reach getMe, as on Telegram."""
    for name in ("GETME", "getme"):
        assert (await http.get(name)).json()["ok"] is True


async def test_query_string_form_and_json_encodings_are_all_accepted(
    sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    """Parameters arrive via query string, urlencoded form (JSON-encoded values) or JSON."""
    sandbox.user(7, started=True)
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    replies = [
        await http.get("sendMessage", params={"chat_id": "7", "text": "query"}),
        await http.post("sendMessage", data={"chat_id": "7", "text": "12", "reply_markup": markup}),
        await http.post("sendMessage", json={"chat_id": 7, "text": "json"}),
        await http.post("sendMessage", files={"chat_id": (None, "7"), "text": (None, "multi")}),
    ]
    assert [r.json()["result"]["text"] for r in replies] == ["query", "12", "json", "multi"]
    assert sandbox.user(7).messages[1].buttons == [["A"]]
    assert sandbox.calls_to("sendMessage")[1].params["chat_id"] == 7


async def test_missing_and_malformed_parameters_are_400(sandbox: Sandbox, api: ApiCall) -> None:
    """Missing chat_id, a non-numeric message_id and broken JSON give 400 Bad Request."""
    sandbox.user(7, started=True)
    cases = {
        "chat_id is empty": await api("sendMessage", text="x"),
        "message_id is empty": await api("deleteMessage", chat_id=7),
        "parameter message_id must be an integer": await api(
            "deleteMessage", chat_id=7, message_id="abc"
        ),
        "can't parse reply keyboard markup JSON object": await api(
            "sendMessage", chat_id=7, text="x", reply_markup="{not json"
        ),
    }
    for detail, response in cases.items():
        assert response.status_code == 400
        assert response.json() == {
            "ok": False,
            "error_code": 400,
            "description": f"Bad Request: {detail}",
        }


async def test_log_out_and_close_are_harmless(api: ApiCall) -> None:
    """logOut and close answer true and change nothing."""
    assert (await api("logOut")).json()["result"] is True
    assert (await api("close")).json()["result"] is True
    assert (await api("getMe")).json()["ok"] is True


async def test_commands_are_stored_per_scope_and_language(sandbox: Sandbox, bot: Bot) -> None:
    """setMyCommands/getMyCommands/deleteMyCommands keep one list per scope and language."""
    commands = [BotCommand("start", "Mulai"), BotCommand("lanjut", "Lanjutkan isian")]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands([BotCommand("help", "Help")], language_code="en")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(5))
    assert [c.command for c in await bot.get_my_commands()] == ["start", "lanjut"]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["help"]
    assert sandbox.commands({"type": "chat", "chat_id": 5})[0]["command"] == "admin"
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_invalid_command_is_refused(api: ApiCall) -> None:
    """A command with capitals or too long is BOT_COMMAND_INVALID."""
    response = await api("setMyCommands", commands=[{"command": "Start", "description": "x"}])
    assert response.json()["description"] == "Bad Request: BOT_COMMAND_INVALID"


async def test_every_call_is_recorded(sandbox: Sandbox, api: ApiCall) -> None:
    """sandbox.calls logs method, decoded params, chat id, time and outcome."""
    sandbox.user(7, started=True)
    await api("sendMessage", chat_id=7, text="hi")
    await api("sendMessage", chat_id=8, text="hi")
    ok, failed = sandbox.calls_to("sendMessage")
    assert (ok.ok, ok.chat_id, ok.params["text"]) == (True, 7, "hi")
    assert (failed.ok, failed.error_code) == (False, 400)
    assert failed.description == "Bad Request: chat not found"
    assert ok.time <= failed.time
