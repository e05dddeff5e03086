"""At DEBUG, over real HTTP, the logs carry ids and timings: no token, phone number or text."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.db.session import Database
from bot.logs import guard_logs
from bot.sandbox import Sandbox
from tests.e2e.conftest import E2E_TOKEN, RunningBot
from tests.support import factories
from tests.support import factories_evidence as ev
from tests.support.factories_evidence import SARI_TG, quarter_of

pytestmark = [pytest.mark.e2e, pytest.mark.db]

NOTE = "Catatan pribadi Sari nomor 7731"
WAIT = 10.0


async def test_a_linking_and_a_text_answer_leave_no_personal_data_in_the_logs(
    sandbox: Sandbox, running_bot: RunningBot, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Rina links by sharing her phone; Sari types a note. Neither is in any log record."""
    guard_logs()  # as `kinerja` does first; the composition root adds the token
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "apscheduler", "sqlalchemy.engine"):
        caplog.set_level(logging.DEBUG, logger=name)
    team = await ev.team(db, start=quarter_of(datetime.now(UTC).date()))
    await ev.target(db, team.sari, team.cycle)
    await factories.employee(db, name="Rina Oktaviani", serial=77)
    phone = factories.phone_for(77)
    rina = sandbox.user(9077, "Rina", phone_number=phone)
    sari = sandbox.user(SARI_TG, "Sari")
    async with running_bot():
        await rina.send_command("start")
        await rina.next_message(timeout=WAIT)
        await rina.share_contact()
        linked = await rina.next_message(timeout=WAIT)
        assert "Rina Oktaviani" in linked.text
        await sari.send_command("bukti")
        await sari.next_message(timeout=WAIT)
        await sari.press("Jumlah laporan mutasi pegawai")
        await sari.next_message(timeout=WAIT)
        await sari.send_text("5")
        await sari.next_message(timeout=WAIT)
        await sari.press("Lewati ⏭")
        await sari.next_message(timeout=WAIT)
        await sari.send_text(NOTE)
        await sari.next_message(timeout=WAIT)
        await sari.press("✅ Kirim")
        receipt = await sari.next_message(timeout=WAIT)
        assert "Bukti #1 tersimpan" in receipt.text
    [stored] = await ev.stored_evidence(db)
    assert stored.note == NOTE
    texts = [f"{record.getMessage()}\n{record.exc_text or ''}" for record in caplog.records] + [
        caplog.text
    ]
    secrets = (E2E_TOKEN, phone, phone.removeprefix("+"), phone[3:], NOTE, "Catatan pribadi")
    leaks = [(secret, text[:200]) for text in texts for secret in secrets if secret in text]
    assert leaks == [], "\n".join(f"{secret!r}: {text}" for secret, text in leaks)
    names = {record.name for record in caplog.records}
    assert {"telegram.ext.ExtBot", "telegram.ext.Application"} <= names, names
