"""`kinerja backup` and `kinerja restore`: every row and every file comes back, byte for byte.

The database is the access matrix's world (an organisation with Sari's data in every phase:
targets, evidence, feedback, assessments, results, an objection, audit events, outbox rows),
plus evidence files in the content-addressed store and the secret key the bot made. It runs
on the suite's database: SQLite here, PostgreSQL in CI (``pg_dump``/``pg_restore`` of the
server's version, as Debian installs them beside the server).
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import inspect, text
from sqlmodel import col, select

from bot.app import build_application
from bot.cli import main
from bot.config import Settings
from bot.db.models import (
    Evidence,
    EvidenceFile,
    Feedback,
    FeedbackAssignment,
    TelegramAccount,
)
from bot.db.session import Database
from bot.domain import DomainError, FileKind
from bot.services.backup import find_pg_tool
from bot.services.filestore import FileStore
from tests.access import world as w
from tests.conftest import FakeClock
from tests.support import factories_evidence as fe
from tests.support.recording import TEST_TOKEN, RecordingRequest

FILES = {"laporan.pdf": fe.pdf("Laporan mutasi Januari"), "foto.jpg": fe.jpeg(), "p.png": fe.png()}


async def _invoke(url: str, data_dir: Path, *args: str) -> Result:
    env = {"DATABASE_URL": url, "KINERJA_DATA_DIR": str(data_dir)}
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)


async def _populate(db: Database, url: str, data_dir: Path) -> None:
    """The matrix world; files attached to Sari's evidence waiting for review; a feedback
    answer, a Telegram account's language and code attempts, an invite code."""
    settings = Settings(
        _env_file=None, telegram_bot_token=TEST_TOKEN, database_url=url, data_dir=data_dir
    )
    clock, recorder = FakeClock(w.NOW), RecordingRequest()
    app = build_application(settings, db=db, clock=clock, request=recorder, rate_limiter=False)
    await app.initialize()
    try:
        world = await w.build(app, db, clock, recorder)
    finally:
        await app.shutdown()
    store = FileStore(data_dir)
    async with db.session() as session:
        session.add(
            TelegramAccount(
                telegram_user_id=w.STRANGER_TG,
                language="en",
                code_failures=2,
                code_locked_until=w.NOW,
                updated_at=w.NOW,
            )
        )
        assignment = (await session.exec(select(FeedbackAssignment))).first()
        assert assignment is not None
        assert assignment.id is not None
        scores = {"pelayanan": 4, "akuntabel": 5}
        session.add(
            Feedback(
                assignment_id=assignment.id, scores=scores, submitted_at=w.NOW, updated_at=w.NOW
            )
        )
        for name, data in FILES.items():
            blob = await store.put(data)
            session.add(
                EvidenceFile(
                    evidence_id=world.evidence.id,
                    kind=FileKind.DOCUMENT,
                    telegram_file_id=f"file-{name}",
                    sha256=blob.sha256,
                    mime_type="application/octet-stream",
                    size=blob.size,
                    original_name=name,
                    stored_path=blob.path,
                )
            )
    sari = world.people["emp"].employee
    assert sari is not None
    invited = await _invoke(url, data_dir, "invite", sari.nip)
    assert invited.exit_code == 0, invited.output


async def _every_row(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in the database (Alembic's too), in key order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: sorted(inspect(sync).get_table_names()))
        for name in names:
            result = await conn.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))  # noqa: S608
            rows[name] = [dict(row) for row in result.mappings()]
    return rows


def _every_file(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith((".db", ".db-wal", ".db-shm"))
    }


@pytest.fixture
async def empty_url(postgres_templates: Any, tmp_path: Path) -> AsyncIterator[str]:
    """A database without any table, of the suite's kind."""
    if postgres_templates is None:
        (tmp_path / "restored").mkdir()
        yield f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'kinerja.db'}"
        return
    name = await postgres_templates.empty()
    yield postgres_templates.url_of(name)
    await postgres_templates.drop(name)


async def test_backup_and_restore_bring_back_every_row_and_file(
    db: Database, db_url: str, empty_url: str, tmp_path: Path
) -> None:
    """Back up a populated deployment, restore it into an empty one: the same rows, the same
    bytes; then a restore over it is refused (it is not empty any more)."""
    data, restored = tmp_path / "data", tmp_path / "restored"
    await _populate(db, db_url, data)
    before = await _every_row(db)
    files = _every_file(data)
    assert {name for name in files if name.startswith("files/")}  # evidence files exist
    assert "secret.key" in files
    assert len(before) >= 20
    assert [name for name, rows in before.items() if not rows] == []
    assert sum(len(rows) for rows in before.values()) > 70
    archive = tmp_path / "kinerja-backup.tar.gz"

    made = await _invoke(db_url, data, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert f"{len(FILES) + 1} files" in made.stdout

    back = await _invoke(empty_url, restored, "restore", str(archive))
    assert back.exit_code == 0, back.output
    assert "counts checked" in back.stdout
    target = Database(empty_url)
    try:
        after = await _every_row(target)
        async with target.session() as session:
            paths = (await session.exec(select(EvidenceFile.stored_path))).all()
            [evidence] = (
                await session.exec(select(Evidence.id).where(col(Evidence.note).is_not(None)))
            ).all()
    finally:
        await target.dispose()
    assert after == before
    assert _every_file(restored) == files
    assert {(restored / path).read_bytes() for path in paths} == set(FILES.values())
    assert evidence is not None
    assert (restored / "secret.key").stat().st_mode & 0o777 == 0o600

    again = await _invoke(empty_url, tmp_path / "elsewhere", "restore", str(archive))
    assert again.exit_code == 1
    [line] = again.stderr.strip().splitlines()
    assert "database kosong" in line


async def test_restore_refuses_a_data_folder_with_files(
    db: Database, db_url: str, empty_url: str, tmp_path: Path
) -> None:
    """Evidence files already in the data folder: nothing is restored, one line says why."""
    data = tmp_path / "data"
    await FileStore(data).put(fe.pdf())
    archive = tmp_path / "b.tar.gz"
    assert (await _invoke(db_url, data, "backup", str(archive))).exit_code == 0
    refused = await _invoke(empty_url, data, "restore", str(archive))
    assert refused.exit_code == 1
    [line] = refused.stderr.strip().splitlines()
    assert f"{data} sudah berisi berkas bukti" in line
    target = Database(empty_url)
    try:
        assert await _every_row(target) == {}
    finally:
        await target.dispose()


async def test_a_damaged_archive_is_refused_before_anything_is_written(
    db: Database, db_url: str, empty_url: str, tmp_path: Path
) -> None:
    """One evidence file changed inside the archive: its SHA-256 does not match, nothing moves."""
    data = tmp_path / "data"
    await FileStore(data).put(fe.pdf())
    archive = tmp_path / "b.tar.gz"
    assert (await _invoke(db_url, data, "backup", str(archive))).exit_code == 0
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as out:
        for info in source:
            stream = source.extractfile(info)
            payload = stream.read() if stream is not None else b""
            if info.name.startswith("data/files/"):
                payload = payload.replace(b"Laporan", b"Lap0ran")
            info.size = len(payload)
            out.addfile(info, io.BytesIO(payload))
    restored = tmp_path / "restored"
    refused = await _invoke(empty_url, restored, "restore", str(tampered))
    assert refused.exit_code == 1
    [line] = refused.stderr.strip().splitlines()
    assert "bukan cadangan Kinerja yang utuh" in line
    assert "SHA-256" in line
    assert not (restored / "files").exists()
    target = Database(empty_url)
    try:
        assert await _every_row(target) == {}
    finally:
        await target.dispose()


async def test_the_manifest_lists_kind_revision_rows_and_hashes(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    """The manifest says what the archive holds, so a restore can check it."""
    data = tmp_path / "data"
    blob = await FileStore(data).put(fe.png())
    archive = tmp_path / "b.tar.gz"
    assert (await _invoke(db_url, data, "backup", str(archive))).exit_code == 0
    with tarfile.open(archive, "r:gz") as opened:
        stream = opened.extractfile("manifest.json")
        assert stream is not None
        manifest = json.loads(stream.read())
        names = set(opened.getnames())
    assert manifest["format"] == 1
    assert manifest["database"] == db.dialect
    assert manifest["revision"] is not None
    assert manifest["rows"]["alembic_version"] == 1
    assert manifest["rows"]["employees"] == 0
    assert manifest["sha256"][f"data/{blob.path}"] == blob.sha256
    assert names == {"manifest.json", *manifest["sha256"]}
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo == UTC


def test_a_missing_pg_dump_is_named_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pg_dump beside the server nor on PATH: one explanation naming the package."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DomainError) as raised:
        find_pg_tool("pg_dump", 16, root=tmp_path)
    assert raised.value.code == "backup_tool"
    assert raised.value.params == {"tool": "pg_dump", "hint": "postgresql-client-16"}
    tool = tmp_path / "16" / "bin" / "pg_dump"
    tool.parent.mkdir(parents=True)
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    assert find_pg_tool("pg_dump", 16, root=tmp_path) == tool
