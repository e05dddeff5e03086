"""A local Telegram Bot API emulator over real HTTP, with simulated users.

Used by end-to-end tests, ``kinerja demo`` and benchmarks: run the real PTB ``Application``
with ``base_url=sandbox.base_url`` and ``base_file_url=sandbox.base_file_url``. Standalone:
it imports nothing else from ``bot``.
"""

from bot.sandbox.errors import ApiError, SandboxError, SandboxTimeout
from bot.sandbox.html import HtmlError, ParsedText, parse_html
from bot.sandbox.limits import RateLimits
from bot.sandbox.models import BotMessage, CallbackAnswer, CallRecord, Delivery
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.users import SimGroup, SimUser

__all__ = [
    "ApiError",
    "BotMessage",
    "CallRecord",
    "CallbackAnswer",
    "Delivery",
    "HtmlError",
    "ParsedText",
    "RateLimits",
    "Sandbox",
    "SandboxError",
    "SandboxTimeout",
    "SimGroup",
    "SimUser",
    "parse_html",
]
