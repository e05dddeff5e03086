"""Feedback end to end: BKPSDM draws with the CLI, a colleague rates another through the sandbox."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import Settings
from bot.db.session import Database
from bot.sandbox import Sandbox
from scoring.feedback import Relation
from tests.e2e.conftest import RunningBot
from tests.support import factories_feedback as ff
from tests.support.chat import SandboxChat

pytestmark = pytest.mark.e2e

TIMEOUT = 10


async def test_a_colleague_rates_another_fully(
    sandbox: Sandbox, running_bot: RunningBot, db: Database, e2e_settings: Settings
) -> None:
    """Draw with `kinerja feedback assign`; Budi rates Citra on all seven values over HTTP."""
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    team = await ff.team(db, telegram_base=9300, today=today)
    env = {"DATABASE_URL": e2e_settings.resolved_database_url, "KINERJA_DATA_DIR": "."}
    args = ["feedback", "assign", "--cycle", str(team.cycle.id)]
    drawn = await asyncio.to_thread(CliRunner().invoke, main, args, env=env)
    assert drawn.exit_code == 0, drawn.output
    budi = SandboxChat(sandbox.user(9301, "Budi"), "Budi", timeout=TIMEOUT)
    async with running_bot():
        listing = await budi.say("/umpanbalik")
        assert "0 dari 5 rekan selesai" in listing.text  # 3 peers, the head, himself
        first = await budi.press("✍️ Citra Lestari")
        assert "1/7 Berorientasi Pelayanan" in first.text
        await budi.press("5")
        await budi.say("Membantu pasien lansia mendaftar tanpa disuruh")
        for score in "434":
            await budi.press(score)
        await budi.press("1")
        await budi.say("Dua kali menunda laporan stok obat bulan ini")
        await budi.press("4")
        comment = await budi.press("3")
        assert "langkah 8 dari 9" in comment.text
        confirm = await budi.say("Komunikatif saat rapat")
        assert "5 · Berorientasi Pelayanan: Membantu pasien lansia" in confirm.text
        saved = await budi.press("✅ Kirim")
    print(budi.transcript)  # shown with -s
    assert "Umpan balik untuk Citra Lestari tersimpan" in saved.text
    assert "1 dari 5 rekan selesai" in saved.text
    assert ["✅ Citra Lestari (ubah)"] in saved.buttons
    [(assignment, answer)] = await ff.stored_feedback(db)
    assert (assignment.rater_id, assignment.ratee_id) == (team.staff[0].id, team.staff[1].id)
    assert assignment.relation is Relation.PEER
    assert list(answer.scores.values()) == [5, 4, 3, 4, 1, 4, 3]
    assert answer.examples == {
        "berorientasi_pelayanan": "Membantu pasien lansia mendaftar tanpa disuruh",
        "loyal": "Dua kali menunda laporan stok obat bulan ini",
    }
    assert answer.comment == "Komunikatif saat rapat"
