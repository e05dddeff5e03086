"""`kinerja run` as an operator starts it (a real process): the HTTP server in both modes.

Polling mode serves ``/healthz`` and ``/metrics`` too. When the bot cannot start (its HTTP port
is taken, Telegram refuses the webhook) it says why in one line and exits 1, having received
nothing: the updates stay with Telegram for the next start.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox import Sandbox
from tests.conftest import E2E_TOKEN
from tests.http.conftest import WEBHOOK_SECRET, get, get_json

pytestmark = [pytest.mark.e2e, pytest.mark.db]

GUIDE = "Cara kerja penilaian kinerja ASN"
SERVING = re.compile(r"HTTP server on (http://127\.0\.0\.1:\d+)")


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 another program listens on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def _environment(sandbox: Sandbox, db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": E2E_TOKEN,
        "DATABASE_URL": db_url,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_FILE_BASE_URL": sandbox.base_file_url,
        "KINERJA_HTTP_LISTEN": "127.0.0.1:0",
        **extra,
    }


async def _kinerja_run(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _exits_with_one_error_line(process: asyncio.subprocess.Process) -> str:
    """The process's output; it exited 1 with one ``Error:`` line last and no traceback."""
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    text = output.decode()
    assert process.returncode == 1, text
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, text
    assert text.strip().splitlines()[-1] == errors[0]
    return errors[0]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_port_in_use_is_one_line_and_no_update_is_taken(
    sandbox: Sandbox, db_url: str, tmp_path: Path, taken_port: int, mode: str
) -> None:
    """The port is checked before the first getUpdates (or setWebhook): Telegram keeps them."""
    user = sandbox.user(9311, "Sari")
    update_id = await user.send_command("bantuan")
    env = _environment(sandbox, db_url, tmp_path, KINERJA_HTTP_LISTEN=f"127.0.0.1:{taken_port}")
    args: tuple[str, ...] = ()
    if mode == "webhook":
        env["KINERJA_WEBHOOK_SECRET"] = WEBHOOK_SECRET
        args = ("--webhook", "http://127.0.0.1:0/hook")
    error = await _exits_with_one_error_line(await _kinerja_run(env, tmp_path, *args))
    assert f"cannot listen on 127.0.0.1:{taken_port}" in error
    assert "KINERJA_HTTP_LISTEN" in error
    assert sandbox.calls_to("getUpdates") == []
    assert sandbox.calls_to("setWebhook") == []
    assert [update["update_id"] for update in sandbox.pending_updates] == [update_id]


async def test_a_webhook_telegram_refuses_stops_kinerja_run_in_one_line(
    sandbox: Sandbox, db_url: str, tmp_path: Path
) -> None:
    """Telegram's refusal of setWebhook: exit 1, one line naming the URL, never the secret."""
    sandbox.inject_error(
        "setWebhook", 400, description="Bad Request: bad webhook: Failed to resolve host"
    )
    env = _environment(sandbox, db_url, tmp_path, KINERJA_WEBHOOK_SECRET=WEBHOOK_SECRET)
    process = await _kinerja_run(env, tmp_path, "--webhook", "http://127.0.0.1:0/hook")
    error = await _exits_with_one_error_line(process)
    assert re.fullmatch(
        r"Error: Telegram refused the webhook http://127\.0\.0\.1:\d+/hook "
        r"\(Bad webhook: failed to resolve host\): check KINERJA_WEBHOOK_URL",
        error,
    ), error
    assert WEBHOOK_SECRET not in error


async def _serving_url(process: asyncio.subprocess.Process) -> str:
    """The base URL the process logs once its HTTP server listens."""
    assert process.stdout is not None
    seen: list[str] = []
    async with asyncio.timeout(60):
        while True:
            line = (await process.stdout.readline()).decode()
            assert line, "".join(seen)
            seen.append(line)
            found = SERVING.search(line)
            if found:
                return found.group(1)


async def test_kinerja_run_polling_serves_health_and_metrics(
    sandbox: Sandbox, db_url: str, tmp_path: Path
) -> None:
    """Polling (the default) has the same HTTP server: /healthz 200, /metrics counting."""
    process = await _kinerja_run(_environment(sandbox, db_url, tmp_path), tmp_path)
    try:
        base = await _serving_url(process)
        user = sandbox.user(9312, "Sari")
        await user.send_command("bantuan")
        guide = await user.next_message(timeout=60)
        status, health = await get_json(f"{base}/healthz")
        for _ in range(100):  # the reply is out; the handler's count follows at once
            metrics_status, metrics = await get(f"{base}/metrics")
            if 'kinerja_updates_total{kind="message"} 1.0' in metrics:
                break
            await asyncio.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()
    assert GUIDE in guide.text
    assert (status, health["receiving"], health["database"]) == (200, "polling", "ok")
    assert metrics_status == 200
    assert 'kinerja_updates_total{kind="message"} 1.0' in metrics
    assert "kinerja_messages_sent_total 1.0" in metrics
    assert sandbox.webhook == {}
