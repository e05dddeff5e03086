"""Every journey module, and the commands they offer, in the order people see them."""

from __future__ import annotations

from bot.handlers import assessment, evidence, feedback, objection, reminders, results, targets
from bot.handlers.menu_types import Command

JOURNEYS = (targets, evidence, feedback, assessment, results, objection, reminders)

CORE_COMMANDS: tuple[Command, ...] = (
    Command("start", "cmd_start"),
    Command("bantuan", "cmd_bantuan"),
    Command("bahasa", "cmd_bahasa"),
    Command("lanjut", "cmd_lanjut"),
    Command("batal", "cmd_batal"),
)
COMMANDS: tuple[Command, ...] = (
    CORE_COMMANDS[:1]
    + tuple(command for journey in JOURNEYS for command in journey.COMMANDS)
    + CORE_COMMANDS[1:]
)
