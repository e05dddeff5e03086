"""Optional webhook delivery: POST pending updates, one at a time, to the webhook URL.

Enabled with ``Sandbox(deliver_webhooks=True)``. An update is removed from the queue when
the receiver answers 2xx; otherwise ``getWebhookInfo`` shows ``last_error_date`` and
``last_error_message`` and the update is retried after ``retry_delay`` seconds, in order.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.sandbox.models import JSON
from bot.sandbox.state import SandboxState

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookPusher:
    """Background task that drains the update queue into the webhook."""

    def __init__(self, state: SandboxState, retry_delay: float = 0.2) -> None:
        self.state = state
        self.retry_delay = retry_delay
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start delivering in the background."""
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        """Stop delivering and wait for the task to end."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        """Deliver the oldest pending update whenever a webhook is set."""
        queue = self.state.queue
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            while True:
                url = self.state.webhook.get("url")
                if not url or not queue.pending:
                    await queue.changed.wait(3600)
                    continue
                update = queue.pending[0]
                if await self._post(session, url, update):
                    queue.confirm(update["update_id"] + 1)
                else:
                    await asyncio.sleep(self.retry_delay)

    async def _post(self, session: aiohttp.ClientSession, url: str, update: JSON) -> bool:
        """POST one update; record the error and return False on failure."""
        headers = {}
        if self.state.webhook.get("secret_token"):
            headers[SECRET_HEADER] = self.state.webhook["secret_token"]
        try:
            async with session.post(url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection failed: {exc.__class__.__name__}"
        logger.info("sandbox webhook delivery failed: %s", error)
        self.state.webhook["last_error_date"] = self.state.now()
        self.state.webhook["last_error_message"] = error
        return False
