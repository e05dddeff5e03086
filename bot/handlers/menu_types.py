"""What a command in Telegram's menu and in /bantuan is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    """A command people can type; ``label`` names its description (a label macro)."""

    name: str
    label: str
