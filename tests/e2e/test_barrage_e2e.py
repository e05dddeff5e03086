"""The odd-update barrage: hundreds of updates the bot does not act on leave it answering.

Thirty private chats, a group and a channel send, quickly, what the bot has nothing to say to:
stickers, dice, pins, edits, reactions, polls, channel posts, member changes, update kinds newer
than the bot's library, and malformed payloads Telegram should never send but a proxy or a
library upgrade might. A fresh ``/bantuan`` from somebody else is answered, and none of the
barrage got a reply. (How fast is measured in ``bench/latency.py``, not here.)
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.sandbox import Sandbox
from tests.e2e.conftest import RunningBot

pytestmark = pytest.mark.e2e

WAIT = 30  # seconds; generous for a loaded 2-core machine
ODD_CHATS = range(8100, 8130)
GROUP = -100_8100
CHANNEL = -100_8200
FRESH = 8999
PER_CHAT = 10  # below the flood limit: this is about odd updates, not about one chat's flood


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Odd", "language_code": "id"}


def _private(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Odd"}


def _message(user_id: int, serial: int, **content: Any) -> dict[str, Any]:
    body = {"message_id": serial, "date": 1_768_356_000, "chat": _private(user_id)}
    return {**body, "from": _user(user_id), **content}


STICKER = {
    "file_id": "sticker-1",
    "file_unique_id": "s1",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
    "type": "regular",
}
COMMAND = {"text": "/bantuan", "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}


def odd_update(user_id: int, serial: int) -> tuple[str, Any]:
    """The ``serial``-th odd update from ``user_id``'s side (kinds in turn)."""
    kinds: list[tuple[str, Any]] = [
        ("message", _message(user_id, serial, sticker=STICKER)),
        ("message", _message(user_id, serial, dice={"emoji": "🎲", "value": 3})),
        ("message", _message(user_id, serial, pinned_message=_message(user_id, 1, text="x"))),
        ("edited_message", {**_message(user_id, serial, **COMMAND), "edit_date": 1_768_356_060}),
        (
            "message_reaction",
            {
                "chat": _private(user_id),
                "message_id": 1,
                "date": 1_768_356_000,
                "user": _user(user_id),
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            },
        ),
        (
            "poll",  # as Bot API versions before 9.6 sent it: PTB 22.8 cannot read it
            {
                "id": f"poll-{serial}",
                "question": "Rapat?",
                "options": [{"text": "ya", "voter_count": 1}],
                "total_voter_count": 1,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        ),
        (
            "channel_post",
            {
                "message_id": serial,
                "date": 1_768_356_000,
                "chat": {"id": CHANNEL, "type": "channel", "title": "Info Dinas"},
                **COMMAND,
            },
        ),
        (
            "chat_member",
            {
                "chat": {"id": GROUP, "type": "supergroup", "title": "Grup Dinas"},
                "from": _user(user_id),
                "date": 1_768_356_000,
                "old_chat_member": {"user": _user(user_id), "status": "left"},
                "new_chat_member": {"user": _user(user_id), "status": "member"},
            },
        ),
        ("update_kind_from_the_future", {"chat": _private(user_id), "anything": serial}),
        ("message", {"message_id": serial, "chat": _private(user_id)}),  # no date, no sender
        ("message", {"message_id": serial, "date": 1_768_356_000}),  # no chat at all
        ("message", _message(user_id, serial, chat="not a chat")),
        ("message", [user_id, serial]),
    ]
    return kinds[serial % len(kinds)]


async def test_a_barrage_of_odd_updates_leaves_the_bot_answering_and_gets_no_reply(
    sandbox: Sandbox, running_bot: RunningBot
) -> None:
    """300 odd updates from 30 chats, then a fresh /bantuan: answered; the barrage: nothing."""
    for chat in ODD_CHATS:
        sandbox.user(chat, "Odd", started=True)
    fresh = sandbox.user(FRESH, "Sari")
    serials = itertools.count(10)
    async with running_bot():
        await fresh.send_command("bantuan")
        await fresh.next_message(timeout=WAIT)  # the bot is up and polling
        for _ in range(PER_CHAT):
            for chat in ODD_CHATS:
                sandbox.inject_update(*odd_update(chat, next(serials)))
        await fresh.send_command("bantuan")
        answer = await fresh.next_message(timeout=WAIT)
    assert "Cara kerja penilaian kinerja" in answer.text
    assert [d for d in sandbox.delivered if d.chat_id != FRESH] == []
