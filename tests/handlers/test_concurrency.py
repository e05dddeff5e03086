"""Updates of different chats are handled side by side; one chat's stay strictly in order.

The updates go through the application's update processor, as PTB hands them over after
polling. Waits use asyncio events; ``HANG`` only turns a hang into a failure, it measures nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from sqlalchemy import event, func
from sqlalchemy.engine import Connection
from sqlmodel import select
from telegram import Update
from telegram.request import RequestData

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.models import Employee, ProcessedUpdate
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import updates as make
from tests.support.recording import TEST_TOKEN, RecordingRequest

HANG = 10.0  # seconds before a wait that never ends fails the test
CHAT_A, CHAT_B, CHAT_C = 6201, 6202, 6203


async def feed(app: KinerjaApp, update: Update) -> None:
    """Hand one update to the application the way its update fetcher does."""
    await app.update_processor.process_update(update, app.process_update(update))


async def test_a_slow_update_in_one_chat_holds_up_neither_another_chat_nor_its_own_order(
    app: KinerjaApp,
) -> None:
    """A1 waits; B1 (sent after A2) runs and finishes meanwhile; A2 starts only after A1 ended."""
    seen: list[str] = []
    release_a1, b1_done = asyncio.Event(), asyncio.Event()

    async def work(name: str, wait: asyncio.Event | None = None) -> None:
        seen.append(f"{name} starts")
        if wait is not None:
            await wait.wait()
        seen.append(f"{name} ends")
        if name == "B1":
            b1_done.set()

    def submit(chat: int, work_done: Awaitable[None]) -> asyncio.Task[None]:
        update = make.message(app.bot, user_id=chat, text="/bantuan")
        return asyncio.create_task(app.update_processor.process_update(update, work_done))

    tasks = [
        submit(CHAT_A, work("A1", release_a1)),
        submit(CHAT_A, work("A2")),
        submit(CHAT_B, work("B1")),
    ]
    try:
        await asyncio.wait_for(b1_done.wait(), HANG)
        assert seen == ["A1 starts", "B1 starts", "B1 ends"]
    finally:
        release_a1.set()
        await asyncio.gather(*tasks)
    assert seen[3:] == ["A1 ends", "A2 starts", "A2 ends"]


async def test_the_processor_forgets_a_chat_once_its_updates_are_done(app: KinerjaApp) -> None:
    """Memory does not grow with the number of chats that ever wrote."""
    processor = app.update_processor
    for chat in range(7000, 7050):
        update = make.message(app.bot, user_id=chat, text="/bantuan")
        await processor.process_update(update, asyncio.sleep(0))
    assert getattr(processor, "chats_in_flight", None) == 0


class SlowTelegram(RecordingRequest):
    """The Bot API, stuck for one chat until released (as a paced or slow reply would be)."""

    def __init__(self, stuck_chat: int) -> None:
        super().__init__()
        self.stuck_chat = stuck_chat
        self.release = asyncio.Event()
        self.arrived: dict[int, asyncio.Event] = {}

    def arrival(self, chat_id: int) -> asyncio.Event:
        return self.arrived.setdefault(chat_id, asyncio.Event())

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        chat_id = params.get("chat_id")
        if url.endswith("/sendMessage") and chat_id == self.stuck_chat:
            self.arrival(chat_id).set()
            await self.release.wait()
        answer = await super().do_request(url, method, request_data, **kwargs)
        if url.endswith("/sendMessage") and isinstance(chat_id, int):
            self.arrival(chat_id).set()
        return answer


async def test_a_reply_stuck_in_one_chat_does_not_delay_the_answer_to_another(
    db_url: str, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    """The real handlers: A's /bantuan waits for Telegram, B's /bantuan is answered meanwhile."""
    settings = Settings(
        _env_file=None, telegram_bot_token=TEST_TOKEN, database_url=db_url, data_dir=tmp_path
    )
    telegram = SlowTelegram(stuck_chat=CHAT_A)
    app = build_application(settings, db=db, clock=clock, request=telegram, rate_limiter=False)
    await app.initialize()
    try:
        first_a = asyncio.create_task(
            feed(app, make.message(app.bot, user_id=CHAT_A, text="/bantuan"))
        )
        await asyncio.wait_for(telegram.arrival(CHAT_A).wait(), HANG)
        second_a = asyncio.create_task(
            feed(app, make.message(app.bot, user_id=CHAT_A, text="/bahasa"))
        )
        only_b = asyncio.create_task(
            feed(app, make.message(app.bot, user_id=CHAT_B, text="/bantuan"))
        )
        await asyncio.wait_for(only_b, HANG)
        assert "Cara kerja penilaian kinerja" in telegram.last(CHAT_B)["text"]
        assert telegram.sent(CHAT_A) == []  # A's first reply is still stuck, its second waits
    finally:
        telegram.release.set()
    await asyncio.wait_for(asyncio.gather(first_a, second_a), HANG)
    await app.shutdown()
    texts = telegram.texts(CHAT_A)
    assert len(texts) == 2
    assert "Cara kerja penilaian kinerja" in texts[0]  # /bantuan, then /bahasa: in the order sent
    assert "English" in texts[1]


async def test_a_replayed_update_is_answered_once_even_when_it_arrives_alongside_others(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The same update id twice, among other chats' updates at the same time: one answer."""
    update = make.message(app.bot, user_id=CHAT_A, text="/bantuan")
    others = [make.message(app.bot, user_id=chat, text="/bantuan") for chat in (CHAT_B, CHAT_C)]
    await asyncio.gather(
        feed(app, update), *(feed(app, other) for other in others), feed(app, update)
    )
    assert len(recorder.sent(CHAT_A)) == 1
    assert len(recorder.sent(CHAT_B)) == len(recorder.sent(CHAT_C)) == 1
    async with db.session() as session:
        claimed = (await session.exec(select(func.count()).select_from(ProcessedUpdate))).one()
    assert claimed == 3


async def test_a_bantuan_reads_the_database_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The language of a linked employee is one query: the work per update stays small."""
    sari = await factories.employee(db, serial=40, telegram_user_id=CHAT_A)
    async with db.session() as session:
        stored = await session.get(Employee, sari.id)
        assert stored is not None
        stored.language = "en"
        session.add(stored)
        await session.commit()
    selects: list[str] = []

    def count(_conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        await feed(app, make.message(app.bot, user_id=CHAT_A, text="/bantuan"))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert "How civil-servant performance appraisal works" in recorder.last(CHAT_A)["text"]
    assert len(selects) == 1, selects
