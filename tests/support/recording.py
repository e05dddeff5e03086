"""A fake Bot API at the HTTP boundary: records every call and answers like Telegram would.

Passed to ``ApplicationBuilder().request(...)``, it lets the real Application run offline, and
tests assert on the calls a person's Telegram app would have received.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "kinerja_test_bot"
TEST_TOKEN = f"{BOT_ID}:AAHofflineHandlerTests-0123456789abcdef"


@dataclass(frozen=True)
class Call:
    """One Bot API call: its method name and its parameters as Telegram would decode them."""

    method: str
    params: dict[str, Any]


class RecordingRequest(BaseRequest):
    """Answers Bot API calls locally and remembers them in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._message_ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Call(api_method, params))
        body = {"ok": True, "result": self._result(api_method, params)}
        return 200, json.dumps(body).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Kinerja Bot",
                "username": BOT_USERNAME,
            }
        if method == "getUpdates":
            return []
        if method in ("sendMessage", "editMessageText"):
            return {
                "message_id": params.get("message_id", next(self._message_ids)),
                "date": 0,
                "chat": {"id": params["chat_id"], "type": "private"},
                "text": params["text"],
            }
        return True

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Parameters of every sendMessage, optionally only those to one chat."""
        return [
            call.params
            for call in self.calls
            if call.method == "sendMessage"
            and (chat_id is None or call.params["chat_id"] == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """The text of every message sent, in order."""
        return [params["text"] for params in self.sent(chat_id)]

    def last(self, chat_id: int) -> dict[str, Any]:
        """The newest message sent to a chat."""
        messages = self.sent(chat_id)
        assert messages, f"the bot sent nothing to chat {chat_id}"
        return messages[-1]
