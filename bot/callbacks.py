"""Callback data: the one place that encodes and parses what buttons carry.

Telegram allows 64 bytes of callback data. Buttons carry ids only, never names or numbers a
person could read off; the server re-checks every decoded id against what the presser may do.

- ``f:<draft>:<seq>:<value>`` answers step ``seq`` of form draft ``draft`` (a press on an
  older keyboard carries an older ``seq`` and is recognised as stale);
- ``a:<action>:<id>`` is an action on one item (approve a target, verify evidence, ...);
- ``p:<list>:<page>:<id>`` shows page ``page`` of a list message (◀️ / ▶️), editing it in
  place; ``id`` names what the list is about (0: the presser's own). The list is computed
  again from the database, for the presser, with their access checked as for the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_VALUE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
_ACTION = re.compile(r"^[a-z_]{1,16}$")


@dataclass(frozen=True, slots=True)
class FormAnswer:
    """A button answering one step of a form draft."""

    draft_id: int
    seq: int
    value: str

    def encode(self) -> str:
        """The callback data string."""
        if not _VALUE.match(self.value):
            msg = f"form button values are short codes, got {self.value!r}"
            raise ValueError(msg)
        return _checked(f"f:{self.draft_id}:{self.seq}:{self.value}")


@dataclass(frozen=True, slots=True)
class ItemAction:
    """A button acting on one stored item, e.g. ``ItemAction("approve_target", 42)``."""

    action: str
    item_id: int

    def encode(self) -> str:
        """The callback data string."""
        if not _ACTION.match(self.action):
            msg = f"action names are short lower-case words, got {self.action!r}"
            raise ValueError(msg)
        return _checked(f"a:{self.action}:{self.item_id}")


@dataclass(frozen=True, slots=True)
class PageTurn:
    """A Previous/Next button of a list message, e.g. ``PageTurn("targets", 2)``."""

    view: str
    page: int
    item_id: int = 0

    def encode(self) -> str:
        """The callback data string."""
        if not _ACTION.match(self.view):
            msg = f"list names are short lower-case words, got {self.view!r}"
            raise ValueError(msg)
        return _checked(f"p:{self.view}:{self.page}:{self.item_id}")


Callback = FormAnswer | ItemAction | PageTurn


def _checked(data: str) -> str:
    if len(data.encode()) > MAX_BYTES:
        msg = f"callback data over {MAX_BYTES} bytes: {data!r}"
        raise ValueError(msg)
    return data


def _int(text: str) -> int | None:
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def parse(data: str | None) -> Callback | None:
    """The button's meaning, or None for anything malformed (forged or from an old version)."""
    parts = (data or "").split(":")
    if len(parts) == 4 and parts[0] == "f" and _VALUE.match(parts[3]):
        draft_id, seq = _int(parts[1]), _int(parts[2])
        if draft_id is not None and seq is not None:
            return FormAnswer(draft_id, seq, parts[3])
    if len(parts) == 3 and parts[0] == "a" and _ACTION.match(parts[1]):
        item_id = _int(parts[2])
        if item_id is not None:
            return ItemAction(parts[1], item_id)
    if len(parts) == 4 and parts[0] == "p" and _ACTION.match(parts[1]):
        page, item_id = _int(parts[2]), _int(parts[3])
        if page is not None and item_id is not None:
            return PageTurn(parts[1], page, item_id)
    return None
