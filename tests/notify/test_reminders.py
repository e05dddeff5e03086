"""A quarter on a moving clock: reminders, escalations and digests go out at their times, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.app import KinerjaApp
from bot.db.models import Cycle, Employee, Outbox, Target
from bot.db.session import Database
from bot.domain import EvidenceStatus, TargetStatus
from bot.notify.scheduler import scheduler_of
from bot.notify.simulation import SimulatedClock, advance_to
from bot.services.phases import Phase
from tests.conftest import FakeClock
from tests.notify.conftest import ADMIN_CHAT, FlakyRequest
from tests.support import factories, factories_notify
from tests.support.factories_notify import Team

WIB = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    """A moment in Bangko's time, as the aware UTC the clock keeps."""
    return datetime(*parts, tzinfo=WIB).astimezone(UTC)  # type: ignore[misc]


@dataclass
class Office:
    """Dinas Kesehatan in Triwulan I 2026: a head of office, a section head, four staff."""

    cycle: Cycle
    boss: Employee
    team: Team
    unlinked: Employee

    @property
    def ready(self) -> Employee:
        """Staf 1: two approved targets, verified evidence for one."""
        return self.team.staff[0]

    @property
    def idle(self) -> Employee:
        """Staf 2: no targets at all."""
        return self.team.staff[1]

    @property
    def waiting(self) -> Employee:
        """Staf 3: targets proposed, waiting for the section head."""
        return self.team.staff[2]


@pytest.fixture
async def office(db: Database) -> Office:
    """The office and its state at the start of the quarter."""
    cycle = await factories.cycle(db)
    boss = await factories.employee(db, name="Kepala Dinas", telegram_user_id=70_100)
    team = await factories_notify.team(db, size=3, boss=boss)
    unlinked = await factories.employee(db, name="Staf Tanpa Telegram", superior=team.head)
    done = await factories_notify.target(db, cycle, team.staff[0], indicator="Dokumen SOP")
    await factories_notify.target(db, cycle, team.staff[0], indicator="Laporan bulanan")
    await factories_notify.evidence(db, done, status=EvidenceStatus.VERIFIED)
    await factories_notify.target(db, cycle, team.staff[2], status=TargetStatus.PROPOSED)
    return Office(cycle, boss, team, unlinked)


def _chat(person: Employee) -> int:
    assert person.telegram_user_id is not None
    return person.telegram_user_id


async def _sent_rows(db: Database, prefix: str) -> list[tuple[str, datetime | None]]:
    """(dedupe key, sent at) of the outbox rows whose key starts with ``prefix``."""
    async with db.session() as session:
        query = select(Outbox).where(col(Outbox.dedupe_key).startswith(prefix))
        rows = (await session.exec(query.order_by(col(Outbox.id)))).all()
    return [(row.dedupe_key, row.sent_at) for row in rows]


async def test_targets_reminders_and_escalation_through_january(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """Reminders 3 and 1 days before 15 January at 08:00 WIB; late lists on Monday the 19th."""
    await advance_to(app, quarter_clock, wib(2026, 1, 20, 9, 0))

    idle = flaky.sent(_chat(office.idle))
    assert len(idle) == 2
    assert "Batas waktunya 3 hari lagi" in idle[0]["text"]
    assert "Batas waktunya besok" in idle[1]["text"]
    assert "Anda belum mengajukan target SKP" in idle[0]["text"]
    assert idle[0]["reply_markup"]["inline_keyboard"] == [
        [{"text": "📝 Ajukan target SKP", "callback_data": "a:remind_open:1"}]
    ]
    head = flaky.texts(_chat(office.team.head))
    assert "menunggu keputusan Anda: Staf 3" in head[0]
    assert "Anda belum mengajukan target SKP" in head[0]  # one message for both
    assert flaky.sent(_chat(office.ready)) == []  # her targets are approved: nothing owed
    assert flaky.sent(_chat(office.waiting)) == []  # her superior owes the next step

    sent = dict(await _sent_rows(db, "remind:"))
    idle_id = office.idle.id
    assert sent[f"remind:1:2026-01-12:targets:{idle_id}"] == wib(2026, 1, 12, 8, 0)
    assert sent[f"remind:1:2026-01-14:targets:{idle_id}"] == wib(2026, 1, 14, 8, 0)

    # Friday 16 January is Isra Mi'raj: superiors and BKPSDM hear on Monday the 19th.
    late = head[-1]
    assert "Lewat batas waktu: Target (SKP)" in late
    assert "Staf 2 Dinas Kesehatan" in late
    assert "Staf Tanpa Telegram" in late
    assert "Staf 1" not in late
    above = flaky.texts(_chat(office.boss))[-1]
    assert "Kepala Dinas Kesehatan (NIP" in above
    assert "belum memutuskan usulan target 1 bawahan (Staf 3 Dinas Kesehatan)" in above
    [summary] = flaky.texts(ADMIN_CHAT)
    assert "Dinas Kesehatan: 1/6 (17%)" in summary
    assert dict(await _sent_rows(db, "late:"))[f"late:1:targets:{office.team.head.id}"] == (
        wib(2026, 1, 19, 8, 0)
    )


async def test_end_of_quarter_reminders_combine_phases_and_escalate_raters(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """Evidence and feedback due the same week: one message with both; late raters go up."""
    assignment = await factories_notify.assignment(db, office.cycle, office.ready, office.idle)
    await factories_notify.assignment(db, office.cycle, office.idle, office.ready)
    quarter_clock.now = wib(2026, 3, 1, 0, 0)
    await advance_to(app, quarter_clock, wib(2026, 4, 14, 9, 0))

    ready = flaky.texts(_chat(office.ready))
    # Evidence and feedback are both due Good Friday 3 April: reminders on Tuesday 31 March and
    # Thursday 2 April, each one message with both.
    assert "Belum ada bukti kerja untuk 1 target: Laporan bulanan" in ready[0]
    assert "Umpan balik untuk 1 rekan belum Anda isi: Staf 2 Dinas Kesehatan" in ready[0]
    assert "Bukti kerja" in ready[1]
    assert "Umpan balik untuk 1 rekan" in ready[1]
    buttons = flaky.sent(_chat(office.ready))[1]["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in buttons] == ["a:remind_open:2", "a:remind_open:3"]
    assert len(ready) == 2

    head = flaky.texts(_chat(office.team.head))
    late_evidence = next(text for text in head if "Lewat batas waktu: Bukti kerja" in text)
    assert "Staf 1 Dinas Kesehatan" in late_evidence
    assert "Laporan bulanan" in late_evidence
    # The late list says how many answers are missing, never whom a rater still owes them.
    late_feedback = next(text for text in head if "Lewat batas waktu: Umpan balik rekan" in text)
    lines = [line for line in late_feedback.splitlines() if line.startswith("• ")]
    assert [line.split(" (NIP")[0] for line in lines] == [
        "• Staf 1 Dinas Kesehatan",
        "• Staf 2 Dinas Kesehatan",
    ]
    for line in lines:
        assert line.endswith("umpan balik belum diisi: 1 jawaban")
    assessment = [text for text in head if "bawahan belum Anda nilai" in text]
    assert len(assessment) == 2  # 7 and 9 April, before the 10 April deadline
    assert "1 bawahan belum Anda nilai: Staf 1 Dinas Kesehatan" in assessment[0]
    boss = flaky.texts(_chat(office.boss))
    assert any("Lewat batas waktu: Penilaian atasan" in text for text in boss)
    assert assignment.id is not None


async def test_ticking_again_plans_nothing_twice(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, office: Office
) -> None:
    """The same tick at the same moment (two workers, a restart) adds no row."""
    quarter_clock.now = wib(2026, 1, 12, 8, 30)
    scheduler = scheduler_of(app)
    first = await scheduler.planner.tick()
    second = await scheduler.planner.tick()
    assert first.reminders == 3  # Staf 2, the section head and the head of office
    assert second.planned == 0
    assert second.opened == second.closed == ()
    async with db.session() as session:
        assert len((await session.exec(select(Outbox))).all()) == 3


async def test_reminders_planned_at_night_wait_for_the_morning(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """The bot comes up Wednesday 19:00, after both reminder days: one reminder, Thursday 08:00."""
    quarter_clock.now = wib(2026, 1, 14, 19, 0)
    report = await scheduler_of(app).planner.tick()
    assert report.reminders == 3
    await scheduler_of(app).drain_now()
    assert flaky.sent(_chat(office.idle)) == []
    await advance_to(app, quarter_clock, wib(2026, 1, 15, 12, 0))
    assert len(flaky.sent(_chat(office.idle))) == 1
    assert dict(await _sent_rows(db, "remind:"))[
        f"remind:1:2026-01-14:targets:{office.idle.id}"
    ] == wib(2026, 1, 15, 8, 0)


async def test_old_news_is_not_sent_after_a_long_outage(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """Down from 10 to 26 January: no stale reminders, no late list a week old."""
    quarter_clock.now = wib(2026, 1, 26, 9, 0)
    report = await scheduler_of(app).planner.tick()
    assert (report.reminders, report.late_lists, report.summaries) == (0, 0, 0)
    assert (office.cycle.name, Phase.TARGETS) in report.closed
    assert (office.cycle.name, Phase.EVIDENCE) in report.opened
    assert flaky.calls == []


async def test_people_who_cannot_be_reached_are_not_reminded(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """Unlinked and unreachable people get no reminder; they still appear in the late list."""
    await app.bot_data["deps"].outbox.set_reachable(_chat(office.idle), reachable=False)
    quarter_clock.now = wib(2026, 1, 12, 7, 0)
    await advance_to(app, quarter_clock, wib(2026, 1, 19, 9, 0))
    assert flaky.sent(_chat(office.idle)) == []
    late = flaky.texts(_chat(office.team.head))[-1]
    assert "Staf 2 Dinas Kesehatan" in late
    assert "Staf Tanpa Telegram" in late


async def test_superiors_get_the_daily_evidence_digest(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest, office: Office
) -> None:
    """Evidence sent Tuesday afternoon reaches the section head's digest on Wednesday 08:00."""
    quarter_clock.now = wib(2026, 2, 3, 7, 0)  # Tuesday morning: nothing new yet
    await advance_to(app, quarter_clock, wib(2026, 2, 3, 9, 0))
    assert flaky.texts(_chat(office.team.head)) == []
    [target] = [t for t in await _targets(db, office.ready) if t.indicator == "Laporan bulanan"]
    await factories_notify.evidence(db, target, at=wib(2026, 2, 3, 14, 0))
    await factories_notify.evidence(db, target, at=wib(2026, 2, 3, 15, 0))
    await factories_notify.evidence(
        db, target, at=wib(2026, 2, 3, 15, 30), status=EvidenceStatus.VERIFIED
    )
    await advance_to(app, quarter_clock, wib(2026, 2, 5, 9, 0))
    [digest] = flaky.sent(_chat(office.team.head))
    assert "Staf 1 Dinas Kesehatan: 2 menunggu tinjauan" in digest["text"]
    assert digest["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a:remind_open:6"
    assert dict(await _sent_rows(db, "digest:"))[f"digest:2026-02-04:{office.team.head.id}"] == wib(
        2026, 2, 4, 8, 0
    )


async def _targets(db: Database, owner: Employee) -> list[Target]:
    async with db.session() as session:
        query = select(Target).where(col(Target.employee_id) == owner.id)
        return list((await session.exec(query)).all())


async def test_a_simulation_reports_each_stop_and_never_goes_back(
    app: KinerjaApp, quarter_clock: FakeClock, office: Office
) -> None:
    """advance_to ticks at each working morning on the way and refuses to move time back."""
    stops: list[tuple[datetime, int]] = []

    async def seen(report: object, sent: int) -> None:
        stops.append((quarter_clock.now, sent))

    await advance_to(app, quarter_clock, wib(2026, 1, 9, 12, 0), on_tick=seen)
    assert [moment for moment, _ in stops] == [
        wib(2026, 1, day, 8, 0) for day in (2, 5, 6, 7, 8, 9)
    ] + [wib(2026, 1, 9, 12, 0)]
    with pytest.raises(ValueError, match="back"):
        await advance_to(app, quarter_clock, quarter_clock.now - timedelta(hours=1))
    assert all(sent == 0 for _, sent in stops)


def test_the_simulated_clock_keeps_aware_utc_time() -> None:
    """The demo's clock starts where it is told, in UTC, and refuses a time without a zone."""
    clock = SimulatedClock(datetime(2026, 1, 1, 8, 0, tzinfo=WIB))
    assert clock() == datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        SimulatedClock(datetime(2026, 1, 1, 8, 0))
