"""Driving the bot like a person in handler tests: type, press, send files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import Draft
from bot.db.session import Database
from tests.evidence.fake_api import FileServingRequest
from tests.support import updates as make


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every inline button of a sent message, as (text, callback data)."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def data(message: Mapping[str, Any], text: str) -> str:
    """The callback data of the button whose text starts with ``text``."""
    found = [payload for label, payload in buttons(message) if label.startswith(text)]
    assert found, f"no button {text!r} in {buttons(message)}"
    return found[0]


async def say(app: KinerjaApp, user: int, text: str) -> None:
    """The person types ``text``."""
    await app.process_update(make.message(app.bot, user_id=user, text=text))


async def press(app: KinerjaApp, user: int, payload: str) -> None:
    """The person presses a button carrying ``payload``."""
    await app.process_update(make.callback(app.bot, user_id=user, data=payload))


async def send_document(
    app: KinerjaApp,
    recorder: FileServingRequest,
    user: int,
    payload: bytes,
    *,
    name: str = "laporan.pdf",
    mime: str = "application/pdf",
    size: int | None = None,
) -> str:
    """The person sends a document; Telegram keeps its bytes. Returns its file_id."""
    declared = len(payload) if size is None else size
    update = make.document(app.bot, user_id=user, size=declared, mime_type=mime, file_name=name)
    assert update.message is not None
    assert update.message.document is not None
    file_id = update.message.document.file_id
    recorder.files[file_id] = payload
    await app.process_update(update)
    return file_id


async def send_photo(
    app: KinerjaApp, recorder: FileServingRequest, user: int, payload: bytes
) -> str:
    """The person sends a photo; Telegram keeps its bytes. Returns the largest size's file_id."""
    update = make.photo(app.bot, user_id=user, size=len(payload))
    assert update.message is not None
    file_id = update.message.photo[-1].file_id
    recorder.files[file_id] = payload
    await app.process_update(update)
    return file_id


def callback_answers(recorder: FileServingRequest) -> list[str | None]:
    """The texts of every answerCallbackQuery, in order."""
    return [c.params.get("text") for c in recorder.calls if c.method == "answerCallbackQuery"]


async def draft(db: Database) -> Draft | None:
    """The one open form draft, if any."""
    async with db.session() as session:
        return (await session.exec(select(Draft))).first()
