"""Column types shared by the tables: aware UTC datetimes, exact decimals, enums by value."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones: values are stored as naive UTC and made aware again on load.
    Naive datetimes are refused on the way in, so local time can never slip in by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive values and convert aware ones to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given to a UTC column; pass an aware datetime"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return aware UTC datetimes."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[Enum], length: int = 32) -> Any:
    """A portable enum column that stores the member's value as text (no native DB enum)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal stored as text, identical on SQLite and PostgreSQL.

    SQLite has no decimal type (SQLAlchemy would go through float); targets and realisations
    must come back exactly as entered, so they are kept as their canonical string.
    """

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        """Store the canonical string of a finite Decimal."""
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            msg = f"expected a finite Decimal, got {value!r}"
            raise ValueError(msg)
        return format(value, "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        """Read the string back as the same Decimal."""
        return None if value is None else Decimal(value)
