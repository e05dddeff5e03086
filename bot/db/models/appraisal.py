"""Rating people: feedback from colleagues, the official assessment, results, objections.

Glossary: penilaian = assessment; hasil kerja / perilaku kerja = work results / behaviour (the
two ratings); predikat = the official result; keberatan = objection; predikat kinerja
organisasi = a unit's own result (SE MenPANRB 3/2023).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models.base import decimal, utc
from bot.db.types import enum_column
from bot.domain import AssignmentSource, ObjectionDecision, ObjectionStatus
from scoring import OrgPredikat, Predikat, Rating
from scoring.feedback import Relation


class FeedbackAssignment(SQLModel, table=True):
    """Who rates whom in a cycle, and as what (self, peer, subordinate, superior)."""

    __tablename__ = "feedback_assignments"
    __table_args__ = (UniqueConstraint("cycle_id", "rater_id", "ratee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    rater_id: int = Field(foreign_key="employees.id", index=True)
    ratee_id: int = Field(foreign_key="employees.id", index=True)
    relation: Relation = Field(sa_type=enum_column(Relation, 12))
    source: AssignmentSource = Field(sa_type=enum_column(AssignmentSource, 8))
    created_at: datetime = utc()


class Feedback(SQLModel, table=True):
    """A rater's BerAKHLAK scores (1–5 per value) for one assignment; editable until the due date.

    ``examples`` holds the one-line example of behaviour asked for a 1 or a 5, per value.
    """

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="feedback_assignments.id", unique=True)
    scores: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    examples: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comment: str | None = Field(default=None, max_length=1000)
    submitted_at: datetime = utc()
    updated_at: datetime = utc()


class FeedbackSnapshot(SQLModel, table=True):
    """What may be shown of one person's feedback in a cycle, frozen once feedback has closed.

    ``view`` is a ``FeedbackView`` as JSON (bot.services.feedback_snapshots), computed from the
    answers last changed at or before ``closed_at``; taken once (the scheduler's tick at the
    close, or the first read after it) and never changed, so a later answer moves nothing.
    """

    __tablename__ = "feedback_snapshots"
    __table_args__ = (UniqueConstraint("cycle_id", "employee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id")
    employee_id: int = Field(foreign_key="employees.id", index=True)
    view: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    closed_at: datetime = utc()
    taken_at: datetime = utc()


class Assessment(SQLModel, table=True):
    """The rater's official ratings of one employee for a cycle, and the predikat they give."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("cycle_id", "employee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    rater_id: int = Field(foreign_key="employees.id", index=True)
    suggested_hasil: Rating | None = Field(default=None, sa_type=enum_column(Rating, 24))
    hasil: Rating = Field(sa_type=enum_column(Rating, 24))
    perilaku: Rating = Field(sa_type=enum_column(Rating, 24))
    hasil_reason: str | None = Field(default=None, sa_type=Text)
    perilaku_reason: str | None = Field(default=None, sa_type=Text)
    predikat: Predikat = Field(sa_type=enum_column(Predikat, 24))
    explanation: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    decided_at: datetime = utc()


class Result(SQLModel, table=True):
    """A published result: what the employee receives, and from when the objection window runs."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("cycle_id", "employee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    assessment_id: int = Field(foreign_key="assessments.id")
    hasil: Rating = Field(sa_type=enum_column(Rating, 24))
    perilaku: Rating = Field(sa_type=enum_column(Rating, 24))
    predikat: Predikat = Field(sa_type=enum_column(Predikat, 24))
    explanation: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    published_at: datetime = utc()
    delivered_at: datetime | None = utc(nullable=True)


class UnitResult(SQLModel, table=True):
    """A unit's own predikat for a cycle, its IKM, and the reason to publish despite a breach."""

    __tablename__ = "unit_results"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    predikat: OrgPredikat = Field(sa_type=enum_column(OrgPredikat, 24))
    ikm: Decimal | None = decimal(nullable=True)
    set_by: int | None = Field(default=None, foreign_key="employees.id")
    set_at: datetime = utc()
    breach_reason: str | None = Field(default=None, sa_type=Text)
    published_by: int | None = Field(default=None, foreign_key="employees.id")
    published_at: datetime | None = utc(nullable=True)


class Objection(SQLModel, table=True):
    """Keberatan: an employee's objection to a result, decided by the rater's superior."""

    __tablename__ = "objections"

    id: int | None = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="results.id", unique=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    decider_id: int | None = Field(
        default=None,
        foreign_key="employees.id",
        index=True,
        description="the rater's superior; None: the rater has none, BKPSDM admins decide",
    )
    reasons: str = Field(sa_type=Text)
    status: ObjectionStatus = Field(sa_type=enum_column(ObjectionStatus, 8), index=True)
    decision: ObjectionDecision | None = Field(
        default=None, sa_type=enum_column(ObjectionDecision, 8)
    )
    new_hasil: Rating | None = Field(default=None, sa_type=enum_column(Rating, 24))
    new_perilaku: Rating | None = Field(default=None, sa_type=enum_column(Rating, 24))
    new_predikat: Predikat | None = Field(default=None, sa_type=enum_column(Predikat, 24))
    decision_reason: str | None = Field(default=None, sa_type=Text)
    decided_by: int | None = Field(default=None, foreign_key="employees.id")
    filed_at: datetime = utc()
    decided_at: datetime | None = utc(nullable=True)


class ObjectionNote(SQLModel, table=True):
    """A question from the decider to the rater or the employee, or their answer.

    A question has no ``reply_to_id``; an answer names its question (one answer each).
    """

    __tablename__ = "objection_notes"

    id: int | None = Field(default=None, primary_key=True)
    objection_id: int = Field(foreign_key="objections.id", index=True)
    author_id: int = Field(foreign_key="employees.id")
    addressed_to: int | None = Field(default=None, foreign_key="employees.id")
    reply_to_id: int | None = Field(default=None, foreign_key="objection_notes.id", unique=True)
    text: str = Field(sa_type=Text)
    at: datetime = utc()
