"""What may reach a log: never the bot token, never what people wrote or their phone numbers.

:func:`guard_logs` puts one :class:`LogGuard` filter on every handler of the root logger, so
it sees each record of every logger (ours, python-telegram-bot, httpx, APScheduler,
SQLAlchemy) just before it is written:

- **The token** is replaced by ``***`` in the message, its arguments and any traceback: the
  exact tokens registered by the composition root, and anything shaped like a BotFather token
  (``<digits>:<30+ characters>``, also inside ``/bot<token>/`` URLs), so a token that was
  never registered is masked too.
- **Payloads of other libraries**: python-telegram-bot logs at DEBUG the parameters of every
  Bot API call and every update it receives, which hold message texts and shared phone
  numbers. A record of a logger that is not ours keeps only plain arguments (numbers, words,
  URLs); an update becomes ``update <id>``, a mapping the list of its keys (``chat_id, text``),
  anything else its type. Our own log calls carry ids, counts and timings only.

SQL parameters are hidden by the engine itself (``hide_parameters``, :mod:`bot.db.session`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from enum import Enum

MASK = "***"
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_OWN_LOGGERS = ("bot", "scoring", "__main__")
_PLAIN = (bool, int, float, str, Enum, type(None))


class LogGuard(logging.Filter):
    """Masks secrets and strips payloads from a record; never drops a record."""

    def __init__(self) -> None:
        super().__init__("")
        self._secrets: set[str] = set()

    def add_secret(self, secret: str) -> None:
        """Mask this exact string from now on (a token, a password)."""
        if secret:
            self._secrets.add(secret)

    def mask(self, text: str) -> str:
        """``text`` with every registered secret and every token-shaped string masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place: a plain message, masked; a masked traceback."""
        if not record.name.startswith(_OWN_LOGGERS) and record.args:
            record.args = _plain_args(record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = self.mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


_GUARD = LogGuard()


def guard_logs(*secrets: str) -> LogGuard:
    """Install the guard on every root handler (once each) and register ``secrets``.

    Call it after logging is configured (the CLI does, and the composition root again with
    the token): handlers added later are not guarded.
    """
    for secret in secrets:
        _GUARD.add_secret(secret)
    for handler in logging.getLogger().handlers:
        if _GUARD not in handler.filters:
            handler.addFilter(_GUARD)
    return _GUARD


def _plain_args(
    args: tuple[object, ...] | Mapping[str, object],
) -> tuple[object, ...] | dict[str, object]:
    if isinstance(args, Mapping):
        return {key: _plain(value) for key, value in args.items()}
    return tuple(_plain(value) for value in args)


def _plain(value: object) -> object:
    """A log argument of another library without what people wrote in it."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, int) for item in value):
        return value  # ids, e.g. the update ids of a getUpdates answer
    update_id = getattr(value, "update_id", None)
    if isinstance(update_id, int):
        return f"update {update_id}"
    if type(value).__name__ == "URL":  # httpx logs its requests' URLs (masked afterwards)
        return str(value)
    if isinstance(value, Mapping):
        return f"<{', '.join(str(key) for key in value)}>"
    return f"<{type(value).__name__}>"
