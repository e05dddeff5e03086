"""Settings: everything the bot needs from its environment, read only when asked for.

Nothing here runs at import time: `Settings()` reads the environment (and an optional `.env`
file) when the composition root or the CLI constructs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import date
from ipaddress import ip_address
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")

# A real token is "<bot id>:<35 characters>"; BotFather never issues anything shorter.
_TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
# Tokens printed in Telegram's own documentation: they have the right shape but are not real.
_DOCUMENTED_EXAMPLES = frozenset(
    {"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}
)


SECRET_KEY_FILE = "secret.key"  # noqa: S105  (a file name, not a password)
MIN_SECRET_LENGTH = 32
# Words of the placeholders people copy from examples instead of a random value.
_PLACEHOLDER_WORDS = ("changeme", "replace", "placeholder", "example", "yoursecret", "secretkey")


def secret_key_problem(value: str) -> str | None:
    """Why ``value`` is too weak to key the invite codes' HMAC, or None when it will do."""
    squeezed = re.sub(r"[^a-z0-9]", "", value.lower())
    if any(word in squeezed for word in _PLACEHOLDER_WORDS):
        return "looks like a placeholder, not a random value"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < 10:
        return "has too few different characters to be random"
    return None


class ConfigError(RuntimeError):
    """A setting is missing or unusable; the message says which and what to do."""


# Telegram accepts only these characters in a webhook's secret token (1 to 256 of them).
_WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# How to make one (a command line, not a password):
_HOW_TO_MAKE_A_SECRET = "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"  # noqa: S105
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# The ports Telegram sends webhook requests to (None: the scheme's default).
TELEGRAM_WEBHOOK_PORTS = frozenset({None, 443, 80, 88, 8443})
# Paths the bot's HTTP server serves itself: a webhook URL may not take them.
RESERVED_PATHS = frozenset({"/healthz", "/metrics"})


def _is_loopback(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where Telegram sends updates in webhook mode, and the secret it sends with each."""

    url: str
    secret: str

    @property
    def path(self) -> str:
        """The path the bot's HTTP server receives updates on: the URL's own path."""
        return urlsplit(self.url).path or "/"

    def public_url(self, bound_port: int) -> str:
        """The URL to register; on a loopback host, port 0 means the port the server bound.

        (Local runs and tests listen on an ephemeral port, ``KINERJA_HTTP_LISTEN=127.0.0.1:0``,
        and learn it only once the server is up.)
        """
        parts = urlsplit(self.url)
        if parts.port != 0 or parts.hostname is None or not _is_loopback(parts.hostname):
            return self.url
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return urlunsplit(parts._replace(netloc=f"{host}:{bound_port}"))


def _webhook_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the webhook, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a URL"
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        return "is not an https:// URL"
    local = _is_loopback(host)
    problems = (
        (
            parts.scheme == "http" and not local,
            "must be https:// (Telegram sends updates only over TLS; plain http:// is allowed "
            "for 127.0.0.1 and localhost, for local runs and tests)",
        ),
        (
            not local and port not in TELEGRAM_WEBHOOK_PORTS,
            "must use a port Telegram posts to: 443 (the default), 80, 88 or 8443",
        ),
        (
            (parts.path or "/") in RESERVED_PATHS,
            f"may not use the path {parts.path}, which the bot serves itself",
        ),
        (bool(parts.query or parts.fragment), "may not have a query or a fragment"),
    )
    return next((problem for found, problem in problems if found), None)


def listen_address(value: str) -> tuple[str, int]:
    """'127.0.0.1:8080' as ('127.0.0.1', 8080); '[::1]:8080' as ('::1', 8080)."""
    host, colon, port = value.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not port.isdigit() or int(port) > 65535:
        msg = f"KINERJA_HTTP_LISTEN {value!r} is not HOST:PORT, like 127.0.0.1:8080"
        raise ValueError(msg)
    return host, int(port)


def is_placeholder_token(token: str) -> bool:
    """True for anything that cannot be a real BotFather token (empty, example, wrong shape)."""
    return token in _DOCUMENTED_EXAMPLES or not _TOKEN_SHAPE.match(token)


def _minutes_range(text: str) -> tuple[int, int]:
    """'08:00-16:00' as (480, 960); '24:00' is allowed as an end."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if match is None:
        msg = f"KINERJA_WORK_HOURS {text!r} is not like 08:00-16:00"
        raise ValueError(msg)
    hour1, min1, hour2, min2 = (int(group) for group in match.groups())
    start, end = hour1 * 60 + min1, hour2 * 60 + min2
    if min1 > 59 or min2 > 59 or start >= 24 * 60 or end > 24 * 60:
        msg = f"KINERJA_WORK_HOURS {text!r} is not a time range within one day"
        raise ValueError(msg)
    return start, end


class Settings(BaseSettings):
    """Configuration of one bot deployment (one regency, one Telegram token)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    secret_key: SecretStr | None = Field(default=None, validation_alias="KINERJA_SECRET_KEY")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    telegram_file_base_url: str = Field(
        default="https://api.telegram.org/file/bot", validation_alias="TELEGRAM_FILE_BASE_URL"
    )
    timezone: str = Field(default="Asia/Jakarta", validation_alias="KINERJA_TIMEZONE")
    data_dir: Path = Field(default=Path("data"), validation_alias="KINERJA_DATA_DIR")
    admin_chat_id: int | None = Field(default=None, validation_alias="KINERJA_ADMIN_CHAT_ID")
    default_language: Language = Field(default="id", validation_alias="KINERJA_DEFAULT_LANGUAGE")
    invite_ttl_days: int = Field(default=7, ge=1, validation_alias="KINERJA_INVITE_TTL_DAYS")
    code_max_failures: int = Field(default=5, ge=1, validation_alias="KINERJA_CODE_MAX_FAILURES")
    code_lock_minutes: int = Field(default=60, ge=1, validation_alias="KINERJA_CODE_LOCK_MINUTES")
    # The scheduler and the outbox (reminders, pacing, retries): see bot/notify.
    work_hours: str = Field(default="08:00-16:00", validation_alias="KINERJA_WORK_HOURS")
    work_days: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(1, 2, 3, 4, 5), validation_alias="KINERJA_WORK_DAYS"
    )
    public_holidays: bool = Field(default=True, validation_alias="KINERJA_PUBLIC_HOLIDAYS")
    extra_holidays: Annotated[tuple[date, ...], NoDecode] = Field(
        default=(), validation_alias="KINERJA_EXTRA_HOLIDAYS"
    )
    reminder_days: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(3, 1), validation_alias="KINERJA_REMINDER_DAYS"
    )
    send_rate: float = Field(default=25.0, gt=0, le=1000, validation_alias="KINERJA_SEND_RATE")
    chat_rate: float = Field(default=1.0, gt=0, le=30, validation_alias="KINERJA_CHAT_RATE")
    senders: int = Field(default=1, ge=1, le=100, validation_alias="KINERJA_SENDERS")
    outbox_max_attempts: int = Field(
        default=5, ge=1, validation_alias="KINERJA_OUTBOX_MAX_ATTEMPTS"
    )
    outbox_lease_seconds: int = Field(
        default=120, ge=1, validation_alias="KINERJA_OUTBOX_LEASE_SECONDS"
    )
    tick_seconds: int = Field(default=60, ge=1, validation_alias="KINERJA_TICK_SECONDS")
    # Bot API calls in flight at once (and the connections kept open for them).
    api_connections: int = Field(
        default=8, ge=1, le=256, validation_alias="KINERJA_API_CONNECTIONS"
    )
    # Incoming updates: chats handled side by side, flood control (see bot/intake).
    concurrent_updates: int = Field(
        default=64, ge=1, le=4096, validation_alias="KINERJA_CONCURRENT_UPDATES"
    )
    flood_limit: int = Field(default=20, ge=1, validation_alias="KINERJA_FLOOD_LIMIT")
    flood_window_seconds: float = Field(
        default=10.0, gt=0, le=3600, validation_alias="KINERJA_FLOOD_WINDOW_SECONDS"
    )
    # The bot's HTTP server (health, metrics, the webhook) and webhook mode: see bot/http.
    http_listen: str = Field(default="127.0.0.1:8080", validation_alias="KINERJA_HTTP_LISTEN")
    webhook_url: str | None = Field(default=None, validation_alias="KINERJA_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="KINERJA_WEBHOOK_SECRET"
    )

    @field_validator("secret_key")
    @classmethod
    def _refuse_weak_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        problem = secret_key_problem(value.get_secret_value())
        if problem is not None:
            msg = (
                f"KINERJA_SECRET_KEY {problem}. Put a long random value there (for example "
                "the output of `python -c 'import secrets; print(secrets.token_hex(32))'`), "
                f"or remove the line and the bot keeps one in <data folder>/{SECRET_KEY_FILE}."
            )
            raise ValueError(msg)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _refuse_weak_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value()
        problem = secret_key_problem(secret)
        if problem is None and not _WEBHOOK_SECRET_SHAPE.fullmatch(secret):
            problem = "has characters Telegram does not allow (only A-Z, a-z, 0-9, _ and -)"
        if problem is not None:
            msg = (
                f"KINERJA_WEBHOOK_SECRET {problem}. Put a long random value there, for "
                f"example the output of {_HOW_TO_MAKE_A_SECRET}"
            )
            raise ValueError(msg)
        return value

    @field_validator("http_listen")
    @classmethod
    def _listen_shape(cls, value: str) -> str:
        listen_address(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            msg = f"KINERJA_TIMEZONE {value!r} is not a known IANA time zone"
            raise ValueError(msg) from exc
        return value

    @field_validator("work_hours")
    @classmethod
    def _hours_shape(cls, value: str) -> str:
        start, end = _minutes_range(value)
        if start >= end:
            msg = f"KINERJA_WORK_HOURS {value!r}: the start must come before the end"
            raise ValueError(msg)
        return value

    @field_validator("work_days", "reminder_days", "extra_holidays", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("work_days")
    @classmethod
    def _iso_weekdays(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(not 1 <= day <= 7 for day in value):
            msg = "KINERJA_WORK_DAYS lists ISO weekdays 1 (Monday) to 7 (Sunday), e.g. 1,2,3,4,5"
            raise ValueError(msg)
        return tuple(sorted(set(value)))

    @field_validator("reminder_days")
    @classmethod
    def _positive_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 0 for day in value):
            msg = "KINERJA_REMINDER_DAYS lists days before a deadline, e.g. 3,1"
            raise ValueError(msg)
        return tuple(sorted(set(value), reverse=True))

    @property
    def work_minutes(self) -> tuple[int, int]:
        """Working hours as minutes after local midnight: (start, end), end exclusive."""
        return _minutes_range(self.work_hours)

    @property
    def tz(self) -> ZoneInfo:
        """The time zone in which people see dates (Asia/Jakarta unless configured)."""
        return ZoneInfo(self.timezone)

    @property
    def send_share(self) -> float:
        """Messages per second this process may send: its share of ``KINERJA_SEND_RATE``.

        ``KINERJA_SEND_RATE`` is the whole deployment's rate (one bot token, one Telegram
        limit). When ``KINERJA_SENDERS`` processes run at once (``kinerja run`` with any role,
        e.g. the bot and a second outbox worker), each paces everything it sends at
        rate / senders, so together they stay within the rate. A fixed share rather than a
        budget shared through the database: no query per message and no new table, at the
        price that a stopped worker's share goes unused until the setting changes.
        """
        return self.send_rate / self.senders

    @property
    def resolved_database_url(self) -> str:
        """DATABASE_URL, or a SQLite file inside the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'kinerja.db'}"

    @property
    def http_address(self) -> tuple[str, int]:
        """Host and port of the bot's HTTP server (port 0: any free port)."""
        return listen_address(self.http_listen)

    def require_webhook(self) -> Webhook:
        """The webhook (URL and secret), or a ConfigError saying what is missing or wrong."""
        url = (self.webhook_url or "").strip()
        if not url:
            msg = "KINERJA_WEBHOOK_URL is not set (or pass `kinerja run --webhook URL`)"
            raise ConfigError(msg)
        problem = _webhook_url_problem(url)
        if problem is not None:
            msg = f"the webhook URL {url!r} {problem}"
            raise ConfigError(msg)
        if self.webhook_secret is None:
            msg = (
                "KINERJA_WEBHOOK_SECRET is not set: webhook mode needs it, so that only Telegram "
                f"can send the bot updates. Put a long random value there, for example the output "
                f"of {_HOW_TO_MAKE_A_SECRET}"
            )
            raise ConfigError(msg)
        return Webhook(url=url, secret=self.webhook_secret.get_secret_value())

    def require_token(self) -> str:
        """The bot token, or a ConfigError telling the operator how to get one.

        Only what talks to Telegram asks (``kinerja run``, the composition root): a
        placeholder copied from ``.env.example`` is refused here, not when the settings load,
        so ``kinerja db upgrade``, ``import`` and the other operator commands work before the
        token from @BotFather is there.
        """
        if self.telegram_bot_token is None:
            msg = (
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather, then put "
                "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example)."
            )
            raise ConfigError(msg)
        token = self.telegram_bot_token.get_secret_value()
        if is_placeholder_token(token):
            msg = (
                "TELEGRAM_BOT_TOKEN looks like a placeholder, not a token from @BotFather "
                "(expected '<digits>:<35 characters>'). Put the real token in .env, or remove "
                "the line to run the demo."
            )
            raise ConfigError(msg)
        return token


def load_secret_key(settings: Settings) -> bytes:
    """The deployment's secret key: KINERJA_SECRET_KEY, else ``<data folder>/secret.key``.

    On the first start without the setting, 32 random bytes are written there (as 64 hex
    characters, readable by the owner only, mode 0600) and used from then on; copying that
    line into KINERJA_SECRET_KEY gives the same key. Invite codes are hashed with it (HMAC):
    a new key makes the unused codes stop working.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = settings.data_dir / SECRET_KEY_FILE
    if not path.exists():
        _write_new_key(path)
    value = path.read_text(encoding="utf-8").strip()
    problem = secret_key_problem(value)
    if problem is not None:
        msg = f"{path} {problem}: delete it (a new one is made at start) or set KINERJA_SECRET_KEY"
        raise ConfigError(msg)
    return value.encode()


def _write_new_key(path: Path) -> None:
    """Write a fresh key, whole or not at all; a key another process wrote first is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(32) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileExistsError):  # never replaces a key another process wrote
            os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
