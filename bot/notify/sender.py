"""Sends what the outbox holds: render each row in its language, send, settle the row."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.render import Renderer
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

NETWORK_RETRY = timedelta(seconds=30)
MAX_ATTEMPTS = 5


async def drain(
    bot: Bot, renderer: Renderer, outbox: OutboxService, *, worker: str, limit: int = 50
) -> int:
    """Send up to ``limit`` due notifications; returns how many reached Telegram."""
    sent = 0
    for item in await outbox.claim(worker=worker, limit=limit):
        text = renderer.render(item.language, item.template, **item.context)
        try:
            await bot.send_message(item.chat_id, text)
        except RetryAfter as exc:
            after = exc.retry_after
            wait = after if isinstance(after, timedelta) else timedelta(seconds=after)
            await outbox.retry(item.id, after=wait, error="429")
        except Forbidden as exc:
            await outbox.failed(item.id, error=f"forbidden: {exc.message}")
        except BadRequest as exc:  # a subclass of NetworkError, but retrying cannot help
            log.warning("outbox item %s refused by Telegram: %s", item.id, exc.message)
            await outbox.failed(item.id, error=exc.message)
        except NetworkError as exc:
            if item.attempts >= MAX_ATTEMPTS:
                await outbox.failed(item.id, error=f"network: {exc.message}")
            else:
                await outbox.retry(item.id, after=NETWORK_RETRY, error=f"network: {exc.message}")
        except TelegramError as exc:
            log.warning("outbox item %s refused by Telegram: %s", item.id, exc.message)
            await outbox.failed(item.id, error=exc.message)
        else:
            await outbox.sent(item.id)
            sent += 1
    return sent
