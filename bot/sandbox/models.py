"""Plain records the sandbox keeps: bot messages, API calls, deliveries, callback answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class BotMessage:
    """A message the bot sent to a chat, kept current through edits and deletion.

    ``text`` is what the user sees: the message text (or the caption of a document/photo)
    with HTML tags removed and entities decoded. ``source`` is the string exactly as the bot
    sent it and ``entities`` the formatting Telegram would have derived from it.
    """

    message_id: int
    chat_id: int
    date: int
    text: str = ""
    source: str = ""
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    document: JSON | None = None
    photo: list[JSON] | None = None
    edit_date: int | None = None
    deleted: bool = False

    @property
    def is_media(self) -> bool:
        """Return whether the message carries a document or a photo (text is its caption)."""
        return self.document is not None or self.photo is not None

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        """Return the inline keyboard rows (button dicts), or an empty list."""
        markup = self.reply_markup or {}
        rows: list[list[JSON]] = markup.get("inline_keyboard", [])
        return rows

    @property
    def buttons(self) -> list[list[str]]:
        """Return the button texts of the inline or reply keyboard, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[_button_text(button) for button in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        """Return every button text of the keyboard, flattened."""
        return [text for row in self.buttons for text in row]

    def find_callback_button(self, text_or_data: str) -> JSON | None:
        """Return the inline button whose text or callback_data equals the argument."""
        for row in self.inline_keyboard:
            for button in row:
                if "callback_data" in button and text_or_data in (
                    button.get("text"),
                    button["callback_data"],
                ):
                    return button
        return None

    def to_api(self, bot_user: JSON, chat: JSON) -> JSON:
        """Return the Bot API Message object for this message."""
        message: JSON = {
            "message_id": self.message_id,
            "from": bot_user,
            "chat": chat,
            "date": self.date,
        }
        key = "caption" if self.is_media else "text"
        if self.text or not self.is_media:
            message[key] = self.text
        if self.entities:
            message["caption_entities" if self.is_media else "entities"] = self.entities
        optional = {
            "document": self.document,
            "photo": self.photo,
            "reply_markup": _inline_only(self.reply_markup),
            "edit_date": self.edit_date,
        }
        message.update({k: v for k, v in optional.items() if v is not None})
        return message


def _button_text(button: JSON | str) -> str:
    """Return a keyboard button's label (reply keyboards may use plain strings)."""
    return button if isinstance(button, str) else str(button.get("text", ""))


def _inline_only(markup: JSON | None) -> JSON | None:
    """Return the markup as Telegram echoes it: only inline keyboards come back."""
    if markup and "inline_keyboard" in markup:
        return markup
    return None


@dataclass(frozen=True)
class CallRecord:
    """One Bot API call as the sandbox saw it (``time`` is the monotonic receipt time)."""

    method: str
    params: JSON
    chat_id: int | None
    time: float
    ok: bool
    error_code: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A message that actually reached a chat (``time`` is monotonic)."""

    chat_id: int
    message_id: int
    text: str
    time: float
    method: str


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one press."""

    query_id: str
    data: str | None
    message_id: int | None
    text: str | None
    show_alert: bool
    url: str | None
