"""What every table module shares: constraint naming and column helpers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, SQLModel

from bot.db.types import DecimalText, UTCDateTime

# Stable constraint names, so Alembic migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc(*, nullable: bool = False, index: bool = False) -> Any:
    """An aware-UTC timestamp column."""
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)


def decimal(*, nullable: bool = False) -> Any:
    """An exact decimal column (targets, realisations)."""
    return Field(default=None, sa_type=DecimalText, nullable=nullable)
