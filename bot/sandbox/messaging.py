"""Bot API methods that put things in chats: send, edit, delete, answer, chat actions."""

from __future__ import annotations

import mimetypes

from bot.sandbox.content import read_markup, read_text
from bot.sandbox.errors import bad_request
from bot.sandbox.files import DEFAULT_PHOTO_SIZE, StoredFile, check_upload_size
from bot.sandbox.html import ParsedText
from bot.sandbox.models import JSON, BotMessage
from bot.sandbox.params import Params
from bot.sandbox.registry import Method, table
from bot.sandbox.state import ChatState, Outgoing, SandboxState

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


async def send_message(state: SandboxState, params: Params) -> JSON:
    """sendMessage: validate text, parse_mode and keyboard, then deliver."""
    chat = state.target_chat(params.chat_id())
    parsed = read_text(params, strict=state.strict_html)
    outgoing = Outgoing(
        method="sendMessage",
        parsed=parsed,
        source=params.get_str("text") or "",
        parse_mode=params.get_str("parse_mode"),
        markup=read_markup(params),
    )
    return state.message_json(chat, state.deliver(chat, outgoing))


async def send_document(state: SandboxState, params: Params) -> JSON:
    """sendDocument: an uploaded file (multipart) or an existing file_id."""
    return _send_media(state, params, "document")


async def send_photo(state: SandboxState, params: Params) -> JSON:
    """sendPhoto: an uploaded image (multipart) or an existing photo file_id."""
    return _send_media(state, params, "photo")


def _send_media(state: SandboxState, params: Params, kind: str) -> JSON:
    """Send a document or photo with an optional caption and keyboard."""
    chat = state.target_chat(params.chat_id())
    stored = _read_file(state, params, kind)
    outgoing = Outgoing(
        method="sendDocument" if kind == "document" else "sendPhoto",
        parsed=read_text(params, caption=True, strict=state.strict_html),
        source=params.get_str("caption") or "",
        parse_mode=params.get_str("parse_mode"),
        markup=read_markup(params),
        document=stored.as_document() if kind == "document" else None,
        photo=stored.as_photo() if kind == "photo" else None,
    )
    return state.message_json(chat, state.deliver(chat, outgoing))


def _read_file(state: SandboxState, params: Params, kind: str) -> StoredFile:
    """Return the file a send method refers to: a multipart part, attach:// or a file_id."""
    value = None if kind in params.uploads else params.get_str(kind)
    upload = params.uploads.get(kind)
    if value and value.startswith("attach://"):
        upload = params.uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"there is no {kind} in the request")
    if upload is not None:
        check_upload_size(upload.data, kind)
        mime = upload.mime_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(upload.file_name or "")[0] or mime
        return state.files.put(
            upload.data,
            kind=kind,
            file_name=upload.file_name if kind == "document" else None,
            mime_type=mime if kind == "document" else None,
            size=DEFAULT_PHOTO_SIZE if kind == "photo" else (0, 0),
        )
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    return state.files.get(value, kind=kind)


async def edit_message_text(state: SandboxState, params: Params) -> JSON:
    """editMessageText: replaces text and inline keyboard (omitting it removes it)."""
    chat, message = _editable(state, params)
    if message.is_media:
        raise bad_request("there is no text in the message to edit")
    parsed = read_text(params, strict=state.strict_html)
    return _apply_edit(state, chat, message, params, parsed=parsed, field="text")


async def edit_message_caption(state: SandboxState, params: Params) -> JSON:
    """editMessageCaption: replaces the caption of a document or photo."""
    chat, message = _editable(state, params)
    if not message.is_media:
        raise bad_request("there is no caption in the message to edit")
    parsed = read_text(params, caption=True, strict=state.strict_html)
    return _apply_edit(state, chat, message, params, parsed=parsed, field="caption")


def _apply_edit(
    state: SandboxState,
    chat: ChatState,
    message: BotMessage,
    params: Params,
    *,
    parsed: ParsedText,
    field: str,
) -> JSON:
    """Replace text/caption and inline keyboard, refusing a no-op edit."""
    markup = read_markup(params, inline_only=True)
    old_inline = message.reply_markup if message.inline_keyboard else None
    if (parsed.text, parsed.entities, markup) == (message.text, message.entities, old_inline):
        raise bad_request(NOT_MODIFIED)
    message.text, message.entities = parsed.text, parsed.entities
    message.source = params.get_str(field) or ""
    message.parse_mode = params.get_str("parse_mode")
    if markup is not None or old_inline is not None:
        message.reply_markup = markup
    return _mark_edited(state, chat, message)


async def edit_message_reply_markup(state: SandboxState, params: Params) -> JSON:
    """editMessageReplyMarkup: replaces (or removes) the inline keyboard."""
    chat, message = _editable(state, params)
    markup = read_markup(params, inline_only=True)
    old_inline = message.reply_markup if message.inline_keyboard else None
    if markup == old_inline:
        raise bad_request(NOT_MODIFIED)
    message.reply_markup = markup
    return _mark_edited(state, chat, message)


def _mark_edited(state: SandboxState, chat: ChatState, message: BotMessage) -> JSON:
    """Stamp edit_date, wake waiting readers and return the Message."""
    message.edit_date = state.now()
    chat.changed.notify()
    return state.message_json(chat, message)


def _editable(state: SandboxState, params: Params) -> tuple[ChatState, BotMessage]:
    """Return the chat and bot message an edit addresses."""
    if params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat = state.target_chat(params.chat_id())
    message_id = params.require_int("message_id")
    message = chat.bot_message(message_id)
    if message is None:
        if message_id in chat.user_message_ids:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return chat, message


async def delete_message(state: SandboxState, params: Params) -> bool:
    """deleteMessage: removes a bot message (or a user message) from the chat."""
    chat = state.target_chat(params.chat_id())
    message_id = params.require_int("message_id")
    message = chat.bot_message(message_id)
    if message is not None:
        message.deleted = True
    elif message_id in chat.user_message_ids:
        chat.user_message_ids.discard(message_id)
    else:
        raise bad_request("message to delete not found")
    chat.changed.notify()
    return True


async def answer_callback_query(state: SandboxState, params: Params) -> bool:
    """answerCallbackQuery: records text/show_alert for the pressing user."""
    query_id = params.require_str("callback_query_id")
    text = params.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    show_alert = params.get_bool("show_alert")
    params.get_int("cache_time")
    state.answer_query(query_id, text, show_alert, params.get_str("url"))
    return True


async def send_chat_action(state: SandboxState, params: Params) -> bool:
    """sendChatAction: records the action ("typing", "upload_document", ...)."""
    chat = state.target_chat(params.chat_id())
    action = params.require_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.chat_actions.append(action)
    return True


METHODS: dict[str, Method] = table(
    ("sendMessage", send_message),
    ("sendDocument", send_document),
    ("sendPhoto", send_photo),
    ("editMessageText", edit_message_text),
    ("editMessageCaption", edit_message_caption),
    ("editMessageReplyMarkup", edit_message_reply_markup),
    ("deleteMessage", delete_message),
    ("answerCallbackQuery", answer_callback_query),
    ("sendChatAction", send_chat_action),
)
