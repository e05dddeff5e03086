"""Telegram's size limits, checked on every Bot API call a test recorded.

Measured independently of the bot's own code: the text as the sandbox's HTML parser decodes
it (what Telegram shows), in UTF-16 code units, as Telegram counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from bot.sandbox.html import parse_html, utf16_len
from tests.support.recording import Call

MAX_TEXT, MAX_CAPTION, MAX_BUTTONS, MAX_CALLBACK_BYTES = 4096, 1024, 100, 64
GUARD_LOGGER = "bot.guard"


def shown(params: Mapping[str, Any], key: str = "text") -> str:
    """What the person sees of a text or caption (HTML parsed as Telegram parses it)."""
    source = str(params.get(key) or "")
    return parse_html(source).text if params.get("parse_mode") == "HTML" else source


def inline_buttons(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every inline button of a call's reply_markup."""
    markup = params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def problems(call: Call) -> list[str]:
    """What Telegram would refuse in this call (an empty list: it fits)."""
    found = []
    params = call.params
    if "text" in params and utf16_len(shown(params)) > MAX_TEXT:
        found.append(f"{call.method}: text of {utf16_len(shown(params))} > {MAX_TEXT}")
    if "caption" in params and utf16_len(shown(params, "caption")) > MAX_CAPTION:
        found.append(f"{call.method}: caption over {MAX_CAPTION}")
    buttons = inline_buttons(params)
    if len(buttons) > MAX_BUTTONS:
        found.append(f"{call.method}: {len(buttons)} buttons > {MAX_BUTTONS}")
    for button in buttons:
        data = button.get("callback_data")
        if data is not None and len(str(data).encode()) > MAX_CALLBACK_BYTES:
            found.append(f"{call.method}: callback data {data!r} over {MAX_CALLBACK_BYTES} bytes")
    return found


def assert_all_fit(calls: Iterable[Call], caplog: pytest.LogCaptureFixture) -> None:
    """Every call fits Telegram's limits, and none needed the sending guard's repair."""
    found = [problem for call in calls for problem in problems(call)]
    assert not found, found
    assert not guard_warnings(caplog)


def guard_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The sending guard's warnings so far."""
    return [r.getMessage() for r in caplog.records if r.name == GUARD_LOGGER]


def maximal(tag: str, length: int = 500) -> str:
    """A free text of exactly ``length`` characters that starts with ``tag``.

    It holds characters HTML escapes (one visible character for several sent) and emoji (two
    UTF-16 code units for one character), as real notes and targets do.
    """
    filler = " Laporan & <data> kinerja 😀 bulanan"
    return (tag + filler * (length // len(filler) + 1))[:length]
