"""Updates that ask nothing of the bot get nothing: no reply, no database write.

An edit of a message already sent is not a new request (Telegram resends the whole message, a
command included); a sticker, a dice or a pinned message is not something to answer with
"I did not understand". Answering each one is what let a barrage of them stall the bot.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select
from telegram import Update

from bot.app import KinerjaApp
from bot.db.models import ProcessedUpdate
from bot.db.session import Database
from tests.support import updates as make
from tests.support.recording import RecordingRequest

SARI = 6401


def _private_message(app: KinerjaApp, **content: Any) -> Update:
    body = {
        "message_id": 77,
        "date": 1_768_356_000,
        "chat": {"id": SARI, "type": "private", "first_name": "Sari"},
        "from": {"id": SARI, "is_bot": False, "first_name": "Sari"},
        **content,
    }
    update = Update.de_json({"update_id": 990_001, "message": body}, app.bot)
    assert update is not None
    return update


async def test_an_edited_command_in_the_private_chat_gets_no_second_answer(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Editing a /bantuan already answered runs nothing and stores nothing."""
    await app.process_update(
        make.edited(app.bot, user_id=SARI, text="/bantuan", chat_id=SARI, chat_type="private")
    )
    assert recorder.calls == []
    async with db.session() as session:
        assert (await session.exec(select(func.count()).select_from(ProcessedUpdate))).one() == 0


STICKER = {
    "file_id": "sticker-1",
    "file_unique_id": "s1",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
    "type": "regular",
}


@pytest.mark.parametrize(
    "content",
    [
        {"sticker": STICKER},
        {"dice": {"emoji": "🎲", "value": 3}},
        {"pinned_message": {"message_id": 5, "date": 0, "chat": {"id": SARI, "type": "private"}}},
    ],
    ids=["sticker", "dice", "pin"],
)
async def test_a_sticker_dice_or_pin_in_the_private_chat_gets_no_answer(
    app: KinerjaApp, recorder: RecordingRequest, content: dict[str, Any]
) -> None:
    """Nothing to act on: no "I did not understand" either."""
    await app.process_update(_private_message(app, **content))
    assert recorder.sent() == []


async def test_text_the_bot_does_not_understand_still_gets_a_next_step(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Typed text is a request: the person is told what to do next (unchanged)."""
    await app.process_update(_private_message(app, text="halo"))
    assert "/start" in recorder.last(SARI)["text"]
