"""Settings: read from the environment on demand, placeholder tokens refused when needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import ConfigError, Settings, load_secret_key
from tests.support.recording import TEST_TOKEN


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "token",
    [
        "replace-with-the-token-from-botfather",
        "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",  # the example in Telegram's own docs
        "12345:short",
        "",
    ],
)
def test_placeholder_token_is_refused(token: str) -> None:
    """A token that cannot be real fails when the bot needs it, with a message saying what to
    do; the settings still load, for the commands that never talk to Telegram."""
    settings = _settings(telegram_bot_token=token)
    with pytest.raises(ConfigError, match="BotFather"):
        settings.require_token()


def test_missing_token_is_only_an_error_when_the_bot_must_run() -> None:
    """Without a token the settings load (demo, import), but `require_token` explains."""
    settings = _settings()
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        settings.require_token()


def test_token_is_secret_in_representations() -> None:
    """The token never appears when settings are printed or logged."""
    settings = _settings(telegram_bot_token=TEST_TOKEN)
    assert TEST_TOKEN not in repr(settings)
    assert TEST_TOKEN not in str(settings.model_dump())
    assert settings.require_token() == TEST_TOKEN


def test_environment_variable_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The documented variable names are the ones read."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("DATABASE_URL", "postgresql://kinerja@db/kinerja")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("TELEGRAM_FILE_BASE_URL", "http://127.0.0.1:8081/file/bot")
    monkeypatch.setenv("KINERJA_TIMEZONE", "Asia/Makassar")
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KINERJA_ADMIN_CHAT_ID", "-100123")
    monkeypatch.setenv("KINERJA_DEFAULT_LANGUAGE", "en")
    settings = _settings()
    assert settings.resolved_database_url == "postgresql://kinerja@db/kinerja"
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.telegram_file_base_url == "http://127.0.0.1:8081/file/bot"
    assert settings.timezone == "Asia/Makassar"
    assert settings.data_dir == tmp_path
    assert settings.admin_chat_id == -100123
    assert settings.default_language == "en"


def test_defaults_use_telegram_jakarta_and_a_sqlite_file_under_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Out of the box: real Telegram URLs, Asia/Jakarta, SQLite in ./data, Indonesian."""
    for name in ("DATABASE_URL", "KINERJA_DATA_DIR", "KINERJA_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    settings = _settings()
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_file_base_url == "https://api.telegram.org/file/bot"
    assert settings.timezone == "Asia/Jakarta"
    assert settings.resolved_database_url == "sqlite+aiosqlite:///data/kinerja.db"
    assert settings.default_language == "id"


def test_unknown_time_zone_is_refused() -> None:
    """A misspelt zone fails at start-up rather than showing wrong times later."""
    with pytest.raises(ValidationError, match="time zone"):
        _settings(timezone="Asia/Bangko")


def test_env_example_lists_every_setting() -> None:
    """`.env.example` documents every environment variable the settings read."""
    example = (Path(__file__).parent.parent / ".env.example").read_text()
    for field in Settings.model_fields.values():
        assert f"{field.validation_alias}=" in example


def test_empty_lines_copied_from_the_example_mean_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`KINERJA_ADMIN_CHAT_ID=` (empty, as in .env.example) is no value, not an error."""
    monkeypatch.setenv("KINERJA_ADMIN_CHAT_ID", "")
    monkeypatch.setenv("DATABASE_URL", "")
    settings = _settings()
    assert settings.admin_chat_id is None
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")


STRONG_KEY = "k3Vq9xT2mW8pL5rZ7cN4bH6jF1dS0gYa"


@pytest.mark.parametrize(
    "key",
    [
        "changeme",
        "change-me-to-a-long-random-secret-key",
        "replace-with-a-random-secret-key-please",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "k3Vq9xT2mW8pL5rZ",  # random, but 16 characters
    ],
)
def test_a_weak_or_placeholder_secret_key_is_refused(key: str) -> None:
    """KINERJA_SECRET_KEY must be long and random: a placeholder fails at start-up."""
    with pytest.raises(ValidationError, match="KINERJA_SECRET_KEY"):
        _settings(secret_key=key)


def test_the_secret_key_is_read_from_the_setting_and_kept_secret(tmp_path: Path) -> None:
    settings = _settings(secret_key=STRONG_KEY, data_dir=tmp_path)
    assert STRONG_KEY not in repr(settings)
    assert load_secret_key(settings) == STRONG_KEY.encode()
    assert not (tmp_path / "secret.key").exists()


def test_without_a_setting_a_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    """32 random bytes (hex) in <data>/secret.key, readable by the owner only, then reused."""
    folder = tmp_path / "data"
    settings = _settings(data_dir=folder)
    key = load_secret_key(settings)
    path = folder / "secret.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(key.decode())) == 32
    assert path.read_text().strip() == key.decode()
    assert load_secret_key(_settings(data_dir=folder)) == key
    assert load_secret_key(_settings(data_dir=tmp_path / "other")) != key


def test_a_weak_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("changeme\n")
    with pytest.raises(ConfigError, match=r"secret\.key"):
        load_secret_key(_settings(data_dir=tmp_path))


def test_concurrency_and_flood_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defaults 64 at once, 20 updates in 10 s; the documented names change them."""
    defaults = _settings()
    assert (defaults.concurrent_updates, defaults.flood_limit) == (64, 20)
    assert defaults.flood_window_seconds == 10
    monkeypatch.setenv("KINERJA_CONCURRENT_UPDATES", "8")
    monkeypatch.setenv("KINERJA_FLOOD_LIMIT", "5")
    monkeypatch.setenv("KINERJA_FLOOD_WINDOW_SECONDS", "2.5")
    settings = _settings()
    assert (settings.concurrent_updates, settings.flood_limit) == (8, 5)
    assert settings.flood_window_seconds == 2.5
    monkeypatch.setenv("KINERJA_CONCURRENT_UPDATES", "0")
    with pytest.raises(ValidationError):
        _settings()


WEBHOOK_SECRET = "Wv3h-Kq8_xT2mZ9pL5rN7cB4jF1dS0gYaU6eR"


@pytest.mark.parametrize(
    ("url", "registered", "path"),
    [
        ("https://kinerja.meranginkab.go.id/telegram", None, "/telegram"),
        ("https://kinerja.meranginkab.go.id:8443", None, "/"),
        ("http://127.0.0.1:0/hook", "http://127.0.0.1:8123/hook", "/hook"),
        ("http://localhost:0/", "http://localhost:8123/", "/"),
        ("http://[::1]:0/hook", "http://[::1]:8123/hook", "/hook"),
        ("http://127.0.0.1:9000/hook", None, "/hook"),
    ],
)
def test_a_webhook_url_is_https_or_local(url: str, registered: str | None, path: str) -> None:
    """https anywhere, http on loopback only; port 0 there is the port the server bound."""
    hook = _settings(webhook_url=url, webhook_secret=WEBHOOK_SECRET).require_webhook()
    assert hook.path == path
    assert hook.public_url(8123) == (registered or url)
    assert hook.secret == WEBHOOK_SECRET


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://kinerja.meranginkab.go.id/telegram", "must be https://"),
        ("ftp://kinerja.meranginkab.go.id/telegram", "is not an https:// URL"),
        ("kinerja.meranginkab.go.id/telegram", "is not an https:// URL"),
        ("https://kinerja.meranginkab.go.id/metrics", "may not use the path /metrics"),
        ("https://kinerja.meranginkab.go.id:8080/telegram", "port Telegram posts to"),
        ("https://kinerja.meranginkab.go.id/t?x=1", "may not have a query"),
        ("https://kinerja.meranginkab.go.id:http/t", "is not a URL"),
    ],
)
def test_an_unusable_webhook_url_is_refused(url: str, says: str) -> None:
    """The reason, in one line, before anything starts."""
    settings = _settings(webhook_url=url, webhook_secret=WEBHOOK_SECRET)
    with pytest.raises(ConfigError, match=says):
        settings.require_webhook()


def test_the_webhook_secret_is_secret_in_representations() -> None:
    """Like the token, the webhook secret never appears when settings are printed."""
    settings = _settings(webhook_secret=WEBHOOK_SECRET)
    assert WEBHOOK_SECRET not in repr(settings)
    assert WEBHOOK_SECRET not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("listen", "address"),
    [
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("[::1]:0", ("::1", 0)),
        ("10.8.0.2:80", ("10.8.0.2", 80)),
    ],
)
def test_the_http_listen_address(listen: str, address: tuple[str, int]) -> None:
    """HOST:PORT, IPv6 in brackets; 127.0.0.1:8080 by default."""
    assert _settings(http_listen=listen).http_address == address
    assert _settings().http_address == ("127.0.0.1", 8080)


@pytest.mark.parametrize(
    "listen", ["8080", "localhost", "127.0.0.1:http", "127.0.0.1:70000", ":80"]
)
def test_an_unusable_listen_address_is_refused(listen: str) -> None:
    """Not HOST:PORT: refused when the settings load."""
    with pytest.raises(ValidationError, match="KINERJA_HTTP_LISTEN"):
        _settings(http_listen=listen)
