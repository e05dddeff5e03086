"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.db.migrate import alembic_config, current_revision, pending_model_changes, upgrade
from bot.db.models import Employee, Unit, UnitHead
from bot.db.schema_version import current_heads, head_revisions, is_up_to_date
from bot.db.session import Database
from bot.domain import EmployeeStatus, PostType, UnitKind


async def test_migrated_schema_matches_models(db: Database) -> None:
    """After `upgrade head` Alembic finds nothing left to migrate."""
    assert await current_revision(db) is not None
    assert await pending_model_changes(db) == []


async def _add_employee(db: Database, *, nip: str, phone: str, at: datetime) -> Employee:
    async with db.session() as session:
        unit = Unit(key=f"dinas {nip}", name="Dinas", kind=UnitKind.OPD)
        session.add(unit)
        await session.flush()
        assert unit.id is not None
        employee = Employee(
            nip=nip,
            name="Sari",
            post="Analis",
            post_type=PostType.PELAKSANA,
            status=EmployeeStatus.PNS,
            unit_id=unit.id,
            phone=phone,
            created_at=at,
            updated_at=at,
        )
        session.add(employee)
    return employee


async def test_timestamps_come_back_aware_utc(db: Database) -> None:
    """A time written in WIB is read back as the same instant, in UTC."""
    wib = timezone(timedelta(hours=7))
    written = datetime(2026, 1, 14, 9, 0, tzinfo=wib)
    employee = await _add_employee(db, nip="198609262015051001", phone="+6281234567890", at=written)
    async with db.session() as session:
        loaded = await session.get(Employee, employee.id)
    assert loaded is not None
    assert loaded.created_at == written
    assert loaded.created_at.tzinfo == UTC
    assert loaded.post_type is PostType.PELAKSANA


async def test_naive_timestamps_are_refused(db: Database) -> None:
    """Local time without a zone cannot be stored by mistake."""
    with pytest.raises(Exception, match="naive datetime"):
        await _add_employee(
            db, nip="198609262015051001", phone="+6281234567890", at=datetime(2026, 1, 1)
        )


async def test_unique_nip_is_enforced_by_the_database(db: Database) -> None:
    """Two employees can never share a NIP, even if a service forgot to check."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    await _add_employee(db, nip="198609262015051001", phone="+6281234567890", at=at)
    with pytest.raises(IntegrityError):
        await _add_employee(db, nip="198609262015051001", phone="+6281234567891", at=at)


async def test_foreign_keys_are_enforced(db: Database) -> None:
    """An employee in a unit that does not exist is refused (SQLite too: foreign_keys=ON)."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(
                Employee(
                    nip="198609262015051001",
                    name="Sari",
                    post="Analis",
                    post_type=PostType.PELAKSANA,
                    status=EmployeeStatus.PNS,
                    unit_id=999,
                    phone="+6281234567890",
                    created_at=at,
                    updated_at=at,
                )
            )


async def test_upgrading_existing_data_leaves_the_heads_to_bkpsdm(db: Database) -> None:
    """0006 adds unit heads without guessing them from superiors: every unit starts without."""

    def _downgrade(sync: Connection) -> None:
        command.downgrade(alembic_config(sync), "0005_feedback_snapshot")

    async with db.engine.begin() as conn:
        await conn.run_sync(_downgrade)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    employee = await _add_employee(db, nip="198609262015051001", phone="+6281234567890", at=at)
    await upgrade(db)
    async with db.session() as session:
        assert (await session.exec(select(UnitHead))).all() == []
        assert await session.get(Employee, employee.id) is not None
    assert await pending_model_changes(db) == []


async def test_the_start_check_reads_the_schema_version_as_alembic_does(
    db: Database, tmp_path: Path
) -> None:
    """The bot checks the schema at start without importing Alembic: the shipped heads and
    the database's revision agree with Alembic's own answers, before and after a migration."""

    def _alembic_heads(sync: Connection) -> tuple[frozenset[str], frozenset[str]]:
        config = alembic_config(sync)
        shipped = frozenset(ScriptDirectory.from_config(config).get_heads())
        return shipped, frozenset(MigrationContext.configure(sync).get_current_heads())

    async with db.engine.connect() as conn:
        shipped, at = await conn.run_sync(_alembic_heads)
    assert head_revisions() == shipped
    assert await current_heads(db) == at == shipped
    assert await is_up_to_date(db)

    async with db.engine.begin() as conn:
        await conn.run_sync(
            lambda sync: command.downgrade(alembic_config(sync), "0005_feedback_snapshot")
        )
    assert await current_heads(db) == {"0005_feedback_snapshot"}
    assert not await is_up_to_date(db)

    empty = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        assert await current_heads(empty) == frozenset()
    finally:
        await empty.dispose()


def test_a_merge_of_two_branches_has_one_head(tmp_path: Path) -> None:
    """A merge migration names both parents in a tuple; neither parent is a head any more."""
    files = {
        "a.py": 'revision: str = "a"\ndown_revision: str | None = None\n',
        "b.py": 'revision = "b"\ndown_revision = "a"\n',
        "c.py": 'revision = "c"\ndown_revision = "a"\n',
        "m.py": 'revision = "m"\ndown_revision = ("b", "c")\nbranch_labels = None\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert head_revisions(tmp_path) == {"m"}
    (tmp_path / "m.py").unlink()
    assert head_revisions(tmp_path) == {"b", "c"}
