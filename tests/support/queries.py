"""Counting database round trips: statements sent and transactions begun, per update.

Each statement the driver executes is one round trip to the database; each transaction begun
is one session that reached the database (on PostgreSQL also a pool checkout with its ping, a
BEGIN and a COMMIT). Counted with SQLAlchemy's engine events, so nothing of ours is replaced:

    with counting(db) as tally:
        await app.process_update(update)
    assert tally.queries <= 8
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from bot.db.session import Database


@dataclass
class Tally:
    """What reached the database while counting."""

    statements: list[str] = field(default_factory=list)
    sessions: int = 0

    @property
    def queries(self) -> int:
        """Statements sent to the database (round trips)."""
        return len(self.statements)

    def __str__(self) -> str:
        lines = [f"{self.queries} queries in {self.sessions} sessions:"]
        lines += [f"  {' '.join(statement.split())[:160]}" for statement in self.statements]
        return "\n".join(lines)


@contextmanager
def counting(db: Database) -> Iterator[Tally]:
    """Count the statements and transactions of ``db``'s engine inside the block."""
    tally = Tally()
    engine = db.engine.sync_engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        tally.statements.append(statement)

    def on_begin(_conn: Any) -> None:
        tally.sessions += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "begin", on_begin)
    try:
        yield tally
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "begin", on_begin)
