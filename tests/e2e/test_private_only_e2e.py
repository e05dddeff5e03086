"""End-to-end through the sandbox: an office group with the bot in it stays free of personal data.

The head and two staff of a unit (all linked) share a group with the bot. In the group, a
command gets one line with a button to the private chat, everything else gets nothing, and a
reminder's button left on an old group message does nothing. In the private chat the same
commands and the same button work in full. Run with ``-s`` to read the transcript.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ItemAction
from bot.db.session import Database
from bot.domain import PeriodKind
from bot.sandbox import Sandbox
from bot.sandbox.models import BotMessage
from bot.sandbox.users import SimUser
from bot.services.cycles import period_end
from bot.services.reminders import REMIND_ACTION, RemindJourney
from tests.e2e.conftest import RunningBot
from tests.support import factories
from tests.support import factories_appraisal as fa

pytestmark = pytest.mark.e2e

WAIT = 15  # seconds; generous for a loaded 2-core machine
GROUP_ID = -100_4242
BOT = "kinerja_e2e_bot"
REMIND_TARGETS = ItemAction(REMIND_ACTION, RemindJourney.TARGETS).encode()


class Transcript:
    """What each chat saw, in order, as lines a person can read (printed with ``-s``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def said(self, where: str, who: str, what: str) -> None:
        self.lines.append(f"[{where}] {who}: {what}")

    def bot(self, where: str, message: BotMessage, who: str = "bot") -> BotMessage:
        buttons = [
            f"[{b['text']} → {b.get('url') or b.get('callback_data')}]"
            for row in message.inline_keyboard
            for b in row
        ]
        text = message.text.replace("\n", " ⏎ ")
        self.lines.append(f"[{where}] {who}: {text} {' '.join(buttons)}".rstrip())
        return message

    def toast(self, where: str, text: str | None) -> None:
        self.lines.append(f"[{where}] bot (notice to the presser only): {text}")

    def silence(self, where: str) -> None:
        self.lines.append(f"[{where}] (the bot says nothing)")


async def test_an_office_group_gets_no_personal_data_and_the_private_chat_gets_everything(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """Group: one pointer line, then silence; private: the journeys, and the reminder button."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    office = await fa.office(db, staff=2, today=today)
    # A monthly cycle whose targets are still open today, so /target and its reminder have work.
    month = today.replace(day=1)
    await factories.cycle(
        db, start=month, kind=PeriodKind.MONTH, targets_due=period_end(PeriodKind.MONTH, month)
    )
    sari_record = office.staff[0]
    head = sandbox.user(fa.HEAD_TG, "Ahmad", started=True)
    sari = sandbox.user(fa.STAFF_TG, "Sari", started=True)
    budi = sandbox.user(fa.STAFF_TG + 1, "Budi", started=True)
    group = sandbox.group(GROUP_ID, "Bidang Pelayanan Kesehatan")
    log = Transcript()
    in_group = "grup"

    async def said_in_group(person: SimUser, name: str, text: str) -> None:
        log.said(in_group, name, text)
        await group.send_text(person, text)

    async def private(person: SimUser, name: str, text: str) -> BotMessage:
        where = f"{name} ↔ bot"
        log.said(where, name, text)
        await person.send_text(text)
        return log.bot(where, await person.next_message(timeout=WAIT))

    async with running_bot() as app:
        log.said(in_group, "Sari", "(adds the bot to the group)")
        group.add_bot(sari)

        await said_in_group(head, "Ahmad", f"/penilaian@{BOT}")
        line = log.bot(in_group, await group.next_message(timeout=WAIT))

        # Right after: more commands (one line per minute at most), chatter, a file, an edit-free
        # command for another bot, and a press on an old message: no further word in the group.
        await said_in_group(sari, "Sari", "/hasil")
        await said_in_group(budi, "Budi", "/target")
        await said_in_group(sari, "Sari", "Selamat pagi, Pak. Laporan sudah saya kirim.")
        log.said(in_group, "Budi", "(a photo)")
        await group.send_photo(budi, b"\x89PNG not really", caption="kegiatan posyandu")
        await said_in_group(sari, "Sari", "/rekap@AbsensiBot")
        old = await app.bot.send_message(
            GROUP_ID,
            "Pengingat lama (dari versi sebelumnya)",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("📝 Ajukan target SKP", callback_data=REMIND_TARGETS)]]
            ),
        )
        log.bot(in_group, await group.next_message(timeout=WAIT), "bot (an older version)")
        log.said(in_group, "Budi", "[📝 Ajukan target SKP] on that old message")
        await group.press(budi, REMIND_TARGETS, old.message_id)
        toast = await group.next_callback_answer(timeout=WAIT)
        log.toast(in_group, toast.text)

        # The private chat: the button's /start grup, the reminder's button, the commands.
        welcome = await private(sari, "Sari", "/start grup")
        sari.mark_read()
        reminder = await app.bot.send_message(
            sari.id,
            "Pengingat: target SKP Anda belum lengkap.",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("📝 Ajukan target SKP", callback_data=REMIND_TARGETS)]]
            ),
        )
        log.bot("Sari ↔ bot", await sari.next_message(timeout=WAIT), "bot (a reminder)")
        log.said("Sari ↔ bot", "Sari", "[📝 Ajukan target SKP]")
        await sari.press(REMIND_TARGETS, reminder.message_id)
        from_button = log.bot("Sari ↔ bot", await sari.next_message(timeout=WAIT))
        typed = await private(sari, "Sari", "/target")
        form = await private(head, "Ahmad", "/penilaian")
        log.silence(in_group)

    print("\n" + "\n".join(log.lines))  # the transcript, for the closing note (pytest -s)

    # The group: the one line with its one URL button, the old message, nothing else.
    assert "chat pribadi" in line.text
    assert line.inline_keyboard == [
        [{"text": "🔒 Buka chat pribadi", "url": f"https://t.me/{BOT}?start=grup"}]
    ]
    assert [m.message_id for m in group.messages] == [line.message_id, old.message_id]
    assert toast.text == "Tombol ini hanya berlaku di chat pribadi dengan bot."
    for person in (office.head, *office.staff):
        assert all(person.name not in m.text and person.nip not in m.text for m in group.messages)
    # The private chat: the reminder's button shows what /target shows; the forms work.
    assert sari_record.name in welcome.text
    assert from_button.text == typed.text
    assert "Pilih bawahan langsung" in form.text
    assert "Sari Wulandari" in " ".join(form.button_texts)
