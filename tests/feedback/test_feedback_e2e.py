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
from bot.sandbox.models import BotMessage
from bot.sandbox.users import SimUser
from scoring.feedback import Relation
from tests.e2e.conftest import RunningBot
from tests.support import factories_feedback as ff

pytestmark = pytest.mark.e2e

TIMEOUT = 10


async def _step(user: SimUser, action: str, *, press: bool = True) -> BotMessage:
    """Press a button (or send text) and wait for the bot's answer."""
    if press:
        await user.press(action)
    else:
        await user.send_text(action)
    return await user.next_message(timeout=TIMEOUT)


def _transcript(user: SimUser) -> str:
    """The chat as the rater reads it: each bot message, then its buttons."""
    parts = []
    for message in user.messages:
        labels = " ".join(f"[{b}]" for row in message.buttons for b in row)
        parts.append(message.text + (f"\n{labels}" if labels else ""))
    return "\n\n--------\n\n".join(parts)


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
    budi = sandbox.user(9301, "Budi")
    async with running_bot():
        await budi.send_command("umpanbalik")
        listing = await budi.next_message(timeout=TIMEOUT)
        assert "0 dari 5 rekan selesai" in listing.text  # 3 peers, the head, himself
        first = await _step(budi, "✍️ Citra Lestari")
        assert "1/7 Berorientasi Pelayanan" in first.text
        await _step(budi, "5")
        await _step(budi, "Membantu pasien lansia mendaftar tanpa disuruh", press=False)
        for score in "434":
            await _step(budi, score)
        await _step(budi, "1")
        await _step(budi, "Dua kali menunda laporan stok obat bulan ini", press=False)
        await _step(budi, "4")
        comment = await _step(budi, "3")
        assert "langkah 8 dari 9" in comment.text
        confirm = await _step(budi, "Komunikatif saat rapat", press=False)
        assert "5 · Berorientasi Pelayanan: Membantu pasien lansia" in confirm.text
        saved = await _step(budi, "✅ Kirim")
    print("\n" + _transcript(budi))  # the transcript, shown with -s
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
