"""The Sandbox: a local Telegram Bot API emulator on 127.0.0.1 plus its simulated people."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.sandbox.errors import SandboxError, SandboxTimeout
from bot.sandbox.limits import RateLimits
from bot.sandbox.models import JSON, CallRecord, Delivery
from bot.sandbox.server import ApiServer
from bot.sandbox.state import SandboxState
from bot.sandbox.users import SimGroup, SimUser
from bot.sandbox.webhook import WebhookPusher


class Sandbox:
    """Serve the Bot API for one bot token over real HTTP; create users and groups to talk.

    Pass ``base_url`` and ``base_file_url`` to PTB's ``ApplicationBuilder``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - the emulator's fake token
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "kinerja_sandbox_bot",
        bot_first_name: str = "Kinerja Bot",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        rate_limits: RateLimits | None = None,
        first_update_id: int = 1,
        strict_html: bool = True,
        deliver_webhooks: bool = False,
    ) -> None:
        self.state = SandboxState(
            token=token,
            bot_user=_bot_user(token, bot_username, bot_first_name),
            clock=clock,
            monotonic=monotonic,
            rate_limits=rate_limits,
            first_update_id=first_update_id,
            strict_html=strict_html,
        )
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, SimGroup] = {}
        self._pusher = WebhookPusher(self.state) if deliver_webhooks else None

    async def start(self) -> None:
        """Start serving; afterwards ``base_url`` and ``port`` are known."""
        if self._runner is not None:
            raise SandboxError("sandbox already started")
        runner = web.AppRunner(
            ApiServer(self.state).build_app(),
            handler_cancellation=True,
            shutdown_timeout=1.0,
            access_log=None,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self.state.queue.closing = False
        if self._pusher is not None:
            self._pusher.start()

    async def stop(self) -> None:
        """Answer waiting long polls, then stop serving."""
        if self._runner is None:
            return
        if self._pusher is not None:
            await self._pusher.stop()
        self.state.queue.closing = True
        self.state.queue.changed.notify()
        await asyncio.sleep(0)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Sandbox:
        """Start on entering ``async with``."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop on leaving ``async with``."""
        await self.stop()

    @property
    def port(self) -> int:
        """Return the TCP port (after start)."""
        if self._port is None:
            raise SandboxError("sandbox not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Return the Bot API base URL for PTB (it appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the file download base URL for PTB (it appends the token)."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def token(self) -> str:
        """Return the bot token this sandbox accepts."""
        return self.state.token

    @property
    def bot_user(self) -> JSON:
        """Return the bot's own User object (as getMe reports it)."""
        return dict(self.state.bot_user)

    @property
    def calls(self) -> list[CallRecord]:
        """Return every Bot API call so far, in arrival order."""
        return self.state.calls

    @property
    def delivered(self) -> list[Delivery]:
        """Return every message actually delivered to a chat, in order."""
        return self.state.delivered

    def calls_to(self, method: str) -> list[CallRecord]:
        """Return the calls of one method (case-insensitive)."""
        return [call for call in self.state.calls if call.method.lower() == method.lower()]

    def user(
        self,
        user_id: int,
        first_name: str = "Sari",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        phone_number: str | None = "+6281234567890",
        started: bool = False,
    ) -> SimUser:
        """Return the simulated user with this id, creating them and their private chat.

        A user who has never written to the bot cannot be messaged by it (403, like Telegram)
        until they send something, unless ``started=True``.
        """
        if user_id in self._users:
            return self._users[user_id]
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        extra = {"last_name": last_name, "username": username, "language_code": language_code}
        user.update({k: v for k, v in extra.items() if v is not None})
        chat: JSON = {"id": user_id, "type": "private", "first_name": first_name}
        chat.update({k: v for k, v in extra.items() if v is not None and k != "language_code"})
        state_chat = self.state.add_chat(chat, started=started)
        self._users[user_id] = SimUser(self.state, state_chat, user, phone_number)
        return self._users[user_id]

    def group(self, chat_id: int, title: str, username: str | None = None) -> SimGroup:
        """Return the group with this (negative) id; ids starting -100 are supergroups."""
        if chat_id >= 0:
            raise SandboxError("group chat ids are negative")
        if chat_id not in self._groups:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            chat: JSON = {"id": chat_id, "type": kind, "title": title}
            if username:
                chat["username"] = username
            self._groups[chat_id] = SimGroup(self.state, self.state.add_chat(chat))
        return self._groups[chat_id]

    def inject_error(
        self,
        method: str,
        error_code: int = 429,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally only in one chat) fail."""
        self.state.faults.add(
            method,
            error_code=error_code,
            description=description,
            retry_after=retry_after,
            times=times,
            chat_id=chat_id,
        )

    def inject_update(self, kind: str, payload: Any) -> int:
        """Queue an update of any ``kind`` with ``payload`` exactly as given; return its id.

        Nothing is checked or completed: for update kinds the simulated people cannot produce
        (reactions, polls, channel posts, kinds newer than the bot's library) and for
        malformed payloads. ``allowed_updates`` applies as to any update.
        """
        return self.state.queue.push(kind, payload)

    async def wait_consumed(
        self,
        update_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - mirrors asyncio.wait_for
    ) -> None:
        """Wait until the bot has confirmed (or dropped) ``update_id`` via getUpdates."""
        queue = self.state.queue
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not queue.is_consumed(update_id):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SandboxTimeout(
                    f"update {update_id} not confirmed within {timeout}s; "
                    f"pending: {[u['update_id'] for u in queue.pending]}"
                )
            await queue.changed.wait(remaining)

    @property
    def pending_updates(self) -> list[JSON]:
        """Return the updates not yet confirmed by the bot."""
        return list(self.state.queue.pending)

    @property
    def polling(self) -> bool:
        """Return whether a getUpdates request is waiting right now."""
        return self.state.queue.polling

    @property
    def webhook(self) -> JSON:
        """Return the current webhook settings (empty when polling)."""
        return dict(self.state.webhook)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Return the commands set with setMyCommands for a scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return list(self.state.commands.get(key, []))

    def file_bytes(self, file_id: str) -> bytes:
        """Return the bytes of any stored file (e.g. a document the bot sent)."""
        return self.state.files.get(file_id).data


def _bot_user(token: str, username: str, first_name: str) -> JSON:
    """Return the bot's User object; its id is the numeric part of the token."""
    prefix = token.split(":", 1)[0]
    bot_id = int(prefix) if prefix.isdigit() else 1
    return {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}
