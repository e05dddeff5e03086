"""What every service is built from: the database, the clock and the deployment's settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.db.session import Database


@dataclass(frozen=True, slots=True)
class ServiceEnv:
    """The environment services share; each service takes it as its only constructor argument."""

    db: Database
    clock: Clock
    settings: Settings
