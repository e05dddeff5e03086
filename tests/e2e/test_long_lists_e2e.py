"""Thirty long targets, end to end: the real bot against the sandbox, which refuses (as
Telegram does) any text over 4,096 characters, caption over 1,024 or keyboard over 100 buttons.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.db.session import Database
from bot.sandbox import Sandbox, SimUser
from bot.sandbox.models import BotMessage
from tests.e2e.conftest import RunningBot
from tests.support import factories, factories_targets
from tests.support.factories_evidence import quarter_of
from tests.support.limits import maximal

pytestmark = pytest.mark.e2e

SARI_TG = 9101


def _page(message: BotMessage) -> int:
    found = re.search(r"Halaman (\d+) dari", message.text)
    return int(found.group(1)) if found else 1


async def _walk(user: SimUser, first: BotMessage, tag: str, *, in_buttons: bool) -> list[str]:
    """Tags on every page of ``first``, pressing ▶️ and waiting for each edit."""
    seen: list[str] = []
    message = first
    while True:
        where = " ".join(b for row in message.buttons for b in row) if in_buttons else message.text
        seen += re.findall(tag, where)
        if "Berikutnya ▶️" not in [b for row in message.buttons for b in row]:
            return seen
        wanted = _page(message) + 1
        await user.press("Berikutnya ▶️", message)

        def turned(candidate: BotMessage, wanted: int = wanted) -> bool:
            return candidate.message_id == first.message_id and _page(candidate) == wanted

        message = await user.wait_for(turned, timeout=10)


async def test_thirty_long_targets_page_through_the_sandbox(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """/target pages, 🔍 reads one whole, /bukti's choice pages: Telegram refuses nothing."""
    cycle = await factories.cycle(db, start=quarter_of(datetime.now(UTC).date()))
    head = await factories.employee(db, name="Drs. Ahmad", serial=90)
    sari = await factories.employee(
        db, name="Sari Wulandari", serial=91, superior=head, telegram_user_id=SARI_TG
    )
    for n in range(30):
        await factories_targets.target(
            db,
            employee=sari,
            cycle=cycle,
            rhk=maximal(f"[R{n:02d}]"),
            indicator=maximal(f"[I{n:02d}]"),
        )
    user = sandbox.user(SARI_TG, "Sari", started=True)
    async with running_bot():
        await user.send_command("target")
        overview = await user.next_message(timeout=10)
        listed = await _walk(user, overview, r"\[I\d\d\]", in_buttons=False)
        assert listed == [f"[I{n:02d}]" for n in range(30)]

        await user.press("🔍 30.1")
        alone = await user.next_message(timeout=10)
        assert maximal("[I29]") in alone.text
        assert maximal("[R29]") in alone.text

        await user.send_command("bukti")
        choice = await user.next_message(timeout=10)
        offered = await _walk(user, choice, r"\[I\d\d\]", in_buttons=True)
        assert offered == [f"[I{n:02d}]" for n in range(30)]
        last = user.messages[-1]
        pressed = next(b for row in last.buttons for b in row if b.startswith("[I29]"))
        await user.press(pressed, last)
        realisation = await user.next_message(timeout=10)
        assert "realisasi" in realisation.text.lower()

    refused = [(c.method, c.description) for c in sandbox.calls if not c.ok]
    assert refused == []
