"""Which schema the database is at, and which this code ships: read without Alembic.

The bot checks at every start that the database is migrated. Alembic itself (about 12 MB of
memory once imported) is needed only to migrate, so the check reads the ``alembic_version``
table with one query and the shipped revisions from the migration files' ``revision`` and
``down_revision`` assignments. ``tests/db/test_migrations.py`` checks both against Alembic.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import inspect, text

from bot.db.session import Database

VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"
VERSION_TABLE = "alembic_version"


def _assignments(path: Path) -> dict[str, object]:
    """The module-level literal assignments of a migration file (``revision`` and its parents)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            found[node.target.id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except ValueError:  # not a literal (a helper, say): not a revision field
                    continue
    return found


def head_revisions(versions: Path = VERSIONS_DIR) -> frozenset[str]:
    """The newest migrations shipped with this code: those no other migration follows."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        fields = _assignments(path)
        revision = fields.get("revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = fields.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(parent) for parent in down)
    return frozenset(revisions - parents)


async def current_heads(db: Database) -> frozenset[str]:
    """The revisions the database is at (empty for an empty database)."""
    async with db.engine.connect() as conn:
        exists = await conn.run_sync(lambda sync: inspect(sync).has_table(VERSION_TABLE))
        if not exists:
            return frozenset()
        rows = await conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))  # noqa: S608
        return frozenset(str(row[0]) for row in rows)


async def is_up_to_date(db: Database) -> bool:
    """True when the database is at every newest migration shipped with this code."""
    return await current_heads(db) == head_revisions()
