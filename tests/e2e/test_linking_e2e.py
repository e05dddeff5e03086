"""Linking through the sandbox over HTTP, as a person with a phone would do it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Settings
from bot.db.models import Employee
from bot.db.session import Database
from bot.sandbox import Sandbox
from tests.e2e.conftest import E2E_TOKEN, RunningBot
from tests.support import factories

pytestmark = pytest.mark.e2e


async def _telegram_id_of(db: Database, employee_id: int | None) -> int | None:
    async with db.session() as session:
        query = select(Employee.telegram_user_id).where(Employee.id == employee_id)
        return (await session.exec(query)).one()


async def test_employee_links_by_sharing_their_contact(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """/start → welcome with a contact button → share → linked, all over HTTP."""
    sari = await factories.employee(db, name="Sari Wulandari", serial=40)
    user = sandbox.user(9001, "Sari", phone_number=factories.phone_for(40).removeprefix("+"))
    async with running_bot():
        await user.send_command("start")
        welcome = await user.next_message(timeout=10)
        assert "Kinerja Bot" in welcome.text
        assert welcome.buttons == [["📱 Bagikan nomor HP saya"]]
        await user.share_contact()
        linked = await user.next_message(timeout=10)
    assert "Sari Wulandari" in linked.text
    assert sari.nip in linked.text
    assert user.reply_keyboard is None  # the contact button is gone once linked
    assert await _telegram_id_of(db, sari.id) == 9001
    commands = sandbox.calls_to("setMyCommands")
    assert commands, "the command menu is published at start-up"


async def test_forwarded_contact_is_refused_over_http(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """Somebody else's contact links nothing; the person keeps the button to try again."""
    budi = await factories.employee(db, name="Budi Santoso", serial=41)
    intruder = sandbox.user(9002, "Iwan", phone_number="6281399990000")
    async with running_bot():
        await intruder.send_command("start")
        await intruder.next_message(timeout=10)
        await intruder.send_contact(factories.phone_for(41), user_id=9003, first_name="Budi")
        refusal = await intruder.next_message(timeout=10)
    assert "bukan milik akun Telegram ini" in refusal.text
    assert refusal.buttons == [["📱 Bagikan nomor HP saya"]]
    assert await _telegram_id_of(db, budi.id) is None


async def test_restart_between_start_and_contact_loses_nothing(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """The bot stops after /start; the contact sent while it is down links after restart."""
    sari = await factories.employee(db, serial=42)
    user = sandbox.user(9004, "Sari", phone_number=factories.phone_for(42))
    async with running_bot():
        await user.send_command("start")
        await user.next_message(timeout=10)
    update_id = await user.share_contact()  # nobody is polling now
    assert not sandbox.polling
    async with running_bot():
        await sandbox.wait_consumed(update_id, timeout=10)
        linked = await user.next_message(timeout=10)
    assert "Berhasil" in linked.text
    assert await _telegram_id_of(db, sari.id) == 9004


async def test_invite_code_deep_link_over_http(
    sandbox: Sandbox, running_bot: RunningBot, db: Database, e2e_settings: Settings
) -> None:
    """`kinerja invite NIP` prints a code; `/start CODE` links that employee."""
    from click.testing import CliRunner

    from bot.cli import main

    sari = await factories.employee(db, name="Sari Wulandari", serial=43)
    # the same data folder as the bot: its secret key is the one that hashes the code
    data_dir = str(e2e_settings.data_dir)
    env = {"DATABASE_URL": e2e_settings.resolved_database_url, "KINERJA_DATA_DIR": data_dir}
    result = await asyncio.to_thread(CliRunner().invoke, main, ["invite", sari.nip], env=env)
    assert result.exit_code == 0, result.output
    code = next(line.strip() for line in result.output.splitlines() if line.startswith("    "))
    user = sandbox.user(9005, "Sari", phone_number="6281300000000")
    async with running_bot():
        await user.send_command("start", code)
        linked = await user.next_message(timeout=10)
    assert "Sari Wulandari" in linked.text
    assert await _telegram_id_of(db, sari.id) == 9005


async def test_kinerja_run_serves_the_sandbox_until_terminated(
    sandbox: Sandbox, db: Database, e2e_settings: Settings, tmp_path: Path
) -> None:
    """`kinerja run` (a real process, configured only by environment) answers /start."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": E2E_TOKEN,
        "DATABASE_URL": e2e_settings.resolved_database_url,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_FILE_BASE_URL": sandbox.base_file_url,
        "KINERJA_HTTP_LISTEN": "127.0.0.1:0",  # tests run side by side: any free port
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        user = sandbox.user(9006, "Sari")
        await user.send_command("bantuan")
        guide = await user.next_message(timeout=60)
        assert "Cara kerja penilaian kinerja ASN" in guide.text
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()
    assert E2E_TOKEN not in output.decode()
