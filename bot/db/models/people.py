"""People and the organisation: units, their heads, employees, Telegram accounts, invite codes.

Glossary: NIP = the civil-servant id (18 digits); jabatan = post; OPD = department.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, ForeignKey
from sqlmodel import Field, SQLModel

from bot.db.models.base import utc
from bot.db.types import enum_column
from bot.domain import EmployeeStatus, PostType, UnitKind


class Unit(SQLModel, table=True):
    """An OPD (parent_id is None) or a unit kerja inside one: the organisation tree."""

    __tablename__ = "units"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=420, unique=True, description="case-folded 'opd' or 'opd/unit'")
    name: str = Field(max_length=200)
    kind: UnitKind = Field(sa_type=enum_column(UnitKind, 8))
    parent_id: int | None = Field(default=None, foreign_key="units.id", index=True)


class Employee(SQLModel, table=True):
    """A civil servant (ASN) as imported from BKPSDM's personnel data."""

    __tablename__ = "employees"

    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=18, unique=True)
    name: str = Field(max_length=200)
    post: str = Field(max_length=200, description="jabatan")
    post_type: PostType = Field(sa_type=enum_column(PostType, 16))
    status: EmployeeStatus = Field(sa_type=enum_column(EmployeeStatus, 8))
    unit_id: int = Field(foreign_key="units.id", index=True)
    superior_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("employees.id", ondelete="SET NULL"), index=True),
    )
    phone: str = Field(max_length=16, unique=True, description="E.164, e.g. +6281234567890")
    telegram_user_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, unique=True, nullable=True)
    )
    language: str | None = Field(default=None, max_length=2)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    linked_at: datetime | None = utc(nullable=True)
    unreachable_at: datetime | None = utc(nullable=True)  # blocked the bot: send nothing more
    created_at: datetime = utc()
    updated_at: datetime = utc()


class UnitHead(SQLModel, table=True):
    """The head (kepala) of a unit or OPD, named by BKPSDM: at most one per unit.

    Named explicitly (the ``kepala_unit`` column of the personnel import, or `kinerja unit
    head`), never guessed from who reports to whom. An acting head (Plt.) may work elsewhere.
    """

    __tablename__ = "unit_heads"

    unit_id: int = Field(
        sa_column=Column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    )
    employee_id: int = Field(
        sa_column=Column(ForeignKey("employees.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    set_at: datetime = utc()


class TelegramAccount(SQLModel, table=True):
    """What we know of a Telegram user before or besides linking: language, code attempts."""

    __tablename__ = "telegram_accounts"

    telegram_user_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )
    language: str | None = Field(default=None, max_length=2)
    code_failures: int = 0
    code_locked_until: datetime | None = utc(nullable=True)
    updated_at: datetime = utc()


class InviteCode(SQLModel, table=True):
    """A single-use code that links one employee (fallback when the phone does not match).

    Only the SHA-256 of the code is stored: a database leak does not leak usable codes.
    """

    __tablename__ = "invite_codes"

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employees.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = utc()
    expires_at: datetime = utc()
    used_at: datetime | None = utc(nullable=True)
    used_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
