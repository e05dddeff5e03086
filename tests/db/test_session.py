"""The engine never puts SQL parameters (names, phone numbers, texts) into errors or logs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.models import Employee
from bot.db.session import Database
from tests.support import factories


async def test_a_database_error_does_not_carry_the_values(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A duplicate phone fails; neither the error text nor the engine's log shows the number."""
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    first = await factories.employee(db, serial=70)
    copy = Employee(**{**first.model_dump(), "id": None, "nip": factories.nip_for(71)})
    db.engine.sync_engine.echo = True  # as someone debugging with SQL logging would
    with pytest.raises(IntegrityError) as failed:
        async with db.session() as session:
            session.add(copy)
    assert first.phone not in str(failed.value)
    assert first.phone not in caplog.text
    assert "INSERT INTO employees" in caplog.text  # the statement is logged, its values not
