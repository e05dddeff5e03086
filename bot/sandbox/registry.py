"""The table of Bot API methods the sandbox implements (names are case-insensitive)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.params import Params
from bot.sandbox.state import SandboxState

Handler = Callable[[SandboxState, Params], Awaitable[Any]]


@dataclass(frozen=True)
class Method:
    """A Bot API method: its canonical name and implementation."""

    name: str
    handler: Handler


def table(*handlers: tuple[str, Handler]) -> dict[str, Method]:
    """Return a lookup from lower-cased method name to Method."""
    return {name.lower(): Method(name, handler) for name, handler in handlers}
