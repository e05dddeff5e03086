"""The official assessment by the direct superior, and the unit's distribution."""

from __future__ import annotations

from bot.services.env import ServiceEnv


class AssessmentService:
    """Use-cases of this journey; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env
