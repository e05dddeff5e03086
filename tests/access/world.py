"""One organisation, every role around one employee, and her data in every phase at one moment.

The employee is Sari Wulandari, staff of the Bidang Sumber Daya Kesehatan of the Dinas
Kesehatan. Around her (each a different person, so no role hides another):

- **peer**: Citra Lestari, same unit, same superior, assigned to give Sari feedback;
- **superior**: Budi Santoso, team lead (ketua tim), her direct superior and rater;
- **superior2**: Dewi Anggraini, head of section (kepala seksi), Budi's superior, who decides
  Sari's objection;
- **unit head**: Rina Marlina, head of the Bidang (kepala bidang), named its head, above Dewi;
- **OPD head**: dr. Hendra Gunawan, head of the Dinas Kesehatan, named its head, above Rina;
- **another OPD's head**: Yusuf Hidayat, named head of the Dinas Pendidikan (with Eko under him);
- **BKPSDM admin**: Andi Saputra, in the BKPSDM, granted the admin role;
- **stranger**: a Telegram account linked to nobody.

At :data:`NOW` (Wednesday 14 January 2026, 09:00 WIB) every phase has something of Sari's:

- Triwulan I 2026, targets and evidence open: one target proposed, one approved with evidence
  waiting for review (a note and a link), one returned to her; the approved one's indicator
  and the evidence's note are longer than the lists show, so each has its 🔍 button;
- Desember 2025, a monthly cycle in its feedback phase (until 16 January): Citra is to rate
  her (and she Citra);
- Triwulan IV 2025, in its assessment phase (13 to 21 January; its feedback closed on 12
  January, before the assessment opened, as it always does): Budi has assessed her and has
  the assessment form open on her again; the unit has its organisational predikat, so its
  results can be published;
- Tahun 2025: her result published on 8 January, still open to objection;
- Triwulan III 2025: her result, objected to in October; Dewi is hearing it and has asked Sari
  a question that waits for her answer.

The past is made the way it happens: the clock moves to each date and the real services act
(assess, publish, file, ask); what no journey creates (people, cycles, targets and evidence,
assignments, unit predikat) comes from the factories in ``tests/support``.

:class:`Snapshot` keeps every row of the built world, so each cell of the matrix starts from
exactly this state again (plain deletes and inserts through SQLAlchemy Core: SQLite and
PostgreSQL alike).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy import select as select_rows
from sqlmodel import SQLModel, col, select

from bot.app import KinerjaApp
from bot.callbacks import FormAnswer
from bot.db.models import Cycle, Employee, Evidence, Result, Target, Unit
from bot.db.session import Database
from bot.domain import EvidenceStatus, PeriodKind, TargetStatus
from bot.handlers.context import DEPS_KEY, Deps
from bot.services.assessments import Ratings
from bot.services.audit import Actor
from bot.services.objections import Party
from scoring import OrgPredikat, Rating
from scoring.feedback import Relation
from tests.conftest import FakeClock
from tests.support import chat, factories, factories_evidence, factories_feedback, factories_targets
from tests.support import factories_appraisal as fa
from tests.support.recording import RecordingRequest

NOW = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)  # Wednesday 09:00 WIB

# The roles, in the order of the matrix: Sari, her peer, superior, his superior, the head of her
# unit, of her OPD, of another OPD, a BKPSDM admin, and a stranger.
ROLES = ("emp", "peer", "sup", "sup2", "unit", "opd", "opd2", "admin", "anon")
STRANGER_TG = 9199

OPD, OTHER_OPD, BKPSDM = "Dinas Kesehatan", "Dinas Pendidikan", "BKPSDM Kabupaten Merangin"
SECTION = "Bidang Sumber Daya Kesehatan"

# What nobody but those allowed may see of Sari: searched for in everything the bot sends.
Q1_PROPOSED = "Persentase berkas kenaikan pangkat yang lengkap"
Q1_APPROVED = "Jumlah laporan mutasi pegawai"
# Its indicator and the evidence's note run past what the lists show (a 🔍 button reads them
# whole); these ends are past the clip, so they reach only who opens the item itself.
Q1_APPROVED_END = "beserta salinan surat keputusan yang ditetapkan"
Q1_APPROVED_WHOLE = (
    f"{Q1_APPROVED} antar-bidang dan antar-OPD yang disampaikan kepada BKPSDM paling lambat"
    f" tanggal lima setiap bulan, {Q1_APPROVED_END}"
)
Q1_RETURNED = "Jumlah SK mutasi yang diarsipkan"
Q4_TARGET = "Jumlah dokumen kepegawaian yang didigitalkan"
YEAR_TARGET = "Persentase data SIMPEG yang dimutakhirkan"
Q3_TARGET = "Jumlah usulan kenaikan pangkat yang diproses"
EVIDENCE_NOTE = "Rekap mutasi Januari sudah ditandatangani Kabid"
EVIDENCE_NOTE_END = "diurutkan menurut tanggal penetapan"
EVIDENCE_NOTE_WHOLE = (
    f"{EVIDENCE_NOTE}; lampirannya daftar empat belas SK mutasi antar-bidang dan tiga SK mutasi"
    f" keluar kabupaten, {EVIDENCE_NOTE_END}"
)
EVIDENCE_LINK = "https://drive.example.go.id/sari/rekap-mutasi-januari"
HASIL_REASON = "Laporan mutasi triwulan selalu terlambat dua minggu dari jadwal."
PERILAKU_REASON = "Dua kali tidak hadir rapat koordinasi tanpa pemberitahuan."
OBJECTION_REASONS = "Keterlambatan laporan karena aplikasi SIMPEG tidak bisa diakses bulan Agustus."
QUESTION = "Mohon kirim surat keterangan gangguan aplikasi SIMPEG dari Diskominfo."


@dataclass(frozen=True, slots=True)
class Person:
    """A role's Telegram account and, when linked, its employee."""

    telegram_id: int
    first_name: str
    employee: Employee | None


@dataclass(frozen=True, slots=True)
class World:
    """The ids every cell needs, and what it searches for."""

    people: Mapping[str, Person]  # role → person
    sari: Employee
    section: Unit
    q1: Cycle
    q4: Cycle
    dec: Cycle  # Desember 2025, in its feedback phase
    year: Cycle
    q3: Cycle
    proposed: Target  # Triwulan I 2026, waiting for Budi
    approved: Target  # Triwulan I 2026, with evidence
    returned: Target  # Triwulan I 2026, returned to Sari
    evidence: Evidence  # on ``approved``, waiting for review
    rating_assignment: int  # Citra rates Sari, Desember 2025
    year_result: int  # Tahun 2025, open to objection
    objection: int  # on the Triwulan III 2025 result, open, decided by Dewi
    question: int  # Dewi's question to Sari in that objection
    superior_question: str  # callback data of a button of the question Budi's form asks now
    publish_value: str  # the /terbitkan choice of her unit in Triwulan IV 2025
    secrets: tuple[str, ...]  # Sari's data: nobody refused may see any of it

    def tg(self, role: str) -> int:
        """The Telegram id of a role."""
        return self.people[role].telegram_id


class Snapshot:
    """Every row of every table, to put the database back exactly as it was."""

    def __init__(self, rows: Mapping[Table, Sequence[Mapping[str, Any]]]) -> None:
        self._rows = rows

    @staticmethod
    def tables() -> list[Table]:
        """Our tables, parents before children."""
        return list(SQLModel.metadata.sorted_tables)

    @classmethod
    async def take(cls, db: Database) -> Snapshot:
        """Read every row, in key order (a row's parent in the same table comes first)."""
        rows: dict[Table, list[dict[str, Any]]] = {}
        async with db.engine.connect() as conn:
            for table in cls.tables():
                query = select_rows(table).order_by(*table.primary_key.columns)
                rows[table] = [dict(row) for row in (await conn.execute(query)).mappings()]
        return cls(rows)

    async def restore(self, db: Database) -> None:
        """Empty every table, then insert the rows taken, in one transaction.

        Rows come back with their ids; rows added later get ids above them on both databases
        (PostgreSQL's sequences never go back, SQLite takes the highest id plus one).
        """
        tables = self.tables()
        async with db.engine.begin() as conn:
            for table in reversed(tables):
                await conn.execute(table.delete())
            for table in tables:
                if self._rows.get(table):
                    await conn.execute(table.insert(), list(self._rows[table]))


async def build(
    app: KinerjaApp, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> World:
    """Create the organisation and Sari's data (see the module), ending at :data:`NOW`."""
    deps: Deps = app.bot_data[DEPS_KEY]
    section = await fa.sub_unit(db, OPD, SECTION)

    async def person(
        name: str, serial: int, boss: Employee | None, *, unit: Unit | None = None, opd: str = OPD
    ) -> Employee:
        made = await factories.employee(
            db,
            name=name,
            serial=serial,
            superior=boss,
            telegram_user_id=9100 + serial % 100,
            unit_name=opd,
        )
        return await fa.move(db, made, unit) if unit is not None else made

    hendra = await person("dr. Hendra Gunawan", 301, None)
    rina = await person("Rina Marlina", 302, hendra, unit=section)
    dewi = await person("Dewi Anggraini", 303, rina, unit=section)
    budi = await person("Budi Santoso", 304, dewi, unit=section)
    sari = await person("Sari Wulandari", 305, budi, unit=section)
    citra = await person("Citra Lestari", 306, budi, unit=section)
    yusuf = await person("Yusuf Hidayat", 307, None, opd=OTHER_OPD)
    eko = await person("Eko Prasetyo", 308, yusuf, opd=OTHER_OPD)
    andi = await person("Andi Saputra", 309, None, opd=BKPSDM)
    await fa.name_head(db, hendra.unit_id, hendra)
    await fa.name_head(db, section, rina)
    await fa.name_head(db, yusuf.unit_id, yusuf)
    await fa.make_admin(db, andi)

    q3 = await factories.cycle(db, start=date(2025, 7, 1))
    year = await factories.cycle(db, start=date(2025, 1, 1), kind=PeriodKind.YEAR)
    # Feedback closed on 12 January, so the assessment is open from the 13th.
    q4 = await factories.cycle(
        db,
        start=date(2025, 10, 1),
        feedback_due=date(2026, 1, 12),
        assessment_due=date(2026, 1, 21),
        results_on=date(2026, 1, 22),
    )
    # A monthly cycle whose feedback is still open; its assessment opens on the 17th.
    dec = await factories.cycle(
        db,
        start=date(2025, 12, 1),
        kind=PeriodKind.MONTH,
        feedback_due=date(2026, 1, 16),
        assessment_due=date(2026, 1, 21),
        results_on=date(2026, 1, 22),
    )
    q1 = await factories.cycle(db, start=date(2026, 1, 1))

    async def target(
        cycle: Cycle, who: Employee, indicator: str, whole: str | None = None, **kw: Any
    ) -> Target:
        return await factories_targets.target(
            db,
            employee=who,
            cycle=cycle,
            rhk=f"Terlaksananya {indicator.lower()}",
            indicator=whole or indicator,
            **kw,
        )

    for cycle, indicator in ((q3, Q3_TARGET), (year, YEAR_TARGET), (q4, Q4_TARGET)):
        done = await target(cycle, sari, indicator)
        at = datetime.combine(cycle.ends_on, datetime.min.time(), tzinfo=UTC)
        await factories_evidence.evidence(
            db, done, realisation="12", at=at, status=EvidenceStatus.VERIFIED
        )
    proposed = await target(q1, sari, Q1_PROPOSED, status=TargetStatus.PROPOSED, value=100)
    approved = await target(q1, sari, Q1_APPROVED, Q1_APPROVED_WHOLE)
    returned = await target(
        q1,
        sari,
        Q1_RETURNED,
        status=TargetStatus.RETURNED,
        comment="Satuan belum jelas, mohon diperbaiki.",
    )
    evidence = await factories_evidence.evidence(
        db,
        approved,
        realisation="3",
        at=datetime(2026, 1, 13, 3, 0, tzinfo=UTC),
        note=EVIDENCE_NOTE_WHOLE,
        link=EVIDENCE_LINK,
    )
    await target(q1, citra, "Jumlah surat masuk yang diagendakan")

    rates_sari = await factories_feedback.assign(db, dec, citra, sari, Relation.PEER)
    await factories_feedback.assign(db, dec, sari, citra, Relation.PEER)

    async def assess(when: datetime, rater: Employee, cycle: Cycle, who: Employee) -> None:
        clock.now = when
        ratings = Ratings(
            hasil=Rating.MEETS,
            perilaku=Rating.BELOW,
            hasil_reason=HASIL_REASON,
            perilaku_reason=PERILAKU_REASON,
        )
        assert rater.telegram_user_id is not None
        actor = Actor(rater.telegram_user_id, rater.id)
        await deps.assessments.record(
            actor, cycle_id=_id(cycle), employee_id=_id(who), ratings=ratings
        )

    async def publish(when: datetime, cycle: Cycle) -> None:
        clock.now = when
        await fa.unit_predikat(db, cycle, _id(section), OrgPredikat.BAIK)
        await deps.results.publish(
            Actor.cli(),
            cycle_id=_id(cycle),
            unit_id=_id(section),
            reason="Unit kecil; sebaran diperiksa BKPSDM satu per satu.",
        )

    await assess(datetime(2025, 10, 6, 2, tzinfo=UTC), budi, q3, sari)
    await publish(datetime(2025, 10, 13, 2, tzinfo=UTC), q3)
    clock.now = datetime(2025, 10, 15, 2, tzinfo=UTC)
    filed = await deps.objections.file(
        await deps.accounts.actor(_tg(sari)), await _result_id(db, q3, sari), OBJECTION_REASONS
    )
    objection_id = getattr(filed, "objection_id", None)
    assert objection_id is not None, filed

    await assess(datetime(2026, 1, 5, 2, tzinfo=UTC), budi, year, sari)
    await publish(datetime(2026, 1, 8, 2, tzinfo=UTC), year)

    clock.now = datetime(2026, 1, 12, 2, tzinfo=UTC)
    asked = await deps.objections.ask(
        await deps.accounts.actor(_tg(dewi)), objection_id, Party.EMPLOYEE, QUESTION
    )
    assert getattr(asked, "objection_id", None) == objection_id, asked
    question = await _question_id(deps, sari)

    await assess(datetime(2026, 1, 13, 2, tzinfo=UTC), budi, q4, sari)
    await assess(datetime(2026, 1, 13, 3, tzinfo=UTC), yusuf, q4, eko)
    await fa.unit_predikat(db, q4, _id(section), OrgPredikat.BAIK)
    await fa.unit_predikat(db, q4, yusuf.unit_id, OrgPredikat.BAIK)

    clock.now = NOW
    options = await deps.results.publishable(await deps.accounts.actor(_tg(hendra)))
    [mine] = [o for o in options if o.unit_id == section.id and o.cycle_id == q4.id]
    publish_value = f"{mine.cycle_id}.{mine.unit_id}" + (".b" if mine.distribution.breached else "")

    # Budi has the assessment form open on Sari again: his open question and its buttons.
    await chat.say(app, _tg(budi), "/penilaian")
    draft = await deps.drafts.current(_tg(budi))
    assert draft is not None
    choose = FormAnswer(draft.id, draft.seq, f"{q4.id}.{sari.id}").encode()
    await chat.press(app, _tg(budi), choose)
    superior_question = chat.buttons(recorder.last(_tg(budi)))[0][1]
    recorder.calls.clear()

    people = {
        "emp": sari,
        "peer": citra,
        "sup": budi,
        "sup2": dewi,
        "unit": rina,
        "opd": hendra,
        "opd2": yusuf,
        "admin": andi,
    }
    roles = {role: Person(_tg(e), e.name.split()[0], e) for role, e in people.items()}
    roles["anon"] = Person(STRANGER_TG, "Tamu", None)
    secrets = (
        sari.name,
        sari.nip,
        Q1_PROPOSED,
        Q1_APPROVED,
        Q1_APPROVED_END,
        Q1_RETURNED,
        Q4_TARGET,
        YEAR_TARGET,
        Q3_TARGET,
        EVIDENCE_NOTE,
        EVIDENCE_NOTE_END,
        EVIDENCE_LINK,
        HASIL_REASON,
        PERILAKU_REASON,
        OBJECTION_REASONS,
        QUESTION,
    )
    return World(
        people=roles,
        sari=sari,
        section=section,
        q1=q1,
        q4=q4,
        dec=dec,
        year=year,
        q3=q3,
        proposed=proposed,
        approved=approved,
        returned=returned,
        evidence=evidence,
        rating_assignment=_id(rates_sari),
        year_result=await _result_id(db, year, sari),
        objection=objection_id,
        question=question,
        superior_question=superior_question,
        publish_value=publish_value,
        secrets=secrets,
    )


def _id(row: Any) -> int:
    value = row.id
    assert isinstance(value, int)
    return value


def _tg(person: Employee) -> int:
    assert person.telegram_user_id is not None
    return person.telegram_user_id


async def _result_id(db: Database, cycle: Cycle, person: Employee) -> int:
    async with db.session() as session:
        query = select(Result.id).where(
            col(Result.cycle_id) == cycle.id, col(Result.employee_id) == person.id
        )
        found = (await session.exec(query)).first()
    assert isinstance(found, int)
    return found


async def _question_id(deps: Deps, sari: Employee) -> int:
    overview = await deps.objections.overview(await deps.accounts.actor(_tg(sari)))
    assert overview is not None
    [question] = overview.questions
    assert question.note_id is not None
    return question.note_id
