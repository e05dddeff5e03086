"""What the targets tests read back: stored targets, audit rows, outbox rows."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import col, select

from bot.db.models import AuditEvent, Outbox, Target
from bot.db.session import Database
from bot.domain import TargetKind
from bot.services.accounts import resolve_actor
from bot.services.audit import Actor
from bot.services.targets import Proposal
from scoring import Direction


async def act(db: Database, telegram_user_id: int) -> Actor:
    """Who a Telegram account is to the bot, resolved as the bot does for each update."""
    async with db.session() as session:
        return await resolve_actor(session, telegram_user_id)


async def targets(db: Database) -> list[Target]:
    """Every stored target, oldest first."""
    async with db.session() as session:
        return list((await session.exec(select(Target).order_by(col(Target.id)))).all())


async def audits(db: Database, action: str) -> list[AuditEvent]:
    """The audit rows of one action, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        return list((await session.exec(query)).all())


async def outbox(db: Database) -> list[Outbox]:
    """Every queued notification, oldest first."""
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


def proposal(**changes: object) -> Proposal:
    """A clean proposal: 12 laporan, higher is better, a main RHK of its own."""
    fields: dict[str, object] = {
        "rhk": "Tersusunnya laporan kepegawaian bulanan",
        "kind": TargetKind.UTAMA,
        "indicator": "Jumlah laporan yang diselesaikan",
        "direction": Direction.HIGHER,
        "unit": "laporan",
        "value": Decimal(12),
    }
    return Proposal(**{**fields, **changes})  # type: ignore[arg-type]
