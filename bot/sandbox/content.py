"""What the bot asks to show: formatted text and captions, and keyboards (reply_markup)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.html import HtmlError, ParsedText, parse_html, utf16_len
from bot.sandbox.models import JSON
from bot.sandbox.params import Params

# Telegram counts text and captions after entity parsing, in UTF-16 code units.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_INLINE_BUTTONS = 100  # per inline keyboard; more is "reply markup is too long"
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)


def read_text(params: Params, *, caption: bool = False, strict: bool = True) -> ParsedText:
    """Read ``text`` (or ``caption``) with its parse_mode into what the user will see."""
    name = "caption" if caption else "text"
    source = params.get_str(name) or ""
    mode = (params.get_str("parse_mode") or "").strip()
    parsed = _parse(source, mode, params, caption=caption, strict=strict)
    if caption:
        if utf16_len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
    elif not parsed.text.strip():
        raise bad_request("message text is empty")
    elif utf16_len(parsed.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def _parse(source: str, mode: str, params: Params, *, caption: bool, strict: bool) -> ParsedText:
    """Turn the source into plain text and entities according to parse_mode."""
    if mode.lower() == "html":
        try:
            return parse_html(source, strict=strict)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode.lower() in ("markdown", "markdownv2"):
        return ParsedText(source)
    if mode:
        raise bad_request(f"unsupported parse_mode {mode}")
    entities = params.get_json("caption_entities" if caption else "entities") or []
    if not isinstance(entities, list) or not all(_is_entity(e) for e in entities):
        raise bad_request("can't parse entities JSON object")
    return ParsedText(source, entities)


def _is_entity(entity: Any) -> bool:
    """Return whether a value looks like a MessageEntity."""
    return isinstance(entity, dict) and {"type", "offset", "length"} <= entity.keys()


def read_markup(params: Params, *, inline_only: bool = False) -> JSON | None:
    """Validate and normalise ``reply_markup`` (reply keyboards get dict buttons)."""
    markup = params.get_json("reply_markup", what="reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _rows(markup["inline_keyboard"], _inline_button)
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        return {**markup, "inline_keyboard": rows}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return {**markup, "keyboard": _rows(markup["keyboard"], _reply_button)}
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(rows: Any, check: Callable[[Any], JSON]) -> list[list[JSON]]:
    """Validate a keyboard's rows, checking every button with ``check``."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return [[check(button) for button in row] for row in rows]


def _inline_button(button: Any) -> JSON:
    """Validate one inline keyboard button (exactly one action, data ≤ 64 bytes)."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text is not specified")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in _INLINE_ACTIONS if key in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).strip():
        raise bad_request("BUTTON_URL_INVALID")
    return button


def _reply_button(button: Any) -> JSON:
    """Validate one reply keyboard button, turning plain strings into dicts."""
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("can't parse keyboard button: Text is not specified")
    return button
