"""`kinerja run` in webhook mode refuses to start without a usable secret or URL: one line.

Each case fails before anything is started or contacted (no Bot API, no port, no database).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import ConfigError
from bot.http.server import HttpServer

TOKEN = "7000000012:AAFwebhookModeTokenNotReal0123456789"
SECRET = "Wv3h-Kq8_xT2mZ9pL5rN7cB4jF1dS0gYaU6eR"
URL = "https://kinerja.meranginkab.go.id/telegram"

CASES = [
    (["--webhook", URL], {}, "KINERJA_WEBHOOK_SECRET is not set"),
    ([], {"KINERJA_WEBHOOK_URL": URL}, "KINERJA_WEBHOOK_SECRET is not set"),
    (
        ["--webhook", "http://kinerja.meranginkab.go.id/telegram"],
        {"KINERJA_WEBHOOK_SECRET": SECRET},
        "must be https://",
    ),
    (
        ["--webhook", "https://kinerja.meranginkab.go.id/healthz"],
        {"KINERJA_WEBHOOK_SECRET": SECRET},
        "may not use the path /healthz",
    ),
    (
        ["--webhook", URL],
        {"KINERJA_WEBHOOK_SECRET": "change-me-to-a-long-random-webhook-secret"},
        "KINERJA_WEBHOOK_SECRET looks like a placeholder",
    ),
    (
        ["--webhook", URL],
        {"KINERJA_WEBHOOK_SECRET": "k3Vq9xT2mW8pL5rZ7cN4bH6jF1dS0gYa+/=="},
        "characters Telegram does not allow",
    ),
    ([], {"KINERJA_HTTP_LISTEN": "8080"}, "KINERJA_HTTP_LISTEN '8080' is not HOST:PORT"),
]


@pytest.mark.parametrize(("args", "env", "says"), CASES, ids=[says for _, _, says in CASES])
async def test_webhook_mode_without_a_usable_secret_or_url_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    says: str,
) -> None:
    """Exit 1, one line naming the variable; the secret itself is never printed."""
    monkeypatch.chdir(tmp_path)
    environment = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/unreachable/bot",
        **env,
    }
    result = await asyncio.to_thread(CliRunner().invoke, main, ["run", *args], env=environment)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error: ")
    assert says in line
    assert SECRET not in line


async def test_a_port_in_use_is_one_line_naming_the_setting() -> None:
    """The HTTP server cannot bind: a ConfigError (one line in `kinerja run`), no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = HttpServer("127.0.0.1", port, [])
        with pytest.raises(
            ConfigError, match=f"cannot listen on 127.0.0.1:{port} .*KINERJA_HTTP_LISTEN"
        ):
            await server.start()
    assert not server.running
