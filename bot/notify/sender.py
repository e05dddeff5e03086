"""Sends what the outbox holds: render each row in its language, send, settle the row.

:func:`drain` sends one batch (tests use it to deliver "now"). :class:`Sender` is the running
bot's loop: it keeps a window of claimed rows in flight, paced by the bot's rate limiter, and
claims more as they finish, until nothing is due. Each outcome is settled by the outbox
service: sent; 429 → again after ``retry_after``; network trouble → again with backoff, given
up after the configured attempts; 403 → the person is unreachable; anything else → failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from jinja2 import TemplateError
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.notify.pacing import Lane, PacedRateLimiter, PacingTimeoutError, retry_seconds
from bot.render import Renderer
from bot.services.outbox import OutboxItem, OutboxService

log = logging.getLogger(__name__)

MAX_CHAT_WAIT = 10.0  # seconds; a claimed row whose chat is paused longer goes back to the queue
BUSY_RETRY = timedelta(seconds=5)  # a broadcast that found no slot (replies first) tries again


async def drain(
    bot: Bot, renderer: Renderer, outbox: OutboxService, *, worker: str, limit: int = 50
) -> int:
    """Send up to ``limit`` due notifications; returns how many reached Telegram."""
    items = await outbox.claim(worker=worker, limit=limit)
    results = await asyncio.gather(*(deliver(bot, renderer, outbox, item) for item in items))
    return sum(results)


def _limiter(bot: Bot) -> PacedRateLimiter | None:
    limiter = getattr(bot, "rate_limiter", None)
    limiter = getattr(limiter, "inner", limiter)  # behind the size guard (bot.guard)
    return limiter if isinstance(limiter, PacedRateLimiter) else None


def compose(renderer: Renderer, item: OutboxItem) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message text and its buttons, in the row's language."""
    text = renderer.render(item.language, item.template, **item.context)
    if not item.buttons:
        return text, None
    rows = [
        [
            InlineKeyboardButton(renderer.label(item.language, b.label), callback_data=b.data)
            for b in row
        ]
        for row in item.buttons
    ]
    return text, InlineKeyboardMarkup(rows)


async def deliver(bot: Bot, renderer: Renderer, outbox: OutboxService, item: OutboxItem) -> bool:
    """Send one claimed row and settle it; True when it reached Telegram."""
    if item.attempts > outbox.max_attempts:
        await outbox.failed(item.id, error=f"gave up after {outbox.max_attempts} attempts")
        return False
    try:
        text, markup = compose(renderer, item)
    except TemplateError as exc:
        log.exception("outbox item %s: template %s cannot be rendered", item.id, item.template)
        await outbox.failed(item.id, error=f"template: {exc}")
        return False
    limiter = _limiter(bot)
    extra: dict[str, Any] = {}
    if limiter is not None:
        delay = limiter.pacer.chat_delay(item.chat_id)
        if delay > MAX_CHAT_WAIT:
            await outbox.defer(item.id, after=timedelta(seconds=delay))
            return False
        extra["rate_limit_args"] = Lane.BROADCAST
    try:
        await bot.send_message(item.chat_id, text, reply_markup=markup, **extra)
    except PacingTimeoutError:
        await outbox.defer(item.id, after=BUSY_RETRY)
        return False
    except TelegramError as exc:
        await _settle_error(outbox, item, exc)
        return False
    await outbox.sent(item.id)
    return True


async def _settle_error(outbox: OutboxService, item: OutboxItem, error: TelegramError) -> None:
    """What each refusal means for the row."""
    if isinstance(error, RetryAfter):
        await outbox.rate_limited(item.id, after=timedelta(seconds=retry_seconds(error)))
    elif isinstance(error, Forbidden):
        await outbox.unreachable(item.id, error=f"forbidden: {error.message}")
    elif isinstance(error, BadRequest):  # a subclass of NetworkError, but retrying cannot help
        log.warning("outbox item %s refused by Telegram: %s", item.id, error.message)
        await outbox.failed(item.id, error=error.message)
    elif isinstance(error, NetworkError):
        await outbox.network_error(item.id, attempts=item.attempts, error=f"network: {error}")
    else:
        log.warning("outbox item %s refused by Telegram: %s", item.id, error.message)
        await outbox.failed(item.id, error=error.message)


class Sender:
    """The running bot's outbox loop: a window of rows in flight, refilled as they finish."""

    def __init__(
        self, bot: Bot, renderer: Renderer, outbox: OutboxService, *, worker: str, window: int
    ) -> None:
        self.bot, self.renderer, self.outbox = bot, renderer, outbox
        self.worker = worker
        self.window = max(1, window)

    async def run(self, keep_going: Callable[[], bool] = lambda: True) -> int:
        """Send until nothing is due (or ``keep_going()`` turns false); returns how many went."""
        in_flight: set[asyncio.Task[bool]] = set()
        sent, exhausted = 0, False
        while True:
            room = self.window - len(in_flight)
            if keep_going() and not exhausted and (room * 2 >= self.window or not in_flight):
                items = await self.outbox.claim(worker=self.worker, limit=room)
                exhausted = not items
                in_flight |= {asyncio.create_task(self._guarded(item)) for item in items}
            if not in_flight:
                if exhausted or not keep_going():
                    return sent
                continue
            done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            sent += sum(task.result() for task in done)
            if not in_flight:
                exhausted = False  # look once more: rows may have become due meanwhile

    async def _guarded(self, item: OutboxItem) -> bool:
        """Deliver one row; a bug here must not stop the others (the row is retried later)."""
        try:
            return await deliver(self.bot, self.renderer, self.outbox, item)
        except Exception as exc:
            log.exception("outbox item %s could not be delivered", item.id)
            await self.outbox.network_error(item.id, attempts=item.attempts, error=repr(exc))
            return False
