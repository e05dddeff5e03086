"""An objection whose rater has no superior goes to BKPSDM: an admin granted with the CLI decides.

End to end: `kinerja admin grant NIP` → the objection is filed → the admin is told → /keberatan
lists it → the admin decides in Telegram. Revoked, the same person can no longer decide.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import Result

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.session import Database
from bot.domain import ObjectionStatus
from bot.handlers.context import DEPS_KEY
from tests.support import factories
from tests.support import factories_objection as f
from tests.support.chat import data_of, press, say
from tests.support.cli import kinerja
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

REASONS = "Keterlambatan saya karena tugas luar kantor dengan surat tugas resmi."
KEEP_REASON = "Tidak ada surat tugas; keterlambatan tercatat di absensi."

Cli = Callable[..., Awaitable[Result]]


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run a `kinerja` command against the test database, as BKPSDM's operator."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout

    async def _run(*args: str) -> Result:
        return await kinerja(db_url, tmp_path, *args)

    return _run


async def test_an_admin_granted_by_the_cli_decides_in_telegram(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, cli: Cli
) -> None:
    """Granted → told of the case → /keberatan → keep with a reason → decided by the admin."""
    cast = await f.cast(db, rater_has_superior=False)
    admin = await factories.employee(
        db, name="Admin BKPSDM", unit_name="BKPSDM", telegram_user_id=f.ADMIN_TG
    )
    granted = await cli("admin", "grant", admin.nip)
    assert granted.exit_code == 0, granted.output
    await app.bot_data[DEPS_KEY].objections.file(
        await app.bot_data[DEPS_KEY].accounts.actor(f.SARI_TG), cast.result.id, REASONS
    )
    await deliver(app)
    assert "Keberatan untuk BKPSDM" in recorder.last(f.ADMIN_TG)["text"]
    await say(app, f.ADMIN_TG, "/keberatan")
    overview = recorder.last(f.ADMIN_TG)
    assert "Keberatan yang Anda putuskan" in overview["text"]
    await press(app, f.ADMIN_TG, data_of(overview, "⚖️ Buka keberatan"))
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "✅ Hasil tetap"))
    await say(app, f.ADMIN_TG, KEEP_REASON)
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "✅ Kirim"))
    assert "Putusan tersimpan dan final" in recorder.last(f.ADMIN_TG)["text"]
    [objection] = await f.objections(db)
    assert (objection.status, objection.decided_by) == (ObjectionStatus.DECIDED, admin.id)


async def test_a_revoked_admin_no_longer_sees_or_decides_the_case(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, cli: Cli
) -> None:
    """Revoked before deciding: the case leaves their /keberatan and a stale button is refused."""
    cast = await f.cast(db, rater_has_superior=False)
    admin = await factories.employee(
        db, name="Admin BKPSDM", unit_name="BKPSDM", telegram_user_id=f.ADMIN_TG
    )
    await cli("admin", "grant", admin.nip)
    await app.bot_data[DEPS_KEY].objections.file(
        await app.bot_data[DEPS_KEY].accounts.actor(f.SARI_TG), cast.result.id, REASONS
    )
    revoked = await cli("admin", "revoke", admin.nip)
    assert revoked.exit_code == 0, revoked.output
    await say(app, f.ADMIN_TG, "/keberatan")
    assert "Keberatan yang Anda putuskan" not in recorder.last(f.ADMIN_TG)["text"]
    [objection] = await f.objections(db)
    await press(app, f.ADMIN_TG, ItemAction("obj_keep", objection.id or 0).encode())
    assert "hanya atasan penilai yang ditunjuk" in recorder.last(f.ADMIN_TG)["text"]
    [objection] = await f.objections(db)
    assert objection.status is ObjectionStatus.OPEN
