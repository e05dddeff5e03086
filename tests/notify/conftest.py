"""The notify tests' application: a recording Bot API that can also refuse, and a movable clock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.error import NetworkError
from telegram.request import RequestData

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.support.recording import RecordingRequest

ADMIN_CHAT = -100_500


@dataclass
class Fault:
    """Refuse the next ``times`` sendMessage calls to ``chat_id`` (None: any chat)."""

    chat_id: int | None
    code: int  # 429, 403, or 0 for a network failure
    times: int = 1
    retry_after: int = 5
    description: str = ""


class FlakyRequest(RecordingRequest):
    """A recording Bot API whose sendMessage can fail like Telegram's (429, 403, no network)."""

    def __init__(self) -> None:
        super().__init__()
        self.faults: list[Fault] = []
        self.refused: list[tuple[int, int]] = []  # (chat_id, code) of every refused send

    def fail(self, chat_id: int | None, code: int, **details: Any) -> None:
        """Script a failure for the next send(s) to ``chat_id``."""
        self.faults.append(Fault(chat_id, code, **details))

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        fault = self._fault(url.rsplit("/", 1)[-1], params.get("chat_id"))
        if fault is None:
            return await super().do_request(url, method, request_data, **kwargs)
        self.refused.append((params["chat_id"], fault.code))
        if fault.code == 0:
            raise NetworkError("connection reset by peer")
        body: dict[str, Any] = {"ok": False, "error_code": fault.code}
        if fault.code == 429:
            body["description"] = f"Too Many Requests: retry after {fault.retry_after}"
            body["parameters"] = {"retry_after": fault.retry_after}
        else:
            body["description"] = fault.description or "Forbidden: bot was blocked by the user"
        return fault.code, json.dumps(body).encode()

    def _fault(self, method: str, chat_id: object) -> Fault | None:
        if method != "sendMessage":
            return None
        for fault in self.faults:
            if fault.chat_id in (None, chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None


@pytest.fixture
def flaky() -> FlakyRequest:
    """The Bot API the notify tests' application talks to."""
    return FlakyRequest()


@pytest.fixture
def quarter_clock() -> FakeClock:
    """Thursday 1 January 2026, 00:00 WIB: the first moment of Triwulan I."""
    return FakeClock(datetime(2025, 12, 31, 17, 0, tzinfo=UTC))


@pytest.fixture
def notify_settings(settings: Settings) -> Settings:
    """The test deployment, with a BKPSDM admin chat."""
    return settings.model_copy(update={"admin_chat_id": ADMIN_CHAT})


@pytest.fixture
async def app(
    notify_settings: Settings, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> AsyncIterator[KinerjaApp]:
    """An initialised application on the quarter clock, its Bot API calls in ``flaky``."""
    application = build_application(
        notify_settings, db=db, clock=quarter_clock, request=flaky, rate_limiter=False
    )
    await application.initialize()
    flaky.calls.clear()
    yield application
    await application.shutdown()
