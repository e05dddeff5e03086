"""The last-resort guard: no message leaves the bot over Telegram's limits.

Every Bot API request passes PTB's rate-limiter hook; :class:`MessageGuard` sits there, in
front of the pacing limiter (or alone when pacing is off), and looks at what is about to go:

- a text over 4096 characters (as Telegram counts them, see :mod:`bot.messages`) is sent as
  several messages, cut at line breaks with their HTML balanced, the buttons on the last; an
  edit cannot be split, so its text is shortened with "…";
- a caption over 1024 characters is shortened the same way;
- an inline keyboard of more than 100 buttons keeps its first rows and its last one (the
  page or cancel buttons) within the limit.

Each repair is logged as a warning naming the template the text came from. Lists page and free
texts are clipped where they are rendered; this guard only keeps a future template from
breaking a whole journey with "message is too long".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import BaseRateLimiter

from bot.messages import (
    MAX_BUTTONS,
    MAX_CAPTION,
    MAX_TEXT,
    clip,
    shorten_html,
    split_html,
    utf16_len,
    visible_length,
)

log = logging.getLogger(__name__)

SPLITTABLE = frozenset({"sendMessage"})
TEXT_METHODS = frozenset({"sendMessage", "editMessageText"})
CAPTION_METHODS = frozenset(
    {
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "editMessageCaption",
        "copyMessage",
    }
)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]


def _name(text: object) -> str:
    """The template a text was rendered from (see :class:`bot.render.Rendered`), if known."""
    return str(getattr(text, "template", None) or "(not a template)")


def _length(text: str, html: bool, limit: int) -> int:
    """The length Telegram counts; the raw length when that already fits (cheap, and the
    visible length is never more: tags count nothing, an entity less than its spelling)."""
    raw = utf16_len(text)
    return raw if not html or raw <= limit else visible_length(text)


def _split(text: str, limit: int, html: bool) -> list[str]:
    if html:
        return split_html(text, limit)
    return [text[start : start + limit // 2] for start in range(0, len(text), limit // 2)]


def _shorten(text: str, limit: int, html: bool) -> str:
    return shorten_html(text, limit) if html else clip(text, limit)


def _keyboard(markup: InlineKeyboardMarkup, endpoint: str, text: object) -> InlineKeyboardMarkup:
    """At most 100 buttons: the first rows that fit, and the last row (page or cancel)."""
    rows = markup.inline_keyboard
    count = sum(len(row) for row in rows)
    if count <= MAX_BUTTONS:
        return markup
    log.warning(
        "%s of template %s has %d buttons (at most %d): the middle ones are left out",
        endpoint,
        _name(text),
        count,
        MAX_BUTTONS,
    )
    last = rows[-1][:MAX_BUTTONS]
    kept: list[tuple[Any, ...]] = []
    room = MAX_BUTTONS - len(last)
    for row in rows[:-1]:
        if len(row) > room:
            break
        kept.append(row)
        room -= len(row)
    return InlineKeyboardMarkup([*kept, last])


def fit(endpoint: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The request(s) to make instead of ``data`` so that each fits Telegram's limits."""
    html = data.get("parse_mode") == ParseMode.HTML
    key = "text" if endpoint in TEXT_METHODS else "caption" if endpoint in CAPTION_METHODS else None
    text = data.get(key) if key else None
    markup = data.get("reply_markup")
    if isinstance(markup, InlineKeyboardMarkup):
        data = {**data, "reply_markup": _keyboard(markup, endpoint, text)}
    if key is None or not isinstance(text, str):
        return [data]
    limit = MAX_TEXT if key == "text" else MAX_CAPTION
    length = _length(text, html, limit)
    if length <= limit:
        return [data]
    if endpoint in SPLITTABLE:
        pieces = _split(text, limit, html)
        log.warning(
            "%s of template %s is %d characters (at most %d): sent as %d messages",
            endpoint,
            _name(text),
            length,
            limit,
            len(pieces),
        )
        last = len(pieces) - 1
        return [
            {k: v for k, v in {**data, key: piece}.items() if k != "reply_markup" or n == last}
            for n, piece in enumerate(pieces)
        ]
    log.warning(
        "%s of template %s is %d characters (at most %d): shortened",
        endpoint,
        _name(text),
        length,
        limit,
    )
    return [{**data, key: _shorten(text, limit, html)}]


class MessageGuard(BaseRateLimiter[Any]):
    """PTB's rate-limiter hook that fits every request, then hands it to ``inner`` (pacing)."""

    def __init__(self, inner: BaseRateLimiter[Any] | None = None) -> None:
        self.inner = inner

    async def initialize(self) -> None:
        """Start the inner limiter."""
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        """Stop the inner limiter."""
        if self.inner is not None:
            await self.inner.shutdown()

    async def process_request(  # noqa: PLR0917  (PTB's signature)
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Result:
        """Send what fits: one request as it was, or the pieces of an overlong message."""
        result: Result = True
        for part in fit(endpoint, data):
            if self.inner is None:
                result = await callback(endpoint, part, **kwargs)
            else:
                result = await self.inner.process_request(
                    callback, (endpoint, part), kwargs, endpoint, part, rate_limit_args
                )
        return result
