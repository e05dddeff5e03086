"""The bot's own bookkeeping: processed updates, form drafts, the audit log, the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from bot.db.models.base import utc
from bot.db.types import enum_column
from bot.domain import OutboxStatus


class ProcessedUpdate(SQLModel, table=True):
    """A Telegram update id already handled: a replay of it is ignored."""

    __tablename__ = "processed_updates"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    processed_at: datetime = utc(index=True)


class Draft(SQLModel, table=True):
    """The state of a person's unfinished conversational form, saved at every step.

    ``seq`` grows with every answered step; buttons carry it, so a press on an old keyboard
    is recognised instead of being applied to the wrong question.
    """

    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    form: str = Field(max_length=32)
    step: str = Field(max_length=32)
    seq: int = 0
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc()
    updated_at: datetime = utc()


class AuditEvent(SQLModel, table=True):
    """Who did what, when, to what; with the detail needed to reconstruct it."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc(index=True)
    actor_telegram_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True, index=True)
    )
    actor_employee_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("employees.id", ondelete="SET NULL"))
    )
    actor_label: str | None = Field(default=None, max_length=32, description="cli, system, ...")
    action: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    subject_type: str | None = Field(default=None, max_length=32)
    subject_id: str | None = Field(default=None, max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Outbox(SQLModel, table=True):
    """A notification to send: rendered at send time from ``template`` and ``context``.

    ``dedupe_key`` is unique, so planning the same reminder twice stores it once. Rows are
    claimed (status SENDING, ``claimed_by``) before sending, so several workers can share them.
    Lower ``priority`` goes first (replies to people before broadcasts).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "priority", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    employee_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("employees.id", ondelete="SET NULL"))
    )
    kind: str = Field(max_length=32)
    priority: int = 10
    template: str = Field(max_length=100)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    buttons: list[Any] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )  # rows of inline buttons: [[{"label": <label name>, "data": <callback data>}]]
    language: str | None = Field(default=None, max_length=2)
    status: OutboxStatus = Field(sa_type=enum_column(OutboxStatus, 12))
    attempts: int = 0
    not_before: datetime = utc()
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = utc(nullable=True)
    sent_at: datetime | None = utc(nullable=True)
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = utc()
