"""How updates come in: read safely, judged for floods, run per chat in order, chats side by side.

:func:`install` puts the pieces into an ``ApplicationBuilder``; :func:`flood_gate_of` gives
monitoring the flood counters of a running application.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.api_request import AiohttpRequest
from bot.clock import Clock
from bot.config import Settings
from bot.intake.flood import FloodGate, Verdict
from bot.intake.processor import ChatOrderedProcessor, chat_key
from bot.intake.reading import UpdateReader

__all__ = [
    "ChatOrderedProcessor",
    "FloodGate",
    "UpdateReader",
    "Verdict",
    "chat_key",
    "flood_gate_of",
    "install",
]


def install(
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any],
    settings: Settings,
    *,
    clock: Clock,
    request: BaseRequest | None = None,
    on_drop: Callable[[], None] | None = None,
) -> ChatOrderedProcessor:
    """Give ``builder`` the per-chat processor with flood control and the safe update reader.

    ``request`` is the HTTP layer getUpdates would use (aiohttp, as every call, when None);
    ``on_drop`` is told of every update flood control drops.
    """
    gate = FloodGate(
        limit=settings.flood_limit,
        window=timedelta(seconds=settings.flood_window_seconds),
        clock=clock,
        on_drop=on_drop,
    )
    processor = ChatOrderedProcessor(settings.concurrent_updates, flood=gate)
    builder.concurrent_updates(processor)
    # One connection for the long poll, the default timeouts.
    builder.get_updates_request(UpdateReader(request or AiohttpRequest(1)))
    return processor


def flood_gate_of(application: Application[Any, Any, Any, Any, Any, Any]) -> FloodGate | None:
    """The flood counters (``dropped``, ``episodes``) of an application built by ``bot.app``."""
    processor = application.update_processor
    return processor.flood if isinstance(processor, ChatOrderedProcessor) else None
