"""Chapter: targets (SKP). BKPSDM imports the agreed targets; at Puskesmas Bangko three people
propose theirs in chat and their head approves, returns one with a note, approves the fix; the
scheduler reminds whoever still has no target and, after the deadline, tells the head who is
late; BKPSDM then imports the late person's target agreed on paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import col, func, select

from bot.db.models import Target
from bot.demo.chat import Chat, form_values, item_ids, shown
from bot.demo.plans import Plan, plan_of
from bot.demo.story import Stage, moment
from bot.domain import TargetKind, TargetStatus
from bot.services.audit import Actor
from bot.services.reminders import REMIND_ACTION, RemindJourney
from bot.services.sheets import write_csv_rows
from bot.services.targets import TargetAction
from bot.services.targets.importer import TargetImportReport, import_targets, read_targets

FILE = "target.csv"
COLUMNS = ("nip", "periode", "rhk", "rhk_atasan", "jenis", "indikator", "target", "satuan", "arah")
UNIT = "Puskesmas Bangko"
RETURN_NOTE = "Target terlalu rendah: bulan lalu saja sudah 150 pasien. Mohon dinaikkan."
LOW_FIRST = Decimal(300)  # the proposal that is returned


@dataclass(frozen=True, slots=True)
class TargetsStory:
    """What the chapter did, for the summary."""

    imported: TargetImportReport
    late_import: TargetImportReport
    in_chat: int
    reminded: str  # who got the reminder shown
    reminder: str  # the reminder as they saw it
    boss: str  # who got the list of who is late
    late_list: str  # the list as they saw it


def write_targets(stage: Stage, path: Path, cycle: str, people: Iterable[int]) -> None:
    """BKPSDM's file of agreed targets, each RHK supporting the superior's."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        rows: list[tuple[str, ...]] = [COLUMNS]
        for index in people:
            member = stage.members[index]
            plan = plan_of(member.person)
            boss = stage.members[member.superior].person if member.superior is not None else None
            above = plan_of(boss).rhk if boss else ""
            for item in plan.indicators:
                head = (member.person.nip, cycle, plan.rhk, above, TargetKind.UTAMA.value)
                rows.append((*head, item.text, str(item.target), item.unit, item.arah))
        write_csv_rows(handle, rows)


async def _target(stage: Stage, index: int, status: TargetStatus) -> int:
    """The id of the person's newest target with this status."""
    async with stage.db.session() as session:
        query = select(Target.id).where(
            col(Target.employee_id) == stage.members[index].employee_id,
            col(Target.status) == status,
        )
        found = (await session.exec(query.order_by(col(Target.id).desc()))).first()
    return stage.require(found, "target_missing", f"{stage.members[index].name}: {status}")


async def _fill(chat: Chat, plan: Plan, value: Decimal) -> None:
    """Answer the proposal form: RHK, the superior's RHK, utama, indicator, satuan, arah, value."""
    first = plan.indicators[0]
    question = await chat.say(plan.rhk)
    cascade = [v for v in form_values(question) if v.startswith("s")]
    if cascade:
        await chat.choose(cascade[0])
    await chat.choose(TargetKind.UTAMA.value)
    await chat.say(first.text)
    await chat.say(first.unit)
    await chat.choose(first.direction.value)
    await chat.say(str(value))
    await chat.choose("_send")


async def _decide(stage: Stage, boss: int, person: int, *, approve: bool) -> None:
    """The head reads the proposal's card and approves it, or returns it with a note."""
    chat, target = stage.chat(boss), await _target(stage, person, TargetStatus.PROPOSED)
    await stage.settle()
    await chat.notice(lambda m: target in item_ids(m, TargetAction.APPROVE))
    if approve:
        await chat.tap(TargetAction.APPROVE, target)
    else:
        await chat.act(TargetAction.RETURN, target)
        await chat.say(RETURN_NOTE)
    expected = TargetStatus.APPROVED if approve else TargetStatus.RETURNED
    async with stage.db.session() as session:
        row = await session.get(Target, target)
        stage.check(row is not None and row.status is expected, "target_not_decided")


async def _in_chat(stage: Stage, boss: int, first: int, second: int) -> None:
    """Two proposals; one approved, one returned, fixed and approved."""
    names = {"boss": stage.members[boss].name}
    for index, value in ((first, None), (second, LOW_FIRST)):
        plan = plan_of(stage.members[index].person)
        await stage.chat(index).say("/target")  # no target yet: straight into the form
        await _fill(stage.chat(index), plan, value or plan.indicators[0].target)
    stage.line(
        "targets_proposed",
        first=stage.members[first].name,
        second=stage.members[second].name,
        **names,
    )
    await _decide(stage, boss, first, approve=True)
    await _decide(stage, boss, second, approve=False)
    stage.line(
        "targets_returned",
        first=stage.members[first].name,
        second=stage.members[second].name,
        note=RETURN_NOTE,
        **names,
    )
    chat, plan = stage.chat(second), plan_of(stage.members[second].person)
    await stage.settle()
    await chat.say("/target")
    await chat.act(TargetAction.REVISE, await _target(stage, second, TargetStatus.RETURNED))
    await _fill(chat, plan, plan.indicators[0].target)
    await _decide(stage, boss, second, approve=True)
    stage.line("targets_revised", name=stage.members[second].name, **names)


async def _after_reminder(stage: Stage, boss: int, person: int) -> str:
    """The scheduler's reminder; the person taps its button and proposes."""
    chat = stage.chat(person)
    mark = chat.mark()
    await stage.advance(moment(1, 12))
    reminder = await chat.notice(lambda m: bool(item_ids(m, REMIND_ACTION)), since=mark)
    await stage.advance(moment(1, 12, 9))
    await chat.act(REMIND_ACTION, RemindJourney.TARGETS.value)
    await _fill(
        chat,
        plan_of(stage.members[person].person),
        plan_of(stage.members[person].person).indicators[0].target,
    )
    await _decide(stage, boss, person, approve=True)
    stage.line("targets_reminded", name=stage.members[person].name, boss=stage.members[boss].name)
    return shown(reminder)


async def _count(stage: Stage) -> tuple[int, int]:
    """Approved indicators, and people with at least one."""
    async with stage.db.session() as session:
        approved = col(Target.status) == TargetStatus.APPROVED
        indicators = (await session.exec(select(func.count()).where(approved))).one()
        people = select(func.count(func.distinct(Target.employee_id))).where(approved)
        return int(indicators), int((await session.exec(people)).one())


async def agree_targets(stage: Stage, folder: Path, cycle: str) -> TargetsStory:
    """Play the chapter (2 to 19 January); see the module."""
    boss = stage.find("Kepala Puskesmas Bangko", UNIT)
    first, second, late_chat, late = (
        stage.find(post, UNIT) for post in ("Dokter", "Bidan", "Apoteker", "Pengadministrasi Umum")
    )
    in_chat = {first, second, late_chat}
    path = folder / FILE
    write_targets(
        stage, path, cycle, [m.index for m in stage.members if m.index not in {*in_chat, late}]
    )
    await stage.advance(moment(1, 5, 9))
    imported = await import_targets(
        stage.db, read_targets(path), now=stage.clock(), actor=Actor.cli()
    )
    stage.check(not imported.problems, "targets_import", str(imported.problems[:3]))
    stage.line("targets_imported", file=FILE, report=imported, people=len(stage.members) - 4)
    await stage.advance(moment(1, 5, 10))
    await _in_chat(stage, boss, first, second)
    reminder = await _after_reminder(stage, boss, late_chat)
    chat = stage.chat(boss)
    mark = chat.mark()
    await stage.advance(moment(1, 19))
    late_list = await chat.notice(lambda m: True, since=mark)
    await stage.advance(moment(1, 19, 9))
    write_targets(stage, path, cycle, [m.index for m in stage.members if m.index not in in_chat])
    late_import = await import_targets(
        stage.db, read_targets(path), now=stage.clock(), actor=Actor.cli()
    )
    stage.line("targets_late_import", file=FILE, report=late_import, name=stage.members[late].name)
    indicators, people = await _count(stage)
    stage.check(people == len(stage.members), "targets_incomplete", f"{people} people")
    stage.line("targets_done", indicators=indicators, people=people)
    return TargetsStory(
        imported=imported,
        late_import=late_import,
        in_chat=len(in_chat),
        reminded=stage.members[late_chat].name,
        reminder=reminder,
        boss=stage.members[boss].name,
        late_list=shown(late_list),
    )
