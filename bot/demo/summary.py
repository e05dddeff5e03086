"""The demo's closing summary: what the database holds at the end, and what each chapter told."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, func, select

from bot.db.models import (
    Assessment,
    Employee,
    Evidence,
    EvidenceFile,
    Feedback,
    FeedbackAssignment,
    Outbox,
    Result,
    Target,
)
from bot.db.session import Database
from bot.demo.linking import Story
from bot.domain import EvidenceStatus, OutboxStatus, TargetStatus

NOTICE_KINDS = ("reminder", "late", "summary", "digest", "result")


@dataclass(frozen=True, slots=True)
class Counts:
    """What the database holds when the story ends."""

    linked: int = 0
    targets: int = 0
    evidence: int = 0
    verified: int = 0
    files: int = 0
    file_bytes: int = 0
    feedback: int = 0
    assignments: int = 0
    assessments: int = 0
    results: int = 0
    sent: dict[str, int] = field(default_factory=dict)  # notifications sent, by kind


async def _count(db: Database, table: type[SQLModel], *where: ColumnElement[bool]) -> int:
    async with db.session() as session:
        query = select(func.count()).select_from(table).where(*where)
        return int((await session.exec(query)).one())


async def count(db: Database) -> Counts:
    """Read the final counts (every figure of the summary comes from the database)."""
    async with db.session() as session:
        size = await session.exec(select(func.coalesce(func.sum(EvidenceFile.size), 0)))
        file_bytes = int(size.one())
        query = (
            select(Outbox.kind, func.count())
            .where(col(Outbox.status) == OutboxStatus.SENT)
            .group_by(col(Outbox.kind))
        )
        sent = {str(kind): int(number) for kind, number in (await session.exec(query)).all()}
    return Counts(
        linked=await _count(db, Employee, col(Employee.telegram_user_id).is_not(None)),
        targets=await _count(db, Target, col(Target.status) == TargetStatus.APPROVED),
        evidence=await _count(db, Evidence),
        verified=await _count(db, Evidence, col(Evidence.status) == EvidenceStatus.VERIFIED),
        files=await _count(db, EvidenceFile),
        file_bytes=file_bytes,
        feedback=await _count(db, Feedback),
        assignments=await _count(db, FeedbackAssignment),
        assessments=await _count(db, Assessment),
        results=await _count(db, Result),
        sent={kind: sent.get(kind, 0) for kind in NOTICE_KINDS},
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the closing summary shows."""

    people: int
    counts: Counts
    refusals: dict[str, int]
    linking: Story | None
    chapters: dict[str, object]
    delivered: int  # messages the bot sent (the sandbox counted them)
    admin_messages: int  # of which to the BKPSDM group
    seconds: float
    folder: Path
    ok: bool
