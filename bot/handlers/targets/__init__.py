"""Targets (SKP): /target to see and propose, /usulan for the superior's approve and return.

See :mod:`.commands` for what each command and button does and :mod:`.forms` for the order of
the questions.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.forms.spec import Form
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.handlers.targets import commands
from bot.handlers.targets.forms import FORMS as TARGET_FORMS
from bot.handlers.targets.forms import REPORT_SUPERIOR

HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["target", "skp"], commands.show_targets),
    CommandHandler(["usulan", "proposals"], commands.review),
]
FORMS: tuple[Form, ...] = TARGET_FORMS
ACTIONS: dict[str, ActionHandler] = {
    commands.APPROVE: commands.approve,
    commands.RETURN: commands.return_,
    commands.NEW: commands.new_target,
    commands.MORE: commands.more,
    commands.REVISE: commands.revise,
    REPORT_SUPERIOR: commands.report_superior,
    commands.READ: commands.read_target,
}
PAGES: dict[str, PageHandler] = {commands.LIST: commands.targets_page}
COMMANDS: tuple[Command, ...] = (
    Command("target", "targets.cmd_target"),
    Command("usulan", "targets.cmd_usulan"),
)
