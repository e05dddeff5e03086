"""getUpdates: offsets, limits, long polling, the one-poller rule, webhooks and filters."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from telegram import Bot
from telegram.error import Conflict

from bot.sandbox import Sandbox, SandboxTimeout
from tests.sandbox.support import ApiCall, wait_until_polling


def ids(response_json: dict[str, object]) -> list[int]:
    """Return the update ids of a getUpdates answer."""
    result = response_json["result"]
    assert isinstance(result, list)
    return [update["update_id"] for update in result]


async def test_updates_are_numbered_from_one_and_carry_the_message(
    sandbox: Sandbox, api: ApiCall
) -> None:
    """A user's text becomes update 1 with a Bot API message inside."""
    user = sandbox.user(11, "Sari", last_name="Dewi", username="sari")
    assert await user.send_text("halo") == 1
    update = (await api("getUpdates")).json()["result"][0]
    assert update["update_id"] == 1
    message = update["message"]
    assert message["text"] == "halo"
    assert message["chat"] == {
        "id": 11,
        "type": "private",
        "first_name": "Sari",
        "last_name": "Dewi",
        "username": "sari",
    }
    assert message["from"]["language_code"] == "id"


async def test_first_update_id_is_configurable() -> None:
    """Sandbox(first_update_id=N) starts numbering at N."""
    async with Sandbox(first_update_id=500) as sb:
        assert await sb.user(1).send_text("x") == 500


async def test_offset_confirms_everything_below_it(sandbox: Sandbox, api: ApiCall) -> None:
    """Passing offset=N forgets updates < N; unconfirmed ones are returned again."""
    user = sandbox.user(11)
    for text in ("a", "b", "c"):
        await user.send_text(text)
    assert ids((await api("getUpdates")).json()) == [1, 2, 3]
    assert ids((await api("getUpdates")).json()) == [1, 2, 3]
    assert ids((await api("getUpdates", offset=3)).json()) == [3]
    await sandbox.wait_consumed(2, timeout=0.1)
    with pytest.raises(SandboxTimeout):
        await sandbox.wait_consumed(3, timeout=0.05)


async def test_negative_offset_keeps_only_the_last_updates(sandbox: Sandbox, api: ApiCall) -> None:
    """offset=-1 forgets all but the newest update."""
    user = sandbox.user(11)
    for text in ("a", "b", "c"):
        await user.send_text(text)
    assert ids((await api("getUpdates", offset=-1)).json()) == [3]
    assert ids((await api("getUpdates")).json()) == [3]


async def test_limit_is_clamped_to_1_to_100(sandbox: Sandbox, api: ApiCall) -> None:
    """limit caps the batch; 0 acts as 1 and values above 100 as 100."""
    user = sandbox.user(11)
    for number in range(105):
        await user.send_text(f"m{number}")
    assert ids((await api("getUpdates", limit=2)).json()) == [1, 2]
    assert len(ids((await api("getUpdates", limit=0)).json())) == 1
    assert len(ids((await api("getUpdates", limit=500)).json())) == 100
    assert len(ids((await api("getUpdates")).json())) == 100


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    sandbox: Sandbox, api: ApiCall
) -> None:
    """A getUpdates with timeout=30 answers when the user writes, not after 30 s."""
    poll = asyncio.create_task(api("getUpdates", timeout=30))
    await wait_until_polling(sandbox)
    await sandbox.user(11).send_text("halo")
    response = await asyncio.wait_for(poll, timeout=5)
    assert ids(response.json()) == [1]


async def test_long_poll_without_updates_returns_empty(api: ApiCall) -> None:
    """A short long-poll with nothing pending answers an empty list."""
    assert (await api("getUpdates", timeout=0.05)).json() == {"ok": True, "result": []}


async def test_second_poller_terminates_the_first_with_409(sandbox: Sandbox, api: ApiCall) -> None:
    """The older waiting getUpdates gets 409 Conflict; the newer one keeps polling."""
    first = asyncio.create_task(api("getUpdates", timeout=30))
    await wait_until_polling(sandbox)
    second = asyncio.create_task(api("getUpdates", timeout=30))
    response = await asyncio.wait_for(first, timeout=5)
    assert response.status_code == 409
    assert response.json()["description"] == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )
    await sandbox.user(11).send_text("halo")
    assert ids((await asyncio.wait_for(second, timeout=5)).json()) == [1]


async def test_two_ptb_bots_polling_conflict(sandbox: Sandbox, bot: Bot) -> None:
    """PTB sees the terminated poll as telegram.error.Conflict."""
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await wait_until_polling(sandbox)
    await bot.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, timeout=5)


async def test_get_updates_conflicts_with_an_active_webhook(bot: Bot, api: ApiCall) -> None:
    """While a webhook is set getUpdates is 409; deleteWebhook restores polling."""
    assert await bot.set_webhook("https://bot.example.id/hook", secret_token="s3cret")
    response = await api("getUpdates")
    assert response.status_code == 409
    assert response.json()["description"] == (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first"
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://bot.example.id/hook", 0)
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_drop_pending_updates(sandbox: Sandbox, bot: Bot) -> None:
    """deleteWebhook(drop_pending_updates=True) forgets queued updates."""
    update_id = await sandbox.user(11).send_text("lama")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    await sandbox.wait_consumed(update_id, timeout=0.1)
    assert await bot.get_updates() == ()


async def test_allowed_updates_filters_and_is_remembered(sandbox: Sandbox, bot: Bot) -> None:
    """allowed_updates=["callback_query"] drops messages, also for later calls without it."""
    user = sandbox.user(11)
    await user.send_text("dropped")
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    await user.send_text("also dropped")
    assert await bot.get_updates() == ()
    await bot.get_updates(allowed_updates=[])
    await user.send_text("kept")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["kept"]


async def test_block_sends_my_chat_member(sandbox: Sandbox, bot: Bot) -> None:
    """Blocking the bot queues a my_chat_member update with status kicked."""
    user = sandbox.user(11, started=True)
    user.block()
    (update,) = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_group_messages_and_commands(sandbox: Sandbox, bot: Bot) -> None:
    """Group messages carry the group chat and the sender; commands get a bot_command entity."""
    sari = sandbox.user(11, "Sari")
    group = sandbox.group(-1001234, "Bidang Kepegawaian")
    await group.send_text(sari, "halo semua")
    await group.send_command(sari, "rekap", "2026", mention=True)
    first, second = await bot.get_updates()
    assert first.message is not None
    assert second.message is not None
    assert (first.message.chat.type, first.message.chat.title) == (
        "supergroup",
        "Bidang Kepegawaian",
    )
    assert first.message.from_user is not None
    assert first.message.from_user.id == 11
    assert second.message.text == "/rekap@kinerja_sandbox_bot 2026"
    assert second.message.entities[0].type == "bot_command"
    await bot.send_message(-1001234, "Rekap siap")
    assert (await group.next_message()).text == "Rekap siap"


async def test_stop_answers_a_waiting_long_poll() -> None:
    """Stopping the sandbox ends a parked getUpdates with an empty result."""
    sb = Sandbox()
    await sb.start()
    async with httpx.AsyncClient(verify=False) as client:  # noqa: S501 - plain HTTP, local
        poll = asyncio.create_task(
            client.get(f"{sb.base_url}{sb.token}/getUpdates", params={"timeout": 30}, timeout=10)
        )
        await wait_until_polling(sb)
        await sb.stop()
        response = await asyncio.wait_for(poll, timeout=5)
    assert response.json() == {"ok": True, "result": []}


async def test_group_members_post_files_and_add_the_bot(sandbox: Sandbox, bot: Bot) -> None:
    """Several people in one group: who added the bot, and each one's photo or document."""
    sari, budi = sandbox.user(11, "Sari"), sandbox.user(12, "Budi")
    group = sandbox.group(-1001234, "Bidang Kepegawaian")
    group.add_bot(sari)
    await group.send_photo(budi, b"\x89PNG fake", caption="foto kegiatan")
    await group.send_document(sari, b"%PDF-1.4", "laporan.pdf", "application/pdf")
    added, photo, document = await bot.get_updates()
    assert added.my_chat_member is not None
    assert added.my_chat_member.chat.id == -1001234
    assert added.my_chat_member.from_user.id == 11
    assert (
        added.my_chat_member.old_chat_member.status,
        added.my_chat_member.new_chat_member.status,
    ) == ("left", "member")
    assert photo.message is not None
    assert photo.message.from_user is not None
    assert (photo.message.chat.id, photo.message.from_user.id) == (-1001234, 12)
    assert photo.message.photo
    assert photo.message.caption == "foto kegiatan"
    assert document.message is not None
    assert document.message.document is not None
    assert document.message.document.file_name == "laporan.pdf"
    assert document.message.chat.type == "supergroup"


async def test_any_update_can_be_injected_as_given(sandbox: Sandbox, api: ApiCall) -> None:
    """inject_update queues an update of any kind, payload unchecked (new or malformed ones)."""
    first = sandbox.inject_update("future_kind", {"anything": [1, 2]})
    second = sandbox.inject_update("message", {"message_id": 7})  # no date, no chat
    third = sandbox.inject_update("message_reaction", {"chat": {"id": 5, "type": "private"}})
    result = (await api("getUpdates", allowed_updates=["message", "future_kind"])).json()["result"]
    assert result == [
        {"update_id": first, "future_kind": {"anything": [1, 2]}},
        {"update_id": second, "message": {"message_id": 7}},
    ]
    assert third == second + 1  # numbered, then dropped by allowed_updates like any update
