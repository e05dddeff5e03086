"""The appraisal period and the work in it: cycles, targets (SKP indicators), evidence.

Glossary: SKP = sasaran kinerja pegawai (the performance agreement); RHK = rencana hasil kerja
(a planned result); indikator = its measurable indicator; bukti dukung = evidence; satuan =
the indicator's unit (dokumen, %, hari, ...); realisasi = what was achieved.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from bot.db.models.base import decimal, utc
from bot.db.types import enum_column
from bot.domain import EvidenceStatus, FileKind, PeriodKind, TargetKind, TargetStatus
from scoring import Direction


class Cycle(SQLModel, table=True):
    """An appraisal period (month, quarter or year) with the dates of its phases.

    Each ``*_due`` date is the last day of a phase (deadline at the end of that day, in the
    deployment's time zone); ``results_on`` is the day results go out.
    """

    __tablename__ = "cycles"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: PeriodKind = Field(sa_type=enum_column(PeriodKind, 8))
    starts_on: date
    ends_on: date
    targets_due: date
    evidence_due: date
    feedback_opens: date
    feedback_due: date
    assessment_due: date
    results_on: date
    objection_days: int = 14
    results_published_at: datetime | None = utc(nullable=True)
    created_at: datetime = utc()


class Target(SQLModel, table=True):
    """One indicator of one RHK of an employee's SKP in a cycle, with its target."""

    __tablename__ = "targets"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    rhk: str = Field(max_length=500)
    rhk_superior: str | None = Field(default=None, max_length=500)
    kind: TargetKind = Field(sa_type=enum_column(TargetKind, 10))
    indicator: str = Field(max_length=500)
    target_value: Decimal | None = decimal(nullable=True)  # None for a range target
    target_low: Decimal | None = decimal(nullable=True)
    target_high: Decimal | None = decimal(nullable=True)
    unit: str = Field(max_length=50, description="satuan")
    direction: Direction = Field(sa_type=enum_column(Direction, 8))
    status: TargetStatus = Field(sa_type=enum_column(TargetStatus, 10), index=True)
    comment: str | None = Field(default=None, max_length=500, description="why it was returned")
    decided_by: int | None = Field(default=None, foreign_key="employees.id")
    decided_at: datetime | None = utc(nullable=True)
    created_at: datetime = utc()
    updated_at: datetime = utc()


class Evidence(SQLModel, table=True):
    """Bukti dukung: a realisation reported against a target, with files, a link or a note.

    ``realisation`` is the indicator's value achieved so far (cumulative, as of submission):
    the newest evidence of a target gives its current achievement.
    """

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="targets.id", index=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    realisation: Decimal = decimal()
    note: str | None = Field(default=None, max_length=500)
    link: str | None = Field(default=None, max_length=500)
    status: EvidenceStatus = Field(sa_type=enum_column(EvidenceStatus, 10), index=True)
    review_comment: str | None = Field(default=None, max_length=500)
    reviewed_by: int | None = Field(default=None, foreign_key="employees.id")
    reviewed_at: datetime | None = utc(nullable=True)
    submitted_at: datetime = utc(index=True)


class EvidenceFile(SQLModel, table=True):
    """A photo or document attached to evidence, kept in the content-addressed store."""

    __tablename__ = "evidence_files"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    kind: FileKind = Field(sa_type=enum_column(FileKind, 10))
    telegram_file_id: str = Field(max_length=200)
    sha256: str = Field(max_length=64, index=True)
    mime_type: str = Field(max_length=100)
    size: int = Field(sa_type=BigInteger)
    original_name: str | None = Field(default=None, max_length=255)
    stored_path: str = Field(max_length=300, description="relative to the data folder")
