"""Database round trips per update: queries and sessions of typical updates, counted.

The access world of the tests (``tests/access/world.py``: an organisation with something in
every phase at one moment) on a fresh SQLite database, and the real application fed the
typical updates of ``tests/access/typical.py`` one after another: /bantuan, /start of a linked
person, /target, every step of the /bukti evidence form, a /umpanbalik rating, /penilaian.
Counted with SQLAlchemy's engine events (statements sent; transactions begun, i.e. sessions
that reached the database). Counts, not timings: the same on every machine.

    uv run python bench/queries.py [--save FILE] [--against FILE] [--show LABEL] [-v]

``--save`` writes the counts as JSON; ``--against`` prints a saved run next to this one
(before → after); ``--show`` prints the statements of one update; ``-v`` the start of what the
bot answered to each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bot.app import build_application
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.session import Database
from tests.access import typical
from tests.access import world as w
from tests.conftest import FakeClock
from tests.evidence.fake_api import FileServingRequest
from tests.support.queries import Tally
from tests.support.recording import TEST_TOKEN

Counts = dict[str, tuple[int, int]]  # label -> (queries, sessions)


async def measure(*, show: str | None, verbose: bool) -> Counts:
    """Build the world on a fresh database and count every typical update."""
    folder = Path(tempfile.mkdtemp(prefix="kinerja-queries-"))
    url = f"sqlite+aiosqlite:///{folder / 'kinerja.db'}"
    db = Database(url)
    try:
        await upgrade(db)
        clock, recorder = FakeClock(w.NOW), FileServingRequest()
        settings = Settings(
            _env_file=None, telegram_bot_token=TEST_TOKEN, database_url=url, data_dir=folder
        )
        app = build_application(settings, db=db, clock=clock, request=recorder, rate_limiter=False)
        await app.initialize()
        try:
            world = await w.build(app, db, clock, recorder)
            observe = _print if verbose else None
            tallies = await typical.run(app, db, recorder, world, observe=observe)
        finally:
            await app.shutdown()
    finally:
        await db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    if show is not None:
        print(tallies[show])
    return {label: (tally.queries, tally.sessions) for label, tally in tallies.items()}


def _print(label: str, tally: Tally, answer: str) -> None:
    print(f"{label}: {tally.queries} queries, {tally.sessions} sessions: {answer}")


def report(counts: Counts, before: Counts | None) -> list[str]:
    """The table, with the saved counts when given; the summary is the last line."""
    width = max(len(label) for label in counts)
    lines = []
    if before is None:
        lines.append(f"{'update':<{width}}  queries  sessions")
        for label, (queries, sessions) in counts.items():
            lines.append(f"{label:<{width}}  {queries:>7}  {sessions:>8}")
    else:
        lines.append(f"{'update':<{width}}  queries before → after  sessions before → after")
        for label, (queries, sessions) in counts.items():
            q0, s0 = before.get(label, (0, 0))
            lines.append(f"{label:<{width}}  {q0:>14} → {queries:<5}  {s0:>15} → {sessions:<5}")
    total_q = sum(q for q, _ in counts.values())
    total_s = sum(s for _, s in counts.values())
    summary = f"queries: updates={len(counts)} queries={total_q} sessions={total_s}"
    if before is not None:
        summary += (
            f" (before: queries={sum(q for q, _ in before.values())}"
            f" sessions={sum(s for _, s in before.values())})"
        )
    lines.append(summary)
    return lines


def main() -> None:
    """Parse the options, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the counts to this JSON file")
    parser.add_argument("--against", type=Path, help="a saved run to compare with")
    parser.add_argument("--show", help="print the statements of the update with this label")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    before = None
    if args.against is not None:
        saved = json.loads(args.against.read_text())
        before = {label: (int(q), int(s)) for label, (q, s) in saved.items()}
    counts = asyncio.run(measure(show=args.show, verbose=args.verbose))
    if args.save is not None:
        args.save.write_text(json.dumps(counts, indent=2, ensure_ascii=False) + "\n")
    print("\n".join(report(counts, before)))


if __name__ == "__main__":
    sys.exit(main())
