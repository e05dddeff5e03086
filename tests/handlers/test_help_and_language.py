"""/bantuan explains the appraisal; /bahasa switches language and the choice sticks."""

from __future__ import annotations

from sqlmodel import select

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.models import Employee, TelegramAccount
from bot.db.session import Database
from bot.handlers.menu import COMMANDS
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import updates as make
from tests.support.chat import say
from tests.support.recording import RecordingRequest

USER = 6001


async def test_bantuan_explains_ratings_predikat_objection_and_lists_commands(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """The guide names both ratings, the predikat rule, the 14-day objection and commands."""
    await say(app, USER, "/bantuan")
    text = recorder.last(USER)["text"]
    for phrase in ("hasil kerja", "perilaku kerja", "Sangat Baik", "14 hari", "BerAKHLAK"):
        assert phrase in text
    assert "paling sedikit 3 orang" in text
    for command in ("/start", "/bantuan", "/bahasa"):
        assert command in text


async def test_bahasa_switches_to_english_and_back(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/bahasa answers in the new language; later messages follow it; again switches back."""
    await say(app, USER, "/bahasa")
    assert "Language switched to <b>English</b>" in recorder.last(USER)["text"]
    await say(app, USER, "/bantuan")
    assert "How civil-servant performance appraisal works" in recorder.last(USER)["text"]
    async with db.session() as session:
        account = await session.get(TelegramAccount, USER)
    assert account is not None
    assert account.language == "en"

    await say(app, USER, "/bahasa")
    assert "Bahasa Indonesia" in recorder.last(USER)["text"]


async def test_language_chosen_before_linking_carries_over_to_the_employee(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Someone who chose English and then links keeps English, stored on their record."""
    sari = await factories.employee(db, serial=30)
    await say(app, USER, "/bahasa")
    await app.process_update(
        make.contact(app.bot, user_id=USER, phone=factories.phone_for(30), contact_user_id=USER)
    )
    assert "Done! Your Telegram account is now linked" in recorder.last(USER)["text"]
    async with db.session() as session:
        stored = (await session.exec(select(Employee).where(Employee.id == sari.id))).one()
    assert stored.language == "en"


async def test_linked_employee_language_switch_is_stored_on_the_record(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A linked employee's choice is kept on the employee record itself."""
    sari = await factories.employee(db, serial=31, telegram_user_id=USER)
    await say(app, USER, "/bahasa")
    async with db.session() as session:
        stored = await session.get(Employee, sari.id)
    assert stored is not None
    assert stored.language == "en"


async def test_unknown_text_from_a_linked_employee_points_to_help(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A linked person typing something the bot does not know is pointed to /bantuan."""
    await factories.employee(db, serial=32, telegram_user_id=USER)
    await say(app, USER, "apa kabar")
    assert "/bantuan" in recorder.last(USER)["text"]


async def test_commands_are_registered_in_both_languages(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """Start-up sets Telegram's command menu in Indonesian (default) and English."""
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder)
    await application.initialize()
    await application.shutdown()
    calls = [
        c.params
        for c in recorder.calls
        if c.method == "setMyCommands" and c.params["scope"] == {"type": "default"}
    ]
    by_language = {params.get("language_code"): params["commands"] for params in calls}
    assert [c["command"] for c in by_language[None]] == [c.name for c in COMMANDS]
    assert [c["command"] for c in by_language["en"]] == [c.name for c in COMMANDS]
    assert by_language[None][0]["description"] == "Mulai dan tautkan akun Anda"
    assert by_language["en"][0]["description"] == "Start and link your account"
