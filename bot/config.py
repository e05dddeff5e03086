"""Settings: everything the bot needs from its environment, read only when asked for.

Nothing here runs at import time: `Settings()` reads the environment (and an optional `.env`
file) when the composition root or the CLI constructs it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")

# A real token is "<bot id>:<35 characters>"; BotFather never issues anything shorter.
_TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
# Tokens printed in Telegram's own documentation: they have the right shape but are not real.
_DOCUMENTED_EXAMPLES = frozenset(
    {"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}
)


class ConfigError(RuntimeError):
    """A setting is missing or unusable; the message says which and what to do."""


def is_placeholder_token(token: str) -> bool:
    """True for anything that cannot be a real BotFather token (empty, example, wrong shape)."""
    return token in _DOCUMENTED_EXAMPLES or not _TOKEN_SHAPE.match(token)


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

    @field_validator("telegram_bot_token")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value()
        if is_placeholder_token(token):
            msg = (
                "TELEGRAM_BOT_TOKEN looks like a placeholder, not a token from @BotFather "
                "(expected '<digits>:<35 characters>'). Put the real token in .env, or remove "
                "the line to run the demo."
            )
            raise ValueError(msg)
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

    @property
    def tz(self) -> ZoneInfo:
        """The time zone in which people see dates (Asia/Jakarta unless configured)."""
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        """DATABASE_URL, or a SQLite file inside the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'kinerja.db'}"

    def require_token(self) -> str:
        """The bot token, or a ConfigError telling the operator how to get one."""
        if self.telegram_bot_token is None:
            msg = (
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather, then put "
                "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example)."
            )
            raise ConfigError(msg)
        return self.telegram_bot_token.get_secret_value()
