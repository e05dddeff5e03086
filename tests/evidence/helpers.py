"""Sending files like a person in evidence handler tests, and reading the open form draft."""

from __future__ import annotations

from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import Draft
from bot.db.session import Database
from tests.evidence.fake_api import FileServingRequest
from tests.support import updates as make


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


async def draft(db: Database) -> Draft | None:
    """The one open form draft, if any."""
    async with db.session() as session:
        return (await session.exec(select(Draft))).first()
