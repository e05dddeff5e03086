"""``POST <path of KINERJA_WEBHOOK_URL>``: the updates Telegram sends in webhook mode.

Telegram sends the secret token registered with ``setWebhook`` in the
``X-Telegram-Bot-Api-Secret-Token`` header of every request. A request without it, or with
another, gets 403 and is never looked at: nothing is parsed, handled or stored (the replay
ledger records an update only once a handler runs). A good one is parsed into an ``Update`` and
put on the application's update queue, exactly where long polling puts what it fetches; the
answer (200) does not wait for the handlers. While the application is not running the answer is
503, and Telegram delivers the update again later.

An update with an id that python-telegram-bot cannot read (malformed, or a newer Bot API shape
the library refuses) is answered 200 and dropped, with its id, kinds and the error type logged:
any other answer makes Telegram post it again and again. A body that is no update at all
(not JSON, or without an ``update_id``) is 400.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.metrics import Metrics

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header's name)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class WebhookReceiver:
    """Checks the secret, then queues the update for the application's handlers."""

    def __init__(self, application: AnyApplication, secret: str, metrics: Metrics) -> None:
        self.application = application
        self._secret = secret.encode()
        self.metrics = metrics

    def _authentic(self, request: web.Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        return hmac.compare_digest(given, self._secret)

    async def view(self, request: web.Request) -> web.Response:
        """The route."""
        if not self._authentic(request):
            log.warning("webhook: refused a request without the right secret token (403)")
            return web.Response(status=403)
        if not self.application.running:
            return web.Response(status=503)
        try:
            data = await request.json()
        except ValueError:
            data = None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(update_id, int):
            log.warning("webhook: a request with the right secret was no update (400)")
            return web.Response(status=400)
        self.metrics.update_received()
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception as exc:  # whatever the library raises: the update is not readable
            kinds = sorted(key for key in data if key != "update_id")
            log.warning(
                "webhook: update %s (%s) cannot be read (%s): acknowledged and skipped",
                update_id,
                ", ".join(kinds) or "empty",
                type(exc).__name__,
            )
            return web.Response()
        await self.application.update_queue.put(update)
        return web.Response()
