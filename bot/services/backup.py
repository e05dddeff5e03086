"""Backups: the database and the evidence files in one archive, and back again.

``kinerja backup FILE`` writes one gzip-compressed tar archive:

- ``manifest.json``: the archive's format, when it was made, the kind of database, its schema
  revision, the number of rows of every table, and the SHA-256 of every other member;
- ``database.sqlite`` (SQLite: a copy made with SQLite's online backup API, consistent while
  the bot keeps writing) or ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``);
- ``data/files/…``: the evidence files (the content-addressed store of
  :mod:`bot.services.filestore`) and ``data/secret.key`` when the bot made one (the key of the
  invite codes; see :func:`bot.config.load_secret_key`).

The database is copied first, then the files: files are written before the rows that name
them and never deleted, so every file a row names is in the archive.

``kinerja restore FILE`` only restores into an empty database (no tables) and a data folder
without evidence files or key, so it can never mix two deployments. It checks every member's
SHA-256 before it touches anything, restores the database, puts the files in place, and
finally counts the rows of every table against the manifest.

PostgreSQL needs ``pg_dump`` and ``pg_restore`` of the server's major version or newer: the
ones in ``/usr/lib/postgresql/<server major>/bin`` when they exist (Debian's layout), else the
ones on ``PATH``. Without them the command stops with one line saying what to install.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from bot.config import SECRET_KEY_FILE
from bot.db.migrate import current_revision
from bot.db.session import Database
from bot.domain import DomainError
from bot.services.filestore import FOLDER

FORMAT = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
CHUNK = 1 << 20
PG_BIN_ROOT = Path("/usr/lib/postgresql")


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What an archive holds (its manifest), as the commands report it."""

    database: str
    revision: str | None
    rows: Mapping[str, int]
    files: int

    @property
    def total_rows(self) -> int:
        """Rows of every table together."""
        return sum(self.rows.values())


# --- backup -----------------------------------------------------------------------------------


async def backup(db: Database, data_dir: Path, target: Path, *, now: datetime) -> BackupSummary:
    """Write the archive to ``target`` (replaced whole, or not at all)."""
    kind = _kind(db)
    revision = await current_revision(db)
    with tempfile.TemporaryDirectory(prefix=".kinerja-backup-", dir=target.parent) as work:
        dump = Path(work) / DUMPS[kind]
        if kind == "sqlite":
            rows = await asyncio.to_thread(_sqlite_copy, _sqlite_path(db), dump)
        else:
            rows = await _pg_dump(db, dump)
        files = dict(_data_files(data_dir))
        members = {DUMPS[kind]: dump, **files}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": kind,
            "revision": revision,
            "rows": rows,
            "sha256": {name: _sha256(path) for name, path in members.items()},
        }
        partial = Path(work) / "archive.tar.gz"
        await asyncio.to_thread(_write_archive, partial, manifest, members)
        os.replace(partial, target)
    return BackupSummary(kind, revision, rows, len(files))


def _kind(db: Database) -> str:
    if db.dialect not in DUMPS:  # pragma: no cover  (only SQLite and PostgreSQL are configured)
        raise DomainError("backup_invalid", file=db.url, reason=f"unknown database {db.dialect}")
    return db.dialect


def _sqlite_path(db: Database) -> Path:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise DomainError("backup_invalid", file=":memory:", reason="not a database file")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while other connections write."""
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _sqlite_counts(dst)


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608
        for name in sorted(names)
    }


async def _pg_dump(db: Database, target: Path) -> dict[str, int]:
    """``pg_dump`` of the exported snapshot in which the rows were counted."""
    async with db.engine.connect() as plain:
        conn = await plain.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            major = await _server_major(conn)
            tool = find_pg_tool("pg_dump", major)
            snapshot = (await conn.execute(text("SELECT pg_export_snapshot()"))).scalar_one()
            rows = await conn.run_sync(_counts)
            args = ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            await _run_pg_tool(tool, [*args, f"--file={target}"], db.url)
    return rows


def _counts(sync: Connection) -> dict[str, int]:
    names = sorted(inspect(sync).get_table_names())
    return {
        name: int(sync.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())  # noqa: S608
        for name in names
    }


def _data_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """The evidence files (not half-written ones) and the secret key, as archive members."""
    store = data_dir / FOLDER
    if store.is_dir():
        for path in sorted(store.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                relative = path.relative_to(data_dir).as_posix()
                yield f"{DATA_PREFIX}/{relative}", path
    key = data_dir / SECRET_KEY_FILE
    if key.is_file():
        yield f"{DATA_PREFIX}/{SECRET_KEY_FILE}", key


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(target: Path, manifest: dict[str, Any], members: Mapping[str, Path]) -> None:
    with tarfile.open(target, "w:gz") as archive:
        payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(payload), 0o600
        info.mtime = int(datetime.fromisoformat(manifest["created_at"]).timestamp())
        archive.addfile(info, io.BytesIO(payload))
        for name, path in members.items():
            info = archive.gettarinfo(str(path), arcname=name)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            with path.open("rb") as stream:
                archive.addfile(info, stream)


# --- restore ----------------------------------------------------------------------------------


async def restore(db: Database, data_dir: Path, source: Path) -> BackupSummary:
    """Restore the archive into an empty database and data folder; counts checked after."""
    kind = _kind(db)
    await _refuse_unless_empty(db, data_dir)
    os.makedirs(data_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kinerja-restore-", dir=data_dir) as work:
        manifest = await asyncio.to_thread(_unpack, source, Path(work))
        if manifest["database"] != kind:
            reason = f"it holds a {manifest['database']} database, this is {kind}"
            raise DomainError("backup_invalid", file=source.name, reason=reason)
        dump = Path(work) / DUMPS[kind]
        if kind == "sqlite":
            await db.dispose()  # nothing may hold the file while it is written
            await asyncio.to_thread(_sqlite_restore, dump, _sqlite_path(db))
        else:
            await _pg_restore(db, dump)
        files = _place_files(Path(work), data_dir, manifest["sha256"])
    summary = BackupSummary(kind, manifest["revision"], manifest["rows"], files)
    await _check_counts(db, summary, source.name)
    return summary


async def _refuse_unless_empty(db: Database, data_dir: Path) -> None:
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    if tables:
        raise DomainError("restore_database_not_empty", tables=str(len(tables)))
    if any(True for _ in _data_files(data_dir)):
        raise DomainError("restore_folder_not_empty", folder=str(data_dir))


def _unpack(source: Path, work: Path) -> dict[str, Any]:
    """Extract the members the manifest names into ``work``, each checked against its hash."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = _manifest(archive, source.name)
            expected: dict[str, str] = manifest["sha256"]
            seen: set[str] = set()
            for info in archive:
                if info.name == MANIFEST:
                    continue
                if info.name not in expected or not info.isfile() or not _safe(info.name):
                    raise DomainError("backup_invalid", file=source.name, reason=info.name)
                target = work / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                stream = archive.extractfile(info)
                if stream is None:  # pragma: no cover  (isfile() was checked)
                    raise DomainError("backup_invalid", file=source.name, reason=info.name)
                with target.open("wb") as out:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[info.name]:
                    reason = f"{info.name} does not match its SHA-256"
                    raise DomainError("backup_invalid", file=source.name, reason=reason)
                seen.add(info.name)
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError) as exc:
        if isinstance(exc, OSError) and exc.filename is not None:
            raise
        raise DomainError("backup_invalid", file=source.name, reason=str(exc) or "damaged") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise DomainError("backup_invalid", file=source.name, reason=f"{missing[0]} is missing")
    return manifest


def _manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    member = archive.extractfile(MANIFEST)
    if member is None:
        raise DomainError("backup_invalid", file=name, reason=f"no {MANIFEST}")
    manifest = json.loads(member.read())
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DomainError("backup_invalid", file=name, reason="unknown format")
    if manifest.get("database") not in DUMPS:
        raise DomainError("backup_invalid", file=name, reason="unknown database")
    return manifest


def _safe(name: str) -> bool:
    """A plain relative path: the dump, or a file under ``data/``."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return name in DUMPS.values() or path.parts[0] == DATA_PREFIX


def _sqlite_restore(dump: Path, target: Path) -> None:
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(dump)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


async def _pg_restore(db: Database, dump: Path) -> None:
    async with db.engine.connect() as conn:
        major = await _server_major(conn)
    tool = find_pg_tool("pg_restore", major)
    args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    await _run_pg_tool(tool, [*args, str(dump)], db.url)


def _place_files(work: Path, data_dir: Path, members: Mapping[str, str]) -> int:
    placed = 0
    for name in members:
        if not name.startswith(f"{DATA_PREFIX}/"):
            continue
        target = data_dir / PurePosixPath(name).relative_to(DATA_PREFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(work / name, target)
        target.chmod(0o600 if target.name == SECRET_KEY_FILE else 0o644)
        placed += 1
    return placed


async def _check_counts(db: Database, summary: BackupSummary, name: str) -> None:
    async with db.engine.connect() as conn:
        rows = await conn.run_sync(_counts)
    if rows != dict(summary.rows):
        differ = sorted(
            t for t in set(rows) | set(summary.rows) if rows.get(t) != summary.rows.get(t)
        )
        reason = f"after the restore the rows of {', '.join(differ)} do not match the manifest"
        raise DomainError("backup_invalid", file=name, reason=reason)


# --- PostgreSQL's tools -----------------------------------------------------------------------


async def _server_major(conn: Any) -> int:
    number = (await conn.execute(text("SHOW server_version_num"))).scalar_one()
    return int(number) // 10000


def find_pg_tool(name: str, major: int | None, *, root: Path = PG_BIN_ROOT) -> Path:
    """``pg_dump``/``pg_restore`` for a server of this major version (see the module)."""
    candidates = []
    if major is not None:
        candidates.append(root / str(major) / "bin" / name)
    on_path = shutil.which(name)
    if on_path is not None:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    hint = f"postgresql-client-{major}" if major is not None else "postgresql-client"
    raise DomainError("backup_tool", tool=name, hint=hint)


async def _run_pg_tool(tool: Path, args: list[str], url: str) -> None:
    """Run a PostgreSQL client tool on the database at ``url`` (password via PGPASSWORD)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    dsn = parsed.set(drivername="postgresql", password=None).render_as_string()
    process = await asyncio.create_subprocess_exec(
        str(tool),
        f"--dbname={dsn}",
        *args,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await process.communicate()
    if process.returncode != 0:
        lines = errors.decode(errors="replace").strip().splitlines() or [
            f"exit {process.returncode}"
        ]
        raise DomainError("backup_tool_failed", tool=tool.name, detail=lines[0])
