"""Account linking as a person experiences it: /start, the contact button, invite codes."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.app import KinerjaApp, build_application
from bot.config import Settings, load_secret_key
from bot.db.models import AuditEvent, Draft, Employee, InviteCode
from bot.db.session import Database
from bot.domain import AuditAction
from bot.services.accounts import AccountService, LinkPolicy, LinkStatus
from bot.services.audit import Actor
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import updates as make
from tests.support.chat import say
from tests.support.recording import RecordingRequest

SARI_TG = 5001
BUDI_TG = 5002


async def _stored(db: Database, employee_id: int | None) -> Employee:
    async with db.session() as session:
        found = await session.get(Employee, employee_id)
    assert found is not None
    return found


async def _audit(db: Database, action: AuditAction) -> list[AuditEvent]:
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action.value)
        return list((await session.exec(query)).all())


def _contact_button(message: dict[str, Any]) -> dict[str, Any]:
    keyboard = message["reply_markup"]["keyboard"]
    return keyboard[0][0]  # type: ignore[no-any-return]


async def test_start_explains_and_asks_for_the_phone_with_a_contact_button(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/start in a private chat greets, says what the bot is, and shows the contact button."""
    await say(app, SARI_TG, "/start")

    reply = recorder.last(SARI_TG)
    assert "Kinerja Bot" in reply["text"]
    assert "Bagikan nomor HP saya" in reply["text"]
    button = _contact_button(reply)
    assert button["request_contact"] is True
    assert button["text"] == "📱 Bagikan nomor HP saya"
    async with db.session() as session:
        draft = (await session.exec(select(Draft))).one()
    assert (draft.telegram_user_id, draft.form) == (SARI_TG, "link")


async def test_own_contact_matching_one_employee_links_the_account(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Sharing one's own contact with a registered phone links and confirms the record."""
    sari = await factories.employee(db, name="Sari Wulandari", serial=1)
    await say(app, SARI_TG, "/start")
    phone = factories.phone_for(1).removeprefix("+")  # Telegram sends it without '+'
    await app.process_update(
        make.contact(app.bot, user_id=SARI_TG, phone=phone, contact_user_id=SARI_TG)
    )

    reply = recorder.last(SARI_TG)
    assert "Berhasil" in reply["text"]
    assert "Sari Wulandari" in reply["text"]
    assert sari.nip in reply["text"]
    assert reply["reply_markup"] == {"remove_keyboard": True}
    stored = await _stored(db, sari.id)
    assert stored.telegram_user_id == SARI_TG
    assert stored.linked_at is not None
    [event] = await _audit(db, AuditAction.LINKED)
    assert event.actor_telegram_id == SARI_TG
    assert event.detail["method"] == "contact"
    async with db.session() as session:
        assert (await session.exec(select(Draft))).first() is None


async def test_somebody_elses_contact_is_refused_and_links_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A forwarded contact of a colleague never links, even if the phone is registered."""
    budi = await factories.employee(db, name="Budi Santoso", serial=2)
    await app.process_update(
        make.contact(
            app.bot, user_id=SARI_TG, phone=factories.phone_for(2), contact_user_id=BUDI_TG
        )
    )

    reply = recorder.last(SARI_TG)
    assert "bukan milik akun Telegram ini" in reply["text"]
    assert _contact_button(reply)["request_contact"] is True
    assert (await _stored(db, budi.id)).telegram_user_id is None
    [event] = await _audit(db, AuditAction.LINK_REFUSED)
    assert event.detail["reason"] == "foreign_contact"


async def test_contact_without_a_telegram_user_is_refused(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A contact typed in by hand (no user_id) cannot prove whose number it is."""
    await factories.employee(db, serial=3)
    await app.process_update(
        make.contact(app.bot, user_id=SARI_TG, phone=factories.phone_for(3), contact_user_id=None)
    )
    assert "bukan milik akun Telegram ini" in recorder.last(SARI_TG)["text"]


async def test_phone_that_matches_nobody_says_to_ask_bkpsdm(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """An unknown phone gets the next step: BKPSDM updates the number or gives a code."""
    await app.process_update(
        make.contact(app.bot, user_id=SARI_TG, phone="6281399990000", contact_user_id=SARI_TG)
    )
    reply = recorder.last(SARI_TG)
    assert "belum terdaftar" in reply["text"]
    assert "kode undangan" in reply["text"]
    [event] = await _audit(db, AuditAction.LINK_REFUSED)
    assert event.detail["reason"] == "no_match"
    assert "0000" not in str(event.detail["phone"])  # the full number never lands in the log


async def test_foreign_phone_number_is_explained(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """A number that is not a valid Indonesian mobile gets its own explanation."""
    await app.process_update(
        make.contact(app.bot, user_id=SARI_TG, phone="+14155550123", contact_user_id=SARI_TG)
    )
    assert "bukan nomor HP Indonesia yang valid" in recorder.last(SARI_TG)["text"]


async def test_group_chat_is_sent_to_a_private_chat(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/start in a group points to the private chat; a contact there gets no answer at all."""
    sari = await factories.employee(db, serial=4)
    group = -100123
    await app.process_update(
        make.message(app.bot, user_id=SARI_TG, text="/start", chat_id=group, chat_type="group")
    )
    assert "chat pribadi" in recorder.last(group)["text"]
    [[button]] = recorder.last(group)["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/kinerja_test_bot?start=grup"
    recorder.calls.clear()
    await app.process_update(
        make.contact(
            app.bot,
            user_id=SARI_TG,
            phone=factories.phone_for(4),
            contact_user_id=SARI_TG,
            chat_type="group",
            chat_id=group,
        )
    )
    assert recorder.calls == []
    assert (await _stored(db, sari.id)).telegram_user_id is None


async def test_employee_already_linked_to_another_account_is_not_taken_over(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A second Telegram account with the same phone cannot take over a linked record."""
    sari = await factories.employee(db, serial=5, telegram_user_id=SARI_TG)
    await app.process_update(
        make.contact(
            app.bot, user_id=BUDI_TG, phone=factories.phone_for(5), contact_user_id=BUDI_TG
        )
    )
    assert "sudah tertaut ke akun Telegram lain" in recorder.last(BUDI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


async def test_account_linked_to_another_employee_cannot_link_a_second(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """One Telegram account belongs to one employee."""
    await factories.employee(db, serial=6, telegram_user_id=SARI_TG)
    other = await factories.employee(db, serial=7)
    await app.process_update(
        make.contact(
            app.bot, user_id=SARI_TG, phone=factories.phone_for(7), contact_user_id=SARI_TG
        )
    )
    assert "sudah tertaut ke data pegawai lain" in recorder.last(SARI_TG)["text"]
    assert (await _stored(db, other.id)).telegram_user_id is None


async def test_start_when_linked_says_so(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A linked person sending /start is greeted by name, not asked for the phone again."""
    await factories.employee(db, name="Sari Wulandari", serial=8, telegram_user_id=SARI_TG)
    await say(app, SARI_TG, "/start")
    reply = recorder.last(SARI_TG)
    assert "sudah tertaut sebagai <b>Sari Wulandari</b>" in reply["text"]
    assert "keyboard" not in reply.get("reply_markup", {})


async def test_sharing_own_contact_again_after_linking_is_harmless(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Pressing the button twice confirms the existing link instead of refusing."""
    await factories.employee(db, serial=9, telegram_user_id=SARI_TG)
    await app.process_update(
        make.contact(
            app.bot, user_id=SARI_TG, phone=factories.phone_for(9), contact_user_id=SARI_TG
        )
    )
    assert "sudah tertaut sebagai" in recorder.last(SARI_TG)["text"]


async def test_replayed_update_is_processed_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Telegram resending an update (same update_id) changes nothing and sends nothing."""
    await factories.employee(db, serial=10)
    update = make.contact(
        app.bot, user_id=SARI_TG, phone=factories.phone_for(10), contact_user_id=SARI_TG
    )
    await app.process_update(update)
    await app.process_update(update)
    assert len(recorder.sent(SARI_TG)) == 1
    assert len(await _audit(db, AuditAction.LINKED)) == 1


async def test_text_while_linking_repeats_the_button(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Typing instead of pressing the button gets the button again, with a hint."""
    await say(app, SARI_TG, "/start")
    await say(app, SARI_TG, "0812 3456 7890")
    reply = recorder.last(SARI_TG)
    assert "masih menunggu nomor HP" in reply["text"]
    assert _contact_button(reply)["request_contact"] is True


async def test_text_from_a_stranger_points_to_start(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Someone who never sent /start is told how to begin."""
    await say(app, SARI_TG, "halo")
    assert "/start" in recorder.last(SARI_TG)["text"]
    assert "belum tertaut" in recorder.last(SARI_TG)["text"]


async def test_restart_in_the_middle_of_linking_loses_nothing(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """A bot restarted between /start and the contact still knows the person was linking."""
    first = RecordingRequest()
    before = build_application(settings, db=db, clock=clock, request=first, rate_limiter=False)
    await before.initialize()
    sari = await factories.employee(db, serial=11)
    await say(before, SARI_TG, "/start")
    await before.shutdown()

    second = RecordingRequest()
    after = build_application(
        settings,
        db=Database(settings.resolved_database_url),
        clock=clock,
        request=second,
        rate_limiter=False,
    )
    await after.initialize()
    try:
        await say(after, SARI_TG, "sudah?")
        assert "masih menunggu nomor HP" in second.last(SARI_TG)["text"]
        await after.process_update(
            make.contact(
                after.bot, user_id=SARI_TG, phone=factories.phone_for(11), contact_user_id=SARI_TG
            )
        )
        assert "Berhasil" in second.last(SARI_TG)["text"]
    finally:
        await after.shutdown()
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


# --- invite codes ----------------------------------------------------------------------------


@pytest.fixture
def code_key(settings: Settings) -> bytes:
    """The deployment's secret key: the one the ``app`` fixture uses (its data folder's)."""
    return load_secret_key(settings)


async def _invite(db: Database, clock: FakeClock, key: bytes, nip: str) -> str:
    """A code issued as `kinerja invite` does, with the deployment's secret key."""
    service = AccountService(db, clock=clock, policy=LinkPolicy(), code_key=key)
    return (await service.issue_invite(nip=nip, actor=Actor.cli())).code


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


async def test_an_invite_code_has_60_bits_in_three_groups_easy_to_type(
    db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """12 Crockford base32 symbols (5 bits each), shown as XXXX-XXXX-XXXX."""
    sari = await factories.employee(db, serial=19)
    codes = {await _invite(db, clock, code_key, sari.nip) for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        groups = code.split("-")
        assert [len(group) for group in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(CROCKFORD)
    assert len(CROCKFORD) ** 12 >= 2**60


async def test_the_stored_code_is_a_keyed_hash(
    db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """Only HMAC-SHA256 with the key is stored: the database alone cannot check a code."""
    sari = await factories.employee(db, serial=20)
    code = await _invite(db, clock, code_key, sari.nip)
    async with db.session() as session:
        [stored] = (await session.exec(select(InviteCode.code_hash))).all()
    plain = code.replace("-", "")
    assert stored == hmac.new(code_key, plain.encode(), hashlib.sha256).hexdigest()
    assert stored != hashlib.sha256(plain.encode()).hexdigest()
    other = AccountService(db, clock=clock, policy=LinkPolicy(), code_key=b"another key " * 3)
    outcome = await other.link_by_code(sender_id=SARI_TG, private_chat=True, code=code)
    assert outcome.status is LinkStatus.CODE_INVALID


async def test_a_code_is_read_as_people_type_it(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """Lower case, spaces instead of dashes, O for 0 and I or L for 1 all work."""
    sari = await factories.employee(db, name="Sari Wulandari", serial=21)
    code = await _invite(db, clock, code_key, sari.nip)
    typed = " ".join(code.lower().split("-")).replace("0", "o").replace("1", "l")
    await say(app, SARI_TG, f"/start {typed}")
    assert "Sari Wulandari" in recorder.last(SARI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


async def test_a_code_issued_before_keyed_hashes_no_longer_links(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """A stored plain SHA-256 (the old scheme) matches nothing: BKPSDM issues a new code."""
    sari = await factories.employee(db, serial=22)
    async with db.session() as session:
        session.add(
            InviteCode(
                employee_id=sari.id or 0,
                code_hash=hashlib.sha256(b"ABCDEFGHJK").hexdigest(),
                created_at=clock.now,
                expires_at=clock.now + timedelta(days=7),
            )
        )
    await say(app, SARI_TG, "/start ABCDEFGHJK")
    assert (await _stored(db, sari.id)).telegram_user_id is None


async def test_invite_code_in_the_deep_link_links_the_employee(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """/start CODE links the employee the code was issued for, whatever the phone."""
    sari = await factories.employee(db, name="Sari Wulandari", serial=12)
    code = await _invite(db, clock, code_key, sari.nip)
    await say(app, SARI_TG, f"/start {code.lower()}")
    assert "Sari Wulandari" in recorder.last(SARI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG
    [event] = await _audit(db, AuditAction.LINKED)
    assert event.detail["method"] == "code"


async def test_invite_code_works_only_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """A used code does not link a second account."""
    sari = await factories.employee(db, serial=13)
    code = await _invite(db, clock, code_key, sari.nip)
    await say(app, SARI_TG, f"/start {code}")
    await say(app, BUDI_TG, f"/start {code}")
    assert "sudah pernah dipakai" in recorder.last(BUDI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


async def test_invite_code_expires_after_seven_days(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """A code older than its time to live is refused with the way forward."""
    sari = await factories.employee(db, serial=14)
    code = await _invite(db, clock, code_key, sari.nip)
    clock.advance(days=7, seconds=1)
    await say(app, SARI_TG, f"/start {code}")
    assert "kedaluwarsa" in recorder.last(SARI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id is None


async def test_invite_code_still_works_just_before_expiry(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """On day 7, one second before expiry, the code is still good."""
    sari = await factories.employee(db, serial=15)
    code = await _invite(db, clock, code_key, sari.nip)
    clock.advance(days=7, seconds=-1)
    await say(app, SARI_TG, f"/start {code}")
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


async def test_new_invite_code_replaces_the_old_one(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """Issuing a new code for the same employee makes the earlier one stop working."""
    sari = await factories.employee(db, serial=16)
    old = await _invite(db, clock, code_key, sari.nip)
    await _invite(db, clock, code_key, sari.nip)
    await say(app, SARI_TG, f"/start {old}")
    assert "kedaluwarsa" in recorder.last(SARI_TG)["text"]


async def test_five_wrong_codes_lock_code_attempts_for_an_hour(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """After five wrong codes even a valid code is refused until the hour has passed."""
    sari = await factories.employee(db, serial=17)
    code = await _invite(db, clock, code_key, sari.nip)
    for attempt in range(1, 5):
        await say(app, BUDI_TG, "/start WRONGCODE1")
        assert f"Sisa percobaan: {5 - attempt} kali" in recorder.last(BUDI_TG)["text"]
    await say(app, BUDI_TG, "/start WRONGCODE1")
    assert "dikunci sampai 14 Januari 2026 10.00 WIB" in recorder.last(BUDI_TG)["text"]

    await say(app, BUDI_TG, f"/start {code}")
    assert "dikunci" in recorder.last(BUDI_TG)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id is None
    assert len(await _audit(db, AuditAction.CODE_LOCKED)) == 1

    clock.advance(hours=1, seconds=1)
    await say(app, BUDI_TG, f"/start {code}")
    assert (await _stored(db, sari.id)).telegram_user_id == BUDI_TG


async def test_lock_is_per_telegram_account(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """One account's wrong guesses do not lock anybody else out."""
    sari = await factories.employee(db, serial=18)
    code = await _invite(db, clock, code_key, sari.nip)
    for _ in range(5):
        await say(app, BUDI_TG, "/start WRONGCODE1")
    await say(app, SARI_TG, f"/start {code}")
    assert (await _stored(db, sari.id)).telegram_user_id == SARI_TG


async def test_code_in_a_group_is_refused(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock, code_key: bytes
) -> None:
    """Codes are never redeemed in a group, where others could read them."""
    sari = await factories.employee(db, serial=19)
    code = await _invite(db, clock, code_key, sari.nip)
    await app.process_update(
        make.message(
            app.bot, user_id=SARI_TG, text=f"/start {code}", chat_id=-100, chat_type="group"
        )
    )
    assert "chat pribadi" in recorder.last(-100)["text"]
    assert (await _stored(db, sari.id)).telegram_user_id is None
