"""Factories for Telegram updates as the Bot API delivers them (JSON), for handler tests."""

from __future__ import annotations

import itertools
from typing import Any

from telegram import Bot, Update

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def _user(user_id: int, first_name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "id"}


def _chat(chat_id: int, chat_type: str) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Pegawai"
    else:
        chat["title"] = "Grup Dinas"
    return chat


def message(
    bot: Bot,
    *,
    user_id: int,
    text: str | None = None,
    contact: dict[str, Any] | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    first_name: str = "Sari",
    update_id: int | None = None,
) -> Update:
    """A message update; commands get their bot_command entity like Telegram adds it."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": 1_768_356_000,
        "chat": _chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": _user(user_id, first_name),
    }
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if contact is not None:
        body["contact"] = contact
    data = {"update_id": update_id if update_id is not None else next(_update_ids), "message": body}
    update = Update.de_json(data, bot)
    assert update is not None
    return update


def contact(
    bot: Bot,
    *,
    user_id: int,
    phone: str,
    contact_user_id: int | None,
    chat_type: str = "private",
    chat_id: int | None = None,
) -> Update:
    """A shared contact: the sender's own when ``contact_user_id == user_id``."""
    card: dict[str, Any] = {"phone_number": phone, "first_name": "Kontak"}
    if contact_user_id is not None:
        card["user_id"] = contact_user_id
    return message(bot, user_id=user_id, contact=card, chat_type=chat_type, chat_id=chat_id)


def callback(
    bot: Bot,
    *,
    user_id: int,
    data: str,
    message_id: int = 1,
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Update:
    """A button press on a bot message, in the user's private chat unless ``chat_id`` says."""
    body = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_message_ids)),
            "from": _user(user_id, "Sari"),
            "chat_instance": str(user_id),
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 1_768_356_000,
                "chat": _chat(chat_id if chat_id is not None else user_id, chat_type),
                "from": {"id": 1, "is_bot": True, "first_name": "Kinerja Bot"},
                "text": "…",
            },
        },
    }
    update = Update.de_json(body, bot)
    assert update is not None
    return update


def _media(
    bot: Bot,
    user_id: int,
    media: dict[str, Any],
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Update:
    body = {
        "message_id": next(_message_ids),
        "date": 1_768_356_000,
        "chat": _chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": _user(user_id, "Sari"),
        **media,
    }
    update = Update.de_json({"update_id": next(_update_ids), "message": body}, bot)
    assert update is not None
    return update


def photo(
    bot: Bot,
    *,
    user_id: int,
    size: int = 150_000,
    media_group_id: str | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Update:
    """A photo message (Telegram sends several sizes; the last is the largest)."""
    serial = next(_message_ids)
    sizes = [
        {
            "file_id": f"photo-small-{serial}",
            "file_unique_id": f"ps{serial}",
            "width": 90,
            "height": 120,
            "file_size": 2_000,
        },
        {
            "file_id": f"photo-{serial}",
            "file_unique_id": f"p{serial}",
            "width": 960,
            "height": 1280,
            "file_size": size,
        },
    ]
    media: dict[str, Any] = {"photo": sizes}
    if media_group_id is not None:
        media["media_group_id"] = media_group_id
    return _media(bot, user_id, media, chat_id, chat_type)


def document(
    bot: Bot,
    *,
    user_id: int,
    size: int = 80_000,
    mime_type: str = "application/pdf",
    file_name: str = "laporan.pdf",
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Update:
    """A document message."""
    serial = next(_message_ids)
    card = {
        "file_id": f"doc-{serial}",
        "file_unique_id": f"d{serial}",
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": size,
    }
    return _media(bot, user_id, {"document": card}, chat_id, chat_type)


def edited(bot: Bot, *, user_id: int, text: str, chat_id: int, chat_type: str) -> Update:
    """A message edited after it was sent (Telegram sends it again as ``edited_message``)."""
    sent = message(bot, user_id=user_id, text=text, chat_id=chat_id, chat_type=chat_type)
    assert sent.message is not None
    body = {**sent.message.to_dict(), "edit_date": 1_768_356_060}
    update = Update.de_json({"update_id": next(_update_ids), "edited_message": body}, bot)
    assert update is not None
    return update


def channel_post(bot: Bot, *, chat_id: int, text: str) -> Update:
    """A post in a channel the bot belongs to (no sender, the channel speaks)."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": 1_768_356_000,
        "chat": {"id": chat_id, "type": "channel", "title": "Info Dinas"},
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    update = Update.de_json({"update_id": next(_update_ids), "channel_post": body}, bot)
    assert update is not None
    return update


def my_chat_member(
    bot: Bot, *, user_id: int, chat_id: int, chat_type: str, old: str, new: str
) -> Update:
    """The bot's own membership changed: added to a group, or blocked in a private chat."""
    me = {"id": bot.id, "is_bot": True, "first_name": "Kinerja Bot"}
    body = {
        "chat": _chat(chat_id, chat_type),
        "from": _user(user_id, "Sari"),
        "date": 1_768_356_000,
        "old_chat_member": {"user": me, "status": old, "until_date": 0},
        "new_chat_member": {"user": me, "status": new, "until_date": 0},
    }
    update = Update.de_json({"update_id": next(_update_ids), "my_chat_member": body}, bot)
    assert update is not None
    return update
