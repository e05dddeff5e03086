"""Refusals of valid calls: injected faults and Telegram-like rate limits (HTTP 429)."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.sandbox import RateLimits, Sandbox
from tests.sandbox.support import ApiCall, FakeMonotonic, local_request

# PTB 22 warns about RetryAfter.retry_after becoming a timedelta whenever it builds one.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_injected_429_reaches_ptb_as_retry_after(sandbox: Sandbox, bot: Bot) -> None:
    """inject_error(429, retry_after=7) makes PTB raise RetryAfter, once, then calls pass."""
    user = sandbox.user(1, started=True)
    sandbox.inject_error("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter, match="7"):
        await bot.send_message(1, "x")
    await bot.send_message(1, "y")
    assert [m.text for m in user.messages] == ["y"]
    refused = sandbox.calls_to("sendMessage")[0]
    assert (refused.ok, refused.error_code, refused.params["text"]) == (False, 429, "x")


async def test_injected_429_has_telegram_shape(sandbox: Sandbox, api: ApiCall) -> None:
    """The 429 body carries parameters.retry_after and "Too Many Requests: retry after N"."""
    sandbox.user(1, started=True)
    sandbox.inject_error("SENDMESSAGE", retry_after=3)
    response = await api("sendMessage", chat_id=1, text="x")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }


async def test_injected_errors_can_target_one_chat_and_repeat(sandbox: Sandbox, bot: Bot) -> None:
    """chat_id restricts the fault to one chat; times sets how many calls fail."""
    sandbox.user(1, started=True)
    sandbox.user(2, started=True)
    sandbox.inject_error("sendMessage", 403, chat_id=2, times=2)
    await bot.send_message(1, "ok")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(2, "x")
    await bot.send_message(2, "ok")
    sandbox.inject_error("editMessageText", 400, description="Bad Request: custom")
    with pytest.raises(BadRequest, match="Custom"):
        await bot.edit_message_text("x", 1, 1)


def limited(fake: FakeMonotonic, **limits: float) -> Sandbox:
    """Return a sandbox with rate limits driven by a fake monotonic clock."""
    return Sandbox(rate_limits=RateLimits(**limits), monotonic=fake)


async def test_per_chat_limit_refuses_beyond_the_burst() -> None:
    """With per-chat burst 2 at 1/s, 5 quick sends deliver 2 and refuse 3 with retry_after 1."""
    fake = FakeMonotonic()
    async with limited(fake, per_chat_burst=2, per_chat_per_second=1) as sb:
        sb.user(1, started=True)
        async with Bot(sb.token, base_url=sb.base_url, request=local_request()) as ptb:
            refused = 0
            for number in range(5):
                try:
                    await ptb.send_message(1, f"m{number}")
                except RetryAfter:
                    refused += 1
            fake.advance(1.0)
            await ptb.send_message(1, "after a second")
    assert refused == 3
    assert [d.text for d in sb.delivered] == ["m0", "m1", "after a second"]
    retry_afters = [c.description for c in sb.calls if c.error_code == 429]
    assert retry_afters == ["Too Many Requests: retry after 1"] * 3


async def test_global_limit_spans_chats_and_edits_are_exempt() -> None:
    """The global bucket counts sends to all chats; edits and answers are not limited."""
    fake = FakeMonotonic()
    async with limited(fake, global_per_second=2, per_chat_burst=10) as sb:
        for chat in (1, 2, 3):
            sb.user(chat, started=True)
        async with Bot(sb.token, base_url=sb.base_url, request=local_request()) as ptb:
            first = await ptb.send_message(1, "a")
            await ptb.send_message(2, "b")
            with pytest.raises(RetryAfter):
                await ptb.send_message(3, "c")
            with pytest.raises(RetryAfter):
                await ptb.send_document(3, b"x", filename="x.txt")
            await ptb.edit_message_text("a2", 1, first.message_id)
            fake.advance(0.5)
            await ptb.send_message(3, "c")
    assert [(d.chat_id, d.text) for d in sb.delivered] == [(1, "a"), (2, "b"), (3, "c")]


async def test_group_limit_is_per_minute() -> None:
    """group_per_minute=3 lets 3 messages into a group, then 429 with a retry_after of 20 s."""
    fake = FakeMonotonic()
    async with limited(fake, group_per_minute=3, per_chat_burst=10, per_chat_per_second=10) as sb:
        sb.group(-100777, "Tim")
        async with Bot(sb.token, base_url=sb.base_url, request=local_request()) as ptb:
            for number in range(3):
                await ptb.send_message(-100777, f"g{number}")
            with pytest.raises(RetryAfter):
                await ptb.send_message(-100777, "too many")
    assert len(sb.delivered) == 3
    assert sb.calls[-1].description == "Too Many Requests: retry after 20"


async def test_rate_limits_are_off_by_default(sandbox: Sandbox, bot: Bot) -> None:
    """Without rate_limits, 50 quick sends to one chat are all delivered."""
    sandbox.user(1, started=True)
    for number in range(50):
        await bot.send_message(1, f"m{number}")
    assert len(sandbox.delivered) == 50


async def test_invalid_sends_do_not_use_up_the_allowance() -> None:
    """A refused (400) send takes no token, so the next valid send still passes."""
    fake = FakeMonotonic()
    async with limited(fake, per_chat_burst=1) as sb:
        sb.user(1, started=True)
        async with Bot(sb.token, base_url=sb.base_url, request=local_request()) as ptb:
            with pytest.raises(BadRequest):
                await ptb.send_message(1, "<b>", parse_mode="HTML")
            await ptb.send_message(1, "ok")
    assert len(sb.delivered) == 1
