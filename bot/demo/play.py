"""The demo's chapters in order, from opening the cycle to the export; a failure stops it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import col, func, select

from bot.config import load_secret_key
from bot.db.models import Employee
from bot.demo.assessment import assess
from bot.demo.chat import DemoFailure
from bot.demo.evidence import send_evidence
from bot.demo.export import export_results
from bot.demo.feedback import give_feedback
from bot.demo.linking import Story, link_everyone
from bot.demo.objection import object_to_result
from bot.demo.results import publish_results
from bot.demo.story import START, Stage
from bot.demo.targets import agree_targets
from bot.domain import PeriodKind
from bot.sandbox import SandboxError
from bot.services.accounts import AccountService
from bot.services.audit import Actor
from bot.services.cycles import open_cycle, plan_cycle


@dataclass
class Play:
    """One run of the story: what each chapter told, and the failure that stopped it, if any."""

    stage: Stage
    folder: Path
    linking: Story | None = None
    chapters: dict[str, object] = field(default_factory=dict)
    failure: DemoFailure | None = None

    async def run(self) -> None:
        """Every chapter in order; a failure is printed and ends the story."""
        try:
            await self._chapters()
        except SandboxError as error:
            self.failure = DemoFailure("sandbox", str(error))
        except DemoFailure as failure:
            self.failure = failure
        if self.failure is not None:
            self.stage.say("failed", failure=self.failure)

    async def _chapters(self) -> None:
        stage, told = self.stage, self.chapters
        plan = plan_cycle(PeriodKind.QUARTER, date(START.year, 1, 1))
        cycle = await open_cycle(stage.db, plan, now=stage.clock(), actor=Actor.cli())
        cycle_id = cycle.id or 0
        stage.line("cycle_opened", plan=plan)
        await self._link()
        await stage.advance(START)
        stage.chapter(4, "targets")
        told["targets"] = await agree_targets(stage, self.folder, plan.name)
        stage.chapter(5, "evidence")
        told["evidence"] = await send_evidence(stage)
        stage.chapter(6, "feedback")
        told["feedback"] = await give_feedback(stage, plan.name)
        stage.chapter(7, "assessment")
        told["assessment"] = assessed = await assess(stage, cycle_id)
        objector = assessed.departures.hasil
        told["results"] = await publish_results(stage, cycle_id, objector)
        stage.chapter(8, "objection")
        told["objection"] = await object_to_result(stage, objector)
        stage.chapter(9, "export")
        told["export"] = await export_results(stage, cycle_id, self.folder)

    async def _link(self) -> None:
        """Everyone links their account (the first chapter); the refusals really happened."""
        stage = self.stage
        stage.chapter(3, "linking")
        story = await link_everyone(
            stage.sandbox,
            stage.people,
            AccountService(
                stage.db, clock=stage.clock, code_key=load_secret_key(stage.env.settings)
            ),
            lambda done, total: stage.say("progress", done=done, total=total),
        )
        self.linking = story
        stage.check(await linked(stage) == len(stage.people), "not_all_linked")
        stage.check(story.foreign_contact_refused and story.stranger_refused, "link_refusals")
        stage.check(story.invite_linked, "invite_not_linked")
        other = "id" if stage.language == "en" else "en"
        stage.check(story.switched_language == other, "language_not_switched")
        await stage.load_cast()


async def linked(stage: Stage) -> int:
    """Employees with a linked Telegram account."""
    async with stage.db.session() as session:
        query = select(func.count()).where(col(Employee.telegram_user_id).is_not(None))
        return int((await session.exec(query)).one())
