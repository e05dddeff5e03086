"""Per-chat order, concurrency across chats: PTB's update processor keyed by chat.

PTB hands every update to the processor as soon as it is fetched. Here:

- updates of one chat run strictly one after the other, in the order they arrived (one FIFO
  lock per chat, forgotten as soon as the chat has nothing in flight, so memory follows the
  chats active right now, not every chat that ever wrote);
- updates of different chats run side by side, at most ``concurrency`` at once (default 64):
  a reply waiting for its chat's pacing slot, or a slow answer from Telegram, holds up only its
  own chat;
- updates without a chat are keyed by their sender; with neither (a poll's state, a kind the
  library does not know) they run unordered, within the same bound;
- flood control (:mod:`bot.intake.flood`) judges each update on arrival, so a dropped update
  never waits in its chat's queue and never reaches a handler or the database. The one update
  that carries a flood warning skips the chat's queue: the warning goes out now, not after the
  replies still waiting for their pacing slots.

PTB's own bound (``max_concurrent_updates``) is taken before the chat's turn, so it is set far
above anything reached: it would otherwise count updates that merely wait for their chat.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.intake.flood import FloodGate, Verdict

ADMITTED = 1_000_000  # PTB's bound: never reached (see the module docstring)


@dataclass
class _Chat:
    """One chat's turn: a FIFO lock, and how many of its updates are waiting or running."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    in_flight: int = 0


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (its sender's id when it has no chat), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs each chat's updates in order and different chats' concurrently (see the module)."""

    def __init__(self, concurrency: int, *, flood: FloodGate | None = None) -> None:
        super().__init__(max_concurrent_updates=ADMITTED)
        if concurrency < 1:
            msg = "concurrency must be at least 1"
            raise ValueError(msg)
        self.concurrency = concurrency
        self.flood = flood
        self._running = asyncio.Semaphore(concurrency)
        self._chats: dict[int, _Chat] = {}

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def chats_in_flight(self) -> int:
        """How many chats have an update waiting or running right now."""
        return len(self._chats)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Judge the update on arrival, then run it in its chat's turn."""
        try:
            key = chat_key(update)
            verdict = self._judge(update, key)
            if verdict is Verdict.DROP:
                return
            if key is None or verdict is Verdict.WARN:
                async with self._running:
                    await coroutine
                return
            await self._in_turn(key, coroutine)
        finally:
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # a dropped or cancelled update's handling never starts

    def _judge(self, update: object, key: int | None) -> Verdict:
        if self.flood is None or key is None or not isinstance(update, Update):
            return Verdict.ADMIT
        if update.my_chat_member is not None:  # Telegram's word on the bot itself: always heard
            return Verdict.ADMIT
        chat = update.effective_chat
        private = chat is not None and chat.type == ChatType.PRIVATE
        return self.flood.check(key, update.update_id, may_warn=private)

    async def _in_turn(self, key: int, coroutine: Awaitable[Any]) -> None:
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.in_flight += 1
        try:
            async with chat.lock, self._running:
                await coroutine
        finally:
            chat.in_flight -= 1
            if chat.in_flight == 0:
                del self._chats[key]
