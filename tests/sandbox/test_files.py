"""Files: user uploads the bot downloads, bot uploads by multipart or file_id, size limits."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError

from bot.sandbox import Sandbox

USER = 601
MB = 1024 * 1024


async def received_document(bot: Bot) -> tuple[str, int]:
    """Return (file_id, file_size) of the only pending update's document, confirming it."""
    (update,) = await bot.get_updates()
    await bot.get_updates(offset=update.update_id + 1)
    assert update.message is not None
    assert update.message.document is not None
    document = update.message.document
    return document.file_id, document.file_size or 0


async def test_user_document_is_downloadable_with_identical_bytes(
    sandbox: Sandbox, bot: Bot
) -> None:
    """A document the user sends can be fetched with getFile and downloaded byte for byte."""
    data = bytes(range(256)) * 40
    await sandbox.user(USER).send_document(data, "laporan.pdf", "application/pdf", caption="Bukti")
    (update,) = await bot.get_updates()
    assert update.message is not None
    document = update.message.document
    assert document is not None
    assert (document.file_name, document.mime_type, document.file_size) == (
        "laporan.pdf",
        "application/pdf",
        len(data),
    )
    assert update.message.caption == "Bukti"
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    assert file.file_path.startswith(f"{sandbox.base_file_url}{sandbox.token}/")
    assert bytes(await file.download_as_bytearray()) == data


async def test_user_photo_is_downloadable(sandbox: Sandbox, bot: Bot) -> None:
    """A photo arrives as PhotoSize list; its largest size downloads with identical bytes."""
    data = b"\x89PNG fake image bytes" * 100
    await sandbox.user(USER).send_photo(data, caption="Kegiatan", size=(640, 480))
    (update,) = await bot.get_updates()
    assert update.message is not None
    photo = update.message.photo[-1]
    assert (photo.width, photo.height) == (640, 480)
    file = await photo.get_file()
    assert hashlib.sha256(await file.download_as_bytearray()).digest() == (
        hashlib.sha256(data).digest()
    )


async def test_files_over_20_mb_are_refused_by_get_file(sandbox: Sandbox, bot: Bot) -> None:
    """getFile refuses 20 MB + 1 byte with "file is too big" and serves exactly 20 MB."""
    user = sandbox.user(USER)
    await user.send_document(b"\0" * (20 * MB + 1), "besar.zip", "application/zip")
    big_id, _ = await received_document(bot)
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big_id)
    await user.send_document(b"\1" * (20 * MB), "pas.zip", "application/zip")
    ok_id, size = await received_document(bot)
    assert size == 20 * MB
    file = await bot.get_file(ok_id)
    assert len(await file.download_as_bytearray()) == 20 * MB


async def test_send_document_by_upload_and_by_file_id(sandbox: Sandbox, bot: Bot) -> None:
    """sendDocument accepts multipart bytes, then the returned file_id reuses the same file."""
    user = sandbox.user(USER, started=True)
    first = await bot.send_document(USER, b"%PDF-1.4 hasil", filename="hasil.pdf", caption="PKP")
    assert first.document is not None
    assert (first.document.file_name, first.document.mime_type, first.document.file_size) == (
        "hasil.pdf",
        "application/pdf",
        14,
    )
    again = await bot.send_document(USER, first.document.file_id)
    assert again.document is not None
    assert again.document.file_id == first.document.file_id
    seen = [message.document for message in user.messages]
    assert [d["file_name"] for d in seen if d] == ["hasil.pdf", "hasil.pdf"]
    assert user.messages[0].text == "PKP"
    assert sandbox.file_bytes(first.document.file_id) == b"%PDF-1.4 hasil"


async def test_send_photo_by_upload_and_by_file_id(sandbox: Sandbox, bot: Bot) -> None:
    """sendPhoto returns a photo array; resending by file_id works, as a document it does not."""
    user = sandbox.user(USER, started=True)
    sent = await bot.send_photo(USER, b"jpeg bytes", caption="<b>Grafik</b>", parse_mode="HTML")
    file_id = sent.photo[-1].file_id
    assert user.messages[0].photo is not None
    assert user.messages[0].text == "Grafik"
    assert (await bot.send_photo(USER, file_id)).photo[-1].file_id == file_id
    with pytest.raises(BadRequest, match="Type of file mismatch"):
        await bot.send_document(USER, file_id)


async def test_bad_file_references_are_refused(sandbox: Sandbox, bot: Bot) -> None:
    """Unknown file_ids, URLs and a missing file give Telegram's 400 errors."""
    sandbox.user(USER, started=True)
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(USER, "no-such-file-id")
    with pytest.raises(BadRequest, match="Failed to get http url content"):
        await bot.send_document(USER, "https://example.org/a.pdf")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.get_file("no-such-file-id")


async def test_download_errors(sandbox: Sandbox) -> None:
    """Unknown file paths are 404 and a wrong token is 401."""
    async with httpx.AsyncClient() as client:
        missing = await client.get(f"{sandbox.base_file_url}{sandbox.token}/documents/x.pdf")
        wrong = await client.get(f"{sandbox.base_file_url}1:WRONG/documents/x.pdf")
    assert (missing.status_code, missing.json()["description"]) == (404, "Not Found")
    assert wrong.status_code == 401


async def test_oversized_bot_upload_is_413(sandbox: Sandbox, bot: Bot) -> None:
    """Photos over 10 MB are refused with 413, like Telegram's upload limit."""
    sandbox.user(USER, started=True)
    with pytest.raises(NetworkError, match="Request Entity Too Large"):
        await bot.send_photo(USER, b"\0" * (10 * MB + 1))
