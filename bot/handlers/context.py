"""The typed callback context every handler receives, and the services it carries.

Handlers reach services only through ``context.deps`` (built by :mod:`bot.app`), never through
the database; they parse, call one service, render one template and reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.render import Renderer
from bot.services.accounts import AccountService
from bot.services.assessments import AssessmentService
from bot.services.drafts import DraftStore
from bot.services.evidence import EvidenceService
from bot.services.feedback import FeedbackService
from bot.services.objections import ObjectionService
from bot.services.outbox import OutboxService
from bot.services.results import ResultService
from bot.services.targets import TargetService
from bot.services.updates import UpdateLedger

if TYPE_CHECKING:
    from bot.forms.engine import FormEngine

DEPS_KEY = "deps"


@dataclass(frozen=True, slots=True)
class Deps:
    """Everything handlers may use: settings, the renderer and the services."""

    settings: Settings
    renderer: Renderer
    clock: Clock
    accounts: AccountService
    updates: UpdateLedger
    drafts: DraftStore
    forms: FormEngine
    outbox: OutboxService
    targets: TargetService
    evidence: EvidenceService
    feedback: FeedbackService
    assessments: AssessmentService
    results: ResultService
    objections: ObjectionService


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[str, Any]]):
    """PTB's callback context with typed access to :class:`Deps`."""

    @property
    def deps(self) -> Deps:
        """The services of this application."""
        return cast(Deps, self.bot_data[DEPS_KEY])

    async def language_of(self, update: Update) -> str:
        """The language the sender chose, or the deployment's default."""
        user = update.effective_user
        if user is None:
            return self.deps.renderer.default_language
        return self.deps.renderer.language(await self.deps.accounts.language(user.id))
