"""Objections: /keberatan, and the decider's hearing and decision."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.forms.spec import Form
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command

HANDLERS: list[BaseHandler[Update, Context, object]] = []
FORMS: tuple[Form, ...] = ()
ACTIONS: dict[str, ActionHandler] = {}
COMMANDS: tuple[Command, ...] = ()
