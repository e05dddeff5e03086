"""End-to-end: the bot as deployed (polling, JobQueue, rate limiter, Alembic-migrated database)
against the local Bot API sandbox over real HTTP on 127.0.0.1.

The fixtures (``sandbox``, ``e2e_settings``, ``running_bot``) live in ``tests/conftest.py``
because every journey has end-to-end tests; this module keeps the old import path.
"""

from __future__ import annotations

from tests.conftest import E2E_TOKEN, RunningBot

__all__ = ["E2E_TOKEN", "RunningBot"]
