"""Who may do what to one employee's appraisal: every command and every button, by nine roles.

The table below is the whole access policy around one employee, Sari (see ``world.py`` for the
organisation and what she has in each phase). Each row is a command, a button kind pressed with
the real callback data of Sari's item, or a form button; each column a role; each cell what the
role gets:

- ``ALLOW``: the role sees Sari's item (her data reaches them) or changes it, as the row says;
- ``OWN``: the command works for the role, about the role's own affairs only: nothing of
  Sari's reaches them and nothing of hers changes;
- ``REFUSE``: the role is refused: nothing of Sari's reaches them, nothing of hers changes,
  nothing the role did is recorded as done (only refusals in the audit log), and no message is
  queued for anyone.

"Sari's data" is her name and NIP, the texts of her targets, her evidence's note and link, her
superior's written reasons, her objection and the question put to her, searched for in every
Bot API call the bot makes in the cell (texts, button labels, toasts). "Changes" is read in the
database: her targets, evidence, feedback, assessments, results, objections and their notes.
Every cell starts from the same world and must get an answer from the bot, so a silent drop
cannot pass for a refusal.

Roles: ``emp`` Sari herself; ``peer`` a colleague of her unit who is to rate her; ``sup`` her
direct superior, who rates her; ``sup2`` his superior, who decides her objection; ``unit`` the
named head of her unit (above sup2); ``opd`` the named head of her OPD; ``opd2`` the named head
of another OPD; ``admin`` a BKPSDM admin; ``anon`` a Telegram account linked to nobody.

Rows: ``/x`` a command; a bare name an ``ItemAction`` button kind (``remind_open:x`` a
reminder's button for journey x, which does what that journey's command does); ``f:...`` a form
button (``FormAnswer``):
``superior_form`` presses the button of the question Sari's superior has open about her,
``penilaian``/``bukti``/``terbitkan`` choose her (her target, her unit) in the presser's own
form of that command, with a forged value where it is not among their options; ``p:x`` a page
button (``PageTurn``) of list x, which builds the list again for the presser: pressed with the
id its real button carries by the role the table lets see it (0, "the presser's own", for every
list but a case's, whose id is her objection), and by everyone else with forged ids naming Sari
or the one whose list shows her (her peer's list to rate, her superior's team results, the
decider's cases).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlmodel import col, or_, select

from bot.app import KinerjaApp, build_application
from bot.callbacks import FormAnswer, ItemAction, PageTurn
from bot.config import Settings
from bot.db.models import (
    Assessment,
    AuditEvent,
    Draft,
    Evidence,
    Feedback,
    FeedbackAssignment,
    Objection,
    ObjectionNote,
    Outbox,
    Result,
    Target,
    UnitResult,
)
from bot.db.session import Database
from bot.domain import EvidenceStatus, ObjectionDecision, ObjectionStatus, TargetStatus
from bot.forms.spec import SEND
from bot.handlers import ACTIONS, PAGES
from bot.handlers.context import DEPS_KEY, Deps
from bot.handlers.menu import COMMANDS, JOURNEYS
from bot.handlers.reminders import ENTRIES
from bot.services.drafts import DraftState
from bot.services.reminders import REMIND_ACTION, RemindJourney
from bot.services.targets import TargetAction
from scoring import Rating
from tests.access import world as w
from tests.conftest import FakeClock
from tests.support import chat
from tests.support.recording import TEST_TOKEN, RecordingRequest

MATRIX = """
                             emp    peer   sup    sup2   unit   opd    opd2   admin  anon
/start                       ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN
/target                      ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
/usulan                      OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
/bukti                       ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
/tim                         OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
/umpanbalik                  OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
/penilaian                   OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
/terbitkan                   OWN    OWN    OWN    OWN    OWN    ALLOW  OWN    ALLOW  REFUSE
/hasil                       ALLOW  OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
/keberatan                   ALLOW  OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    REFUSE
/bantuan                     OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN
/bahasa                      OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN
/lanjut                      OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    OWN
/batal                       OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN    OWN
target_approve               REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
target_return                REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
target_new                   ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
target_more                  ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
target_revise                ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
superior_wrong               ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
target_read                  ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
ev_verify                    REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
ev_fix                       REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
ev_files                     REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
ev_read                      REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
feedback_rate                REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
result                       ALLOW  REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
obj_file                     ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
obj_case                     REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
obj_ask_rater                REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
obj_ask_emp                  REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
obj_keep                     REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
obj_change                   REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
obj_reply                    ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
remind_open:targets          ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
remind_open:evidence         ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
remind_open:feedback         OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
remind_open:assessment       OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
remind_open:target_review    OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
remind_open:evidence_review  OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
f:superior_form              REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
f:penilaian                  REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
f:bukti                      ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE REFUSE
f:terbitkan                  REFUSE REFUSE REFUSE REFUSE REFUSE ALLOW  REFUSE ALLOW  REFUSE
p:targets                    ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
p:feedback                   OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    OWN    REFUSE
p:results                    ALLOW  OWN    ALLOW  OWN    OWN    OWN    OWN    OWN    REFUSE
p:objections                 ALLOW  OWN    OWN    ALLOW  OWN    OWN    OWN    OWN    REFUSE
p:case                       REFUSE REFUSE REFUSE ALLOW  REFUSE REFUSE REFUSE REFUSE REFUSE
"""

ALLOW, OWN, REFUSE = "ALLOW", "OWN", "REFUSE"


def parse(table: str) -> dict[str, dict[str, str]]:
    """The table as {row: {role: cell}}; refuses a malformed one."""
    header, *lines = [line.split() for line in table.strip().splitlines()]
    assert tuple(header) == w.ROLES, f"the columns must be {w.ROLES}, got {header}"
    policy: dict[str, dict[str, str]] = {}
    for label, *cells in lines:
        assert label not in policy, f"row {label} appears twice"
        assert len(cells) == len(header), f"row {label} has {len(cells)} cells"
        assert set(cells) <= {ALLOW, OWN, REFUSE}, f"row {label}: unknown cell in {cells}"
        policy[label] = dict(zip(header, cells, strict=True))
    return policy


POLICY = parse(MATRIX)


# --- the stage: one application on one database, put back to the world before every cell ---


@dataclass
class Stage:
    """The running bot, its fake Bot API and clock, the world and the snapshot to restore."""

    app: KinerjaApp
    db: Database
    clock: FakeClock
    recorder: RecordingRequest
    world: w.World
    snapshot: w.Snapshot
    last_audit: int
    last_outbox: int
    hers: dict[bool, dict[str, list[Any]]] = field(default_factory=dict)

    async def hers_before(self, *, superior_form: bool) -> dict[str, list[Any]]:
        """Sari's rows in the world as built (read once)."""
        if superior_form not in self.hers:
            self.hers[superior_form] = await her_rows(self, superior_form=superior_form)
        return self.hers[superior_form]

    @property
    def deps(self) -> Deps:
        """The application's services."""
        deps: Deps = self.app.bot_data[DEPS_KEY]
        return deps


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stage(
    postgres_templates: Any, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stage]:
    """The world built once (per test process) on a database of its own (SQLite or PostgreSQL)."""
    folder = tmp_path_factory.mktemp("matrix")
    if postgres_templates is None:
        shutil.copyfile(sqlite_template, folder / "kinerja.db")
        url, name = f"sqlite+aiosqlite:///{folder / 'kinerja.db'}", None
    else:
        name = await postgres_templates.fresh()
        url = postgres_templates.url_of(name)
    db = Database(url)
    clock, recorder = FakeClock(w.NOW), RecordingRequest()
    settings = Settings(
        _env_file=None, telegram_bot_token=TEST_TOKEN, database_url=url, data_dir=folder
    )
    app = build_application(settings, db=db, clock=clock, request=recorder, rate_limiter=False)
    await app.initialize()
    try:
        world = await w.build(app, db, clock, recorder)
        async with db.session() as session:
            audit = max((await session.exec(select(AuditEvent.id))).all(), default=0)
            outbox = max((await session.exec(select(Outbox.id))).all(), default=0)
        snapshot = await w.Snapshot.take(db)
        yield Stage(app, db, clock, recorder, world, snapshot, audit, outbox)
    finally:
        await app.shutdown()
        await db.dispose()
        if name is not None:
            await postgres_templates.drop(name)


# --- one cell: a role acts, and what reached them and what changed is read -------------------


@dataclass(frozen=True)
class Tap:
    """A form button to press (a plain string is typed instead)."""

    value: str


SEND_IT = Tap(SEND)


@dataclass
class Cell:
    """One role acting in the world, with what the bot sent them."""

    stage: Stage
    role: str

    @property
    def world(self) -> w.World:
        """The world's ids."""
        return self.stage.world

    @property
    def tg(self) -> int:
        """The actor's Telegram id."""
        return self.world.tg(self.role)

    async def say(self, text: str) -> None:
        """The actor sends a message or command in their private chat."""
        first_name = self.world.people[self.role].first_name
        await chat.say(self.stage.app, self.tg, text, first_name=first_name)

    async def press(self, data: str) -> None:
        """The actor presses a button carrying ``data``."""
        await chat.press(self.stage.app, self.tg, data)

    async def draft(self, form: str | None = None) -> DraftState | None:
        """The actor's open form (only when it is ``form``, if given)."""
        draft = await self.stage.deps.drafts.current(self.tg)
        return draft if draft is not None and form in (None, draft.form) else None

    async def choose(self, form: str, value: str) -> None:
        """Press ``value`` on the actor's open ``form``; on no such form, a press nobody has."""
        draft = await self.draft(form)
        await self.press(FormAnswer(*((draft.id, draft.seq) if draft else (0, 0)), value).encode())

    async def go_on(self, form: str, *answers: str | Tap) -> None:
        """Answer the actor's open ``form`` step by step, while it stays open."""
        for answer in answers:
            draft = await self.draft(form)
            if draft is None:
                return
            if isinstance(answer, Tap):
                await self.press(FormAnswer(draft.id, draft.seq, answer.value).encode())
            else:
                await self.say(answer)

    def calls(self) -> list[dict[str, Any]]:
        """Every Bot API call of the cell, as method and parameters."""
        return [{"method": c.method, **c.params} for c in self.stage.recorder.calls]

    def received(self, text: str) -> bool:
        """Whether ``text`` reached the actor (spaces ignored, so a spaced NIP counts)."""
        return _compact(text) in _compact(json.dumps(self.calls(), ensure_ascii=False, default=str))

    def revealed(self) -> list[str]:
        """Which of Sari's data reached the actor."""
        return [secret for secret in self.world.secrets if self.received(secret)]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def her_rows(stage: Stage, *, superior_form: bool = False) -> dict[str, list[Any]]:
    """Sari's stored appraisal, row by row (and her superior's open form on her, if asked)."""
    world, sari = stage.world, stage.world.sari.id
    async with stage.db.session() as session:

        async def rows(query: Any) -> list[Any]:
            return [row.model_dump() for row in (await session.exec(query)).all()]

        assignments = select(FeedbackAssignment.id).where(
            or_(col(FeedbackAssignment.ratee_id) == sari, col(FeedbackAssignment.rater_id) == sari)
        )
        objections = select(Objection.id).where(col(Objection.employee_id) == sari)
        found = {
            "targets": await rows(select(Target).where(col(Target.employee_id) == sari)),
            "evidence": await rows(select(Evidence).where(col(Evidence.employee_id) == sari)),
            "assignments": await rows(
                select(FeedbackAssignment).where(col(FeedbackAssignment.id).in_(assignments))
            ),
            "feedback": await rows(
                select(Feedback).where(col(Feedback.assignment_id).in_(assignments))
            ),
            "assessments": await rows(
                select(Assessment).where(col(Assessment.employee_id) == sari)
            ),
            "results": await rows(select(Result).where(col(Result.employee_id) == sari)),
            "objections": await rows(select(Objection).where(col(Objection.employee_id) == sari)),
            "notes": await rows(
                select(ObjectionNote).where(col(ObjectionNote.objection_id).in_(objections))
            ),
            "unit": await rows(
                select(UnitResult).where(col(UnitResult.unit_id) == world.section.id)
            ),
        }
        if superior_form:
            found["superior_form"] = await rows(
                select(Draft).where(col(Draft.telegram_user_id) == world.tg("sup"))
            )
    for table in found.values():
        table.sort(key=lambda row: row["id"])
    return found


async def done_by(stage: Stage, telegram_id: int) -> list[str]:
    """What the actor is recorded in the audit log as having done in this cell (not refusals)."""
    async with stage.db.session() as session:
        query = select(AuditEvent.action).where(
            col(AuditEvent.id) > stage.last_audit, col(AuditEvent.actor_telegram_id) == telegram_id
        )
        actions = (await session.exec(query)).all()
    return [action for action in actions if not action.endswith("refused")]


async def queued(stage: Stage) -> list[str]:
    """Notifications queued in this cell (a refusal tells nobody anything)."""
    async with stage.db.session() as session:
        query = select(Outbox.template).where(col(Outbox.id) > stage.last_outbox)
        return list((await session.exec(query)).all())


# --- what each row does, and what "allowed" means for it --------------------------------------

Act = Callable[[Cell], Awaitable[None]]
Allowed = Callable[[Cell], Awaitable[str | None]]  # None: the allowed thing happened


@dataclass(frozen=True)
class Row:
    """How a role performs the row's action, and how a cell sees that it was allowed."""

    act: Act
    allowed: Allowed
    superior_form: bool = False  # the superior's open form on Sari must not move either


async def shows(cell: Cell) -> str | None:
    """Allowed to see: some of Sari's data reached the actor."""
    return None if cell.revealed() else "nothing of Sari's reached them"


def reads_whole(end: str) -> Allowed:
    """Allowed to read an item in full: the end of its text, past every clip, reached them."""

    async def check(cell: Cell) -> str | None:
        return None if cell.received(end) else "the item's whole text did not reach them"

    return check


def opens(form: str) -> Allowed:
    """Allowed to start: the form about Sari's item is open for the actor."""

    async def check(cell: Cell) -> str | None:
        return None if await cell.draft(form) else f"the {form!r} form did not open"

    return check


def stored(what: str, test: Callable[[Stage], Awaitable[bool]]) -> Allowed:
    """Allowed to change: the database shows it."""

    async def check(cell: Cell) -> str | None:
        return None if await test(cell.stage) else f"{what} did not happen"

    return check


def command(name: str) -> Row:
    """The actor sends /name."""

    async def act(cell: Cell) -> None:
        await cell.say(f"/{name}")

    return Row(act, shows)


def button(
    action: str,
    item: Callable[[w.World], int],
    allowed: Allowed,
    *answers: str | Tap,
    form: str = "",
) -> Row:
    """The actor presses ``ItemAction(action, Sari's item)``, then answers ``form`` if it opened."""

    async def act(cell: Cell) -> None:
        await cell.press(ItemAction(action, item(cell.world)).encode())
        await cell.go_on(form, *answers)

    return Row(act, allowed)


def _id(row: Any) -> int:
    value: int = row.id
    return value


async def _row(stage: Stage, model: Any, key: int) -> Any:
    async with stage.db.session() as session:
        return await session.get(model, key)


def target_now(which: str, status: TargetStatus) -> Callable[[Stage], Awaitable[bool]]:
    async def test(stage: Stage) -> bool:
        found = await _row(stage, Target, getattr(stage.world, which).id)
        return found is not None and found.status is status

    return test


def evidence_now(status: EvidenceStatus) -> Callable[[Stage], Awaitable[bool]]:
    async def test(stage: Stage) -> bool:
        found = await _row(stage, Evidence, stage.world.evidence.id)
        return found is not None and found.status is status

    return test


def decided(decision: ObjectionDecision) -> Callable[[Stage], Awaitable[bool]]:
    async def test(stage: Stage) -> bool:
        found = await _row(stage, Objection, stage.world.objection)
        return found.status is ObjectionStatus.DECIDED and found.decision is decision

    return test


def question_to(role: str) -> Callable[[Stage], Awaitable[bool]]:
    async def test(stage: Stage) -> bool:
        person = stage.world.people[role].employee
        async with stage.db.session() as session:
            query = select(ObjectionNote).where(
                col(ObjectionNote.objection_id) == stage.world.objection,
                col(ObjectionNote.addressed_to) == (person.id if person else None),
                col(ObjectionNote.reply_to_id).is_(None),
            )
            return len((await session.exec(query)).all()) == (2 if role == "emp" else 1)

    return test


async def answered(stage: Stage) -> bool:
    async with stage.db.session() as session:
        query = select(ObjectionNote).where(col(ObjectionNote.reply_to_id) == stage.world.question)
        return (await session.exec(query)).first() is not None


async def objected_to_year(stage: Stage) -> bool:
    async with stage.db.session() as session:
        query = select(Objection).where(col(Objection.result_id) == stage.world.year_result)
        return (await session.exec(query)).first() is not None


async def q4_published(stage: Stage) -> bool:
    async with stage.db.session() as session:
        query = select(Result).where(
            col(Result.cycle_id) == stage.world.q4.id,
            col(Result.employee_id) == stage.world.sari.id,
        )
        return (await session.exec(query)).first() is not None


async def reported(stage: Stage) -> bool:
    async with stage.db.session() as session:
        query = select(AuditEvent).where(
            col(AuditEvent.id) > stage.last_audit,
            col(AuditEvent.action) == "target.superior_reported",
            col(AuditEvent.subject_id) == str(stage.world.sari.id),
        )
        return (await session.exec(query)).first() is not None


async def superior_form_moved(cell: Cell) -> str | None:
    draft = await cell.draft("assessment")
    moved = draft is not None and draft.step != "hasil"
    return None if moved or cell.revealed() else "his open question neither moved nor showed her"


async def her_unit_chosen(cell: Cell) -> str | None:
    draft = await cell.draft("publish")
    chosen = draft is not None and draft.answers.get("unit") == cell.world.publish_value
    return None if chosen else "her unit was not taken as the choice"


REASON = "Sebaran sudah dibahas bersama BKPSDM dan disetujui Sekda."
ASK = "Mohon jelaskan dasar penilaian perilaku kerja triwulan ini."


async def terbitkan(cell: Cell) -> None:
    """/terbitkan; her unit is chosen only when offered, then the reason and the confirmation."""
    await cell.say("/terbitkan")
    offered = [data for _, data in chat.buttons(cell.stage.recorder.calls[-1].params)]
    if any(data.endswith(f":{cell.world.publish_value}") for data in offered):
        await cell.choose("publish", cell.world.publish_value)
        await cell.go_on("publish", REASON if await _asks(cell, "reason") else SEND_IT, SEND_IT)


async def _asks(cell: Cell, step: str) -> bool:
    draft = await cell.draft()
    return draft is not None and draft.step == step


def reminder(journey: RemindJourney) -> Row:
    """A reminder's button for ``journey``: does what the journey's command does."""

    async def act(cell: Cell) -> None:
        await cell.press(ItemAction(REMIND_ACTION, journey.value).encode())

    return Row(act, shows)


def own_form(name: str, form: str, value: Callable[[w.World], str], allowed: Allowed) -> Row:
    """/name, then choose Sari's item in the actor's own form (forged when not offered)."""

    async def act(cell: Cell) -> None:
        await cell.say(f"/{name}")
        await cell.choose(form, value(cell.world))

    return Row(act, allowed)


async def press_superior_form(cell: Cell) -> None:
    await cell.press(cell.world.superior_question)


PAGE = 2  # a list's "Berikutnya ▶️" (kept within the list's pages: page 1 of a short one)


def page_turn(view: str, real: Callable[[w.World], int], *forged: Callable[[w.World], int]) -> Row:
    """Turn a page of list ``view`` with the id its real button carries (``real``) when the table
    lets the role see it, else once with each forged id: Sari, or whoever's list shows her."""

    async def act(cell: Cell) -> None:
        entitled = POLICY[f"p:{view}"][cell.role] == ALLOW
        for item in [real] if entitled else forged:
            await cell.press(PageTurn(view, PAGE, item(cell.world)).encode())

    return Row(act, shows)


def _own_list(world: w.World) -> int:
    return 0  # the presser's own list


def _of(role: str) -> Callable[[w.World], int]:
    """The employee id of a role: as if a list were about them."""

    def item(world: w.World) -> int:
        person = world.people[role].employee
        assert person is not None
        return _id(person)

    return item


ROWS: dict[str, Row] = {
    **{f"/{c.name}": command(c.name) for c in COMMANDS},
    "/terbitkan": Row(terbitkan, stored("publishing her unit", q4_published)),
    TargetAction.APPROVE: button(
        TargetAction.APPROVE,
        lambda x: _id(x.proposed),
        stored("approving", target_now("proposed", TargetStatus.APPROVED)),
    ),
    TargetAction.RETURN: button(
        TargetAction.RETURN,
        lambda x: _id(x.proposed),
        stored("returning", target_now("proposed", TargetStatus.RETURNED)),
        "Indikator belum terukur, mohon tambahkan satuan yang jelas.",
        form="target_return",
    ),
    TargetAction.NEW: button(TargetAction.NEW, lambda x: _id(x.sari), opens("target")),
    TargetAction.MORE: button(TargetAction.MORE, lambda x: _id(x.approved), opens("target_more")),
    TargetAction.REVISE: button(TargetAction.REVISE, lambda x: _id(x.returned), opens("target")),
    TargetAction.REPORT_SUPERIOR: button(
        TargetAction.REPORT_SUPERIOR, lambda x: _id(x.sari), stored("the report", reported)
    ),
    "ev_verify": button(
        "ev_verify",
        lambda x: _id(x.evidence),
        stored("verifying", evidence_now(EvidenceStatus.VERIFIED)),
    ),
    "ev_fix": button(
        "ev_fix",
        lambda x: _id(x.evidence),
        stored("asking for a correction", evidence_now(EvidenceStatus.CORRECTION)),
        "Lampirkan daftar SK yang dimaksud dalam rekap.",
        form="evidence_fix",
    ),
    "ev_files": button("ev_files", lambda x: _id(x.evidence), shows),
    "ev_read": button("ev_read", lambda x: _id(x.evidence), reads_whole(w.EVIDENCE_NOTE_END)),
    "target_read": button("target_read", lambda x: _id(x.approved), reads_whole(w.Q1_APPROVED_END)),
    "feedback_rate": button("feedback_rate", lambda x: x.rating_assignment, opens("feedback")),
    "result": button("result", lambda x: x.year_result, shows),
    "obj_file": button(
        "obj_file",
        lambda x: x.year_result,
        stored("filing", objected_to_year),
        "Target tahunan sudah tercapai seluruhnya menurut laporan SIMPEG Desember.",
        SEND_IT,
        form="objection",
    ),
    "obj_case": button("obj_case", lambda x: x.objection, shows),
    "obj_ask_rater": button(
        "obj_ask_rater",
        lambda x: x.objection,
        stored("asking", question_to("sup")),
        ASK,
        form="objection_ask",
    ),
    "obj_ask_emp": button(
        "obj_ask_emp",
        lambda x: x.objection,
        stored("asking", question_to("emp")),
        ASK,
        form="objection_ask",
    ),
    "obj_keep": button(
        "obj_keep",
        lambda x: x.objection,
        stored("keeping", decided(ObjectionDecision.KEEP)),
        "Bukti gangguan aplikasi tidak pernah dikirim.",
        SEND_IT,
        form="objection_keep",
    ),
    "obj_change": button(
        "obj_change",
        lambda x: x.objection,
        stored("changing", decided(ObjectionDecision.CHANGE)),
        Tap(Rating.MEETS.value),
        Tap(Rating.MEETS.value),
        "Gangguan aplikasi terbukti dari surat Diskominfo.",
        SEND_IT,
        form="objection_change",
    ),
    "obj_reply": button(
        "obj_reply",
        lambda x: x.question,
        stored("answering", answered),
        "Surat keterangan sudah saya kirim lewat email dinas.",
        form="objection_reply",
    ),
    **{f"{REMIND_ACTION}:{journey.name.lower()}": reminder(journey) for journey in RemindJourney},
    "f:superior_form": Row(press_superior_form, superior_form_moved, superior_form=True),
    "f:penilaian": own_form("penilaian", "assessment", lambda x: f"{x.q4.id}.{x.sari.id}", shows),
    "f:bukti": own_form("bukti", "evidence", lambda x: str(x.approved.id), shows),
    "f:terbitkan": own_form("terbitkan", "publish", lambda x: x.publish_value, her_unit_chosen),
    "p:targets": page_turn("targets", _own_list, _of("emp")),
    "p:feedback": page_turn("feedback", _own_list, _of("emp"), _of("peer")),
    "p:results": page_turn("results", _own_list, _of("emp"), _of("sup")),
    "p:objections": page_turn("objections", _own_list, _of("emp"), _of("sup2")),
    "p:case": page_turn("case", lambda x: x.objection, lambda x: x.objection),
}


# --- the cells ------------------------------------------------------------------------------

CELLS = [(label, role) for label in POLICY for role in w.ROLES]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("label", "role"), CELLS, ids=[f"{lb}-{r}" for lb, r in CELLS])
async def test_cell(stage: Stage, label: str, role: str) -> None:
    """One role does one thing to Sari's appraisal, and gets exactly what the table says."""
    expected, row = POLICY[label][role], ROWS[label]
    await stage.snapshot.restore(stage.db)
    stage.clock.now = w.NOW
    stage.recorder.calls.clear()
    cell = Cell(stage, role)
    before = await stage.hers_before(superior_form=row.superior_form)
    await row.act(cell)
    after = await her_rows(stage, superior_form=row.superior_form)
    who = f"{role} ({label})"
    assert stage.recorder.calls, f"{who}: the bot said nothing at all"
    if expected == ALLOW:
        problem = await row.allowed(cell)
        assert problem is None, f"{who} should be allowed, but {problem}"
        return
    shown = cell.revealed()
    assert not shown, f"{who} is {expected}, yet got Sari's data: {shown}"
    changed = [table for table in before if before[table] != after[table]]
    assert not changed, f"{who} is {expected}, yet changed Sari's {changed}"
    if expected == REFUSE:
        done = await done_by(stage, cell.tg)
        assert not done, f"{who} is refused, yet the audit log records {done}"
        sent = await queued(stage)
        assert not sent, f"{who} is refused, yet notifications were queued: {sent}"


# --- the table covers everything ------------------------------------------------------------


def test_every_command_and_button_kind_has_a_row() -> None:
    """A new command, button kind or paged list needs a decision in the table before it ships."""
    rows = {label.split(":")[0] for label in POLICY}
    module_of = {name: j.__name__ for j in JOURNEYS for name in j.ACTIONS}
    missing = [f"command /{c.name}" for c in COMMANDS if f"/{c.name}" not in rows]
    missing += [
        f"button kind {name!r} (ACTIONS of {module_of.get(name, 'bot.handlers')})"
        for name in ACTIONS
        if name not in rows
    ]
    page_module = {name: j.__name__ for j in JOURNEYS for name in j.PAGES}
    missing += [
        f"page list {name!r} (PAGES of {page_module.get(name, 'bot.handlers')}): row p:{name}"
        for name in PAGES
        if f"p:{name}" not in POLICY
    ]
    missing += [
        f"reminder button {REMIND_ACTION} for {journey.name}"
        for journey in {*RemindJourney, *ENTRIES}
        if f"{REMIND_ACTION}:{journey.name.lower()}" not in POLICY
    ]
    assert not missing, (
        "the access matrix in tests/access/test_matrix.py has no row for: "
        + "; ".join(missing)
        + ". Add one to MATRIX (and how to press it to ROWS) with a cell for every role."
    )


def test_every_row_can_be_played() -> None:
    """Each row of the table has its way to be performed, and nothing is performed unlisted."""
    assert set(POLICY) == set(ROWS), (
        f"in the table only: {sorted(set(POLICY) - set(ROWS))}; "
        f"in ROWS only: {sorted(set(ROWS) - set(POLICY))}"
    )


def test_the_documented_matrix_is_the_tested_one() -> None:
    """docs/privacy.md shows this very table under "Who may do what"."""
    text = (Path(__file__).parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = text.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip().strip("`*") for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    header, *lines = rows
    assert header[2:] == list(w.ROLES)
    documented = {label: dict(zip(w.ROLES, cells, strict=True)) for label, _, *cells in lines}
    assert documented == POLICY
