"""One place turns a refusal into a message: raised in any handler, it reaches the person.

The refusal's journey and code pick the sentence of the journey's ``refused`` template, in the
person's language; a message gets it as a reply, a button press gets the press answered and
the sentence as a message. A refusal is no error: no apology, no admin report.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from bot.handlers.context import Context
from bot.services.refusals import NotAllowed, NotLinked
from tests.conftest import FakeClock
from tests.support.chat import press, say
from tests.support.recording import RecordingRequest

USER = 6201
ADMIN_CHAT = -1009998


async def _refuse_message(update: Update, context: Context) -> None:
    raise NotLinked("results")


async def _refuse_press(update: Update, context: Context) -> None:
    raise NotAllowed("results", "not_yours")


@pytest.fixture
async def refusing(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AsyncIterator[KinerjaApp]:
    """The bot with an admin chat and two handlers that only refuse, before every journey."""
    with_admins = settings.model_copy(update={"admin_chat_id": ADMIN_CHAT})
    application = build_application(
        with_admins, db=db, clock=clock, request=recorder, rate_limiter=False
    )
    # Group -1 holds the open form's answers, which skip commands and presses.
    application.add_handler(CommandHandler("tolak", _refuse_message), group=-1)
    application.add_handler(CallbackQueryHandler(_refuse_press, pattern="^tolak$"), group=-1)
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()


async def test_a_refusal_raised_for_a_message_is_replied_in_the_persons_language(
    refusing: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Its sentence in Indonesian, then in English once the person chose it; nothing else."""
    await say(refusing, USER, "/tolak")
    assert recorder.texts(USER) == [
        "Akun Telegram Anda belum tertaut dengan data pegawai. Ketik /start untuk menautkannya."
    ]
    await say(refusing, USER, "/bahasa")
    await say(refusing, USER, "/tolak")
    assert recorder.texts(USER)[-1] == (
        "Your Telegram account is not linked to an employee record yet. Send /start to link it."
    )
    assert recorder.sent(ADMIN_CHAT) == []
    assert not any("Maaf, terjadi kesalahan" in text for text in recorder.texts(USER))


async def test_a_refusal_raised_for_a_press_answers_it_and_says_why(
    refusing: KinerjaApp, recorder: RecordingRequest
) -> None:
    """The press is answered (no endless spinner), then the sentence comes as a message."""
    await press(refusing, USER, "tolak")
    assert [call.method for call in recorder.calls] == ["answerCallbackQuery", "sendMessage"]
    assert recorder.texts(USER) == [
        "⛔ Maaf, hasil ini tidak dapat Anda buka. Anda hanya dapat melihat hasil Anda sendiri"
        " dan hasil bawahan langsung Anda."
    ]
    assert recorder.sent(ADMIN_CHAT) == []
