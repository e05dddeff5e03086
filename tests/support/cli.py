"""Running the `kinerja` command against the test database, as the operator would."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli import main


async def kinerja(db_url: str, data_dir: Path, *args: str) -> Result:
    """Run `kinerja ARGS...` in a worker thread (the command runs its own event loop)."""
    env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(data_dir)}
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)
