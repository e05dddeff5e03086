"""`kinerja run` never shows the bot token: not in a log line at any level, not in an error.

A local HTTP server plays a Bot API at a mistyped TELEGRAM_API_BASE_URL: it answers 404 to
everything, which python-telegram-bot reports as ``InvalidToken`` with the token in the text.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.logs import LogGuard, guard_logs

TOKEN = "7000000011:AAFsecretTokenThatMustNeverBeLogged01"


class _NotFound(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b'{"ok": false, "error_code": 404, "description": "Not Found"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the bot's logs, not the server's."""


@pytest.fixture
def wrong_api() -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 that is no Bot API (404 for every call)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/wrong/bot"
    server.shutdown()
    server.server_close()


def _every_log_text(caplog: pytest.LogCaptureFixture) -> str:
    return (
        "\n".join(
            f"{record.getMessage()}\n{record.exc_text or ''}\n{record.stack_info or ''}"
            for record in caplog.records
        )
        + caplog.text
    )


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["run", "-v run"])
async def test_a_rejected_token_is_one_line_naming_the_url_not_the_token(
    *,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    wrong_api: str,
    verbose: list[str],
) -> None:
    """Exit 1 with one line that names the URL; no traceback; the token nowhere."""
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    for name in ("aiohttp", "httpx", "httpcore", "telegram"):
        caplog.set_level(logging.DEBUG, logger=name)
    env = {
        "DATABASE_URL": db_url,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": wrong_api,
    }
    result = await asyncio.to_thread(CliRunner().invoke, main, [*verbose, "run"], env=env)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    assert TOKEN not in result.output
    assert "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error: ")
    assert wrong_api in line
    assert "TELEGRAM_API_BASE_URL" in line
    logged = _every_log_text(caplog)
    assert caplog.records, "the run logged nothing: the test would prove nothing"
    assert TOKEN not in logged
    assert TOKEN.split(":")[1] not in logged
    if verbose:
        assert f"{wrong_api}***" in logged  # PTB's DEBUG line with the Bot API URL, masked


def test_the_guard_masks_the_token_in_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Registered or not, a token is masked wherever a record carries it, at any level."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # `kinerja` quietens it in other tests
    guard_logs("not-token-shaped-but-secret")
    log = logging.getLogger("httpx")
    log.debug("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    logging.getLogger("bot.test").info("secret %s", "not-token-shaped-but-secret")
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        logging.getLogger("telegram.ext.Application").exception("failed")
    logged = _every_log_text(caplog)
    assert TOKEN not in logged
    assert "not-token-shaped-but-secret" not in logged
    assert "https://api.telegram.org/bot***/getMe" in logged
    assert "The token `***` was rejected" in logged


def test_payloads_of_other_libraries_keep_only_plain_arguments() -> None:
    """A Bot API call's parameters keep their names; an update its id; numbers stay."""

    class Update:
        update_id = 41

    record = logging.LogRecord(
        "telegram.Bot",
        logging.DEBUG,
        __file__,
        1,
        "Calling Bot API endpoint `%s` with parameters `%s` for %s after %d ms",
        ("sendMessage", {"chat_id": 5, "text": "Nomor saya 081234567890"}, Update(), 12),
        None,
    )
    LogGuard().filter(record)
    assert record.getMessage() == (
        "Calling Bot API endpoint `sendMessage` with parameters `<chat_id, text>` "
        "for update 41 after 12 ms"
    )
