"""Webhook mode end to end: the sandbox POSTs updates to the bot's HTTP server.

The bot registers ``KINERJA_WEBHOOK_URL`` with the secret; the sandbox delivers each update to
it with the ``X-Telegram-Bot-Api-Secret-Token`` header, as Telegram does. A request without the
secret, or with another, gets 403 and nothing of it is handled or stored.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.app import BotApiError, build_application, webhook
from bot.config import Settings
from bot.db.models import ProcessedUpdate
from bot.db.session import Database
from bot.sandbox import Sandbox
from tests.conftest import E2E_TOKEN
from tests.http.conftest import WEBHOOK_SECRET, get_json, post_json, scrape
from tests.support import updates as make

pytestmark = [pytest.mark.e2e, pytest.mark.db]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
GUIDE = "Cara kerja penilaian kinerja ASN"


@pytest.fixture
async def hooked_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox that delivers updates to the webhook, like Telegram does once one is set."""
    async with Sandbox(
        token=E2E_TOKEN, bot_username="kinerja_e2e_bot", deliver_webhooks=True
    ) as running:
        yield running


@pytest.fixture
def hook_settings(hooked_sandbox: Sandbox, db_url: str, tmp_path: Path) -> Settings:
    """Webhook mode on a free port: port 0 in the URL stands for the port the server bound."""
    return Settings(
        _env_file=None,
        telegram_bot_token=E2E_TOKEN,
        database_url=db_url,
        data_dir=tmp_path,
        telegram_api_base_url=hooked_sandbox.base_url,
        telegram_file_base_url=hooked_sandbox.base_file_url,
        http_listen="127.0.0.1:0",
        webhook_url="http://127.0.0.1:0/telegram",
        webhook_secret=WEBHOOK_SECRET,
    )


async def _processed(db: Database, update_id: int) -> bool:
    async with db.session() as session:
        query = select(ProcessedUpdate).where(col(ProcessedUpdate.update_id) == update_id)
        return (await session.exec(query)).first() is not None


async def test_a_question_reaches_the_bot_over_the_webhook_and_is_answered(
    hooked_sandbox: Sandbox, hook_settings: Settings
) -> None:
    """/bantuan → the sandbox POSTs it → the bot answers; it never polls."""
    user = hooked_sandbox.user(9301, "Sari")
    application = build_application(hook_settings, db=Database(hook_settings.resolved_database_url))
    async with webhook(application) as app:
        registered = hooked_sandbox.webhook
        update_id = await user.send_command("bantuan")
        guide = await user.next_message(timeout=15)
        await hooked_sandbox.wait_consumed(update_id)
        status, health = await get_json(f"{app.http.url}/healthz")
        samples = await scrape(app.http.url)
    assert registered["url"] == f"http://127.0.0.1:{app.http.port}/telegram"
    assert registered["secret_token"] == WEBHOOK_SECRET
    assert GUIDE in guide.text
    assert hooked_sandbox.calls_to("getUpdates") == []
    assert (status, health["receiving"]) == (200, "webhook")
    assert samples['kinerja_updates_total{kind="message"}'] == 1.0


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: "the-wrong-secret"}, {SECRET_HEADER: WEBHOOK_SECRET[:-1]}],
    ids=["missing", "wrong", "one character short"],
)
async def test_a_request_without_the_secret_gets_403_and_is_never_handled(
    hooked_sandbox: Sandbox, hook_settings: Settings, db: Database, headers: dict[str, str]
) -> None:
    """403: no reply, nothing in the replay ledger, not counted; the right secret works."""
    hooked_sandbox.user(9302, "Sari", started=True)
    application = build_application(hook_settings, db=Database(hook_settings.resolved_database_url))
    async with webhook(application) as app:
        url = f"{app.http.url}/telegram"
        forged = make.message(app.bot, user_id=9302, text="/bantuan", update_id=880_001)
        refused = await post_json(url, forged.to_dict(), headers)
        stored_after_refusal = await _processed(db, 880_001)
        genuine = make.message(app.bot, user_id=9302, text="/bantuan", update_id=880_002)
        accepted = await post_json(url, genuine.to_dict(), {SECRET_HEADER: WEBHOOK_SECRET})
        for _ in range(150):
            if hooked_sandbox.calls_to("sendMessage"):
                break
            await asyncio.sleep(0.1)
        samples = await scrape(app.http.url)
    assert (refused, accepted) == (403, 200)
    assert not stored_after_refusal
    assert not await _processed(db, 880_001)
    assert await _processed(db, 880_002)
    assert [call.params["chat_id"] for call in hooked_sandbox.calls_to("sendMessage")] == [9302]
    assert samples['kinerja_updates_total{kind="message"}'] == 1.0


async def test_a_webhook_telegram_refuses_is_one_line(
    hooked_sandbox: Sandbox, hook_settings: Settings
) -> None:
    """Telegram's refusal (a host it cannot resolve, say) names the URL, not the secret."""
    hooked_sandbox.inject_error(
        "setWebhook", 400, description="Bad Request: bad webhook: Failed to resolve host"
    )
    application = build_application(hook_settings, db=Database(hook_settings.resolved_database_url))
    with pytest.raises(BotApiError) as refused:
        async with webhook(application):
            pytest.fail("the bot ran although its webhook was refused")
    assert str(refused.value) == (
        f"Telegram refused the webhook http://127.0.0.1:{application.http.port}/telegram "
        "(Bad webhook: failed to resolve host): check KINERJA_WEBHOOK_URL"
    )
    assert not application.running


async def test_kinerja_run_with_a_webhook_serves_until_terminated(
    hooked_sandbox: Sandbox, db: Database, hook_settings: Settings, tmp_path: Path
) -> None:
    """`kinerja run --webhook URL` (a real process) answers over the webhook; SIGTERM stops it."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": E2E_TOKEN,
        "DATABASE_URL": hook_settings.resolved_database_url,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_API_BASE_URL": hooked_sandbox.base_url,
        "TELEGRAM_FILE_BASE_URL": hooked_sandbox.base_file_url,
        "KINERJA_HTTP_LISTEN": "127.0.0.1:0",
        "KINERJA_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        "http://127.0.0.1:0/hook",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        user = hooked_sandbox.user(9303, "Sari")
        await user.send_command("bantuan")
        guide = await user.next_message(timeout=60)
        assert GUIDE in guide.text
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()
    assert hooked_sandbox.webhook["url"].endswith("/hook")
    assert hooked_sandbox.calls_to("getUpdates") == []
    assert E2E_TOKEN not in output.decode()
    assert WEBHOOK_SECRET not in output.decode()


async def test_an_update_the_bot_cannot_read_is_acknowledged_and_not_handled(
    hooked_sandbox: Sandbox, hook_settings: Settings, db: Database
) -> None:
    """Right secret, an update PTB cannot read (a newer Bot API shape, say): 200, so Telegram
    does not post it again and again; nothing is handled. A body that is no update is 400."""
    hooked_sandbox.user(9304, "Sari", started=True)
    application = build_application(hook_settings, db=Database(hook_settings.resolved_database_url))
    headers = {SECRET_HEADER: WEBHOOK_SECRET}
    async with webhook(application) as app:
        url = f"{app.http.url}/telegram"
        unreadable = {"update_id": 880_011, "message": {"text": "/bantuan"}}
        acknowledged = await post_json(url, unreadable, headers)
        no_update = await post_json(url, ["not", "an", "update"], headers)
        genuine = make.message(app.bot, user_id=9304, text="/bantuan", update_id=880_012)
        accepted = await post_json(url, genuine.to_dict(), headers)
        for _ in range(150):
            if hooked_sandbox.calls_to("sendMessage"):
                break
            await asyncio.sleep(0.1)
        samples = await scrape(app.http.url)
    assert (acknowledged, no_update, accepted) == (200, 400, 200)
    assert not await _processed(db, 880_011)
    assert await _processed(db, 880_012)
    assert [call.params["chat_id"] for call in hooked_sandbox.calls_to("sendMessage")] == [9304]
    assert samples['kinerja_updates_total{kind="message"}'] == 1.0
