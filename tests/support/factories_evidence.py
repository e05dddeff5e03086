"""Test data for evidence: a superior with linked subordinates, approved targets, evidence rows.

Targets are written straight to the database (the targets journey has its own tests), already
approved, so evidence can be tested on its own.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import col, select

from bot.db.models import AuditEvent, Cycle, Employee, Evidence, EvidenceFile, Outbox, Target
from bot.db.session import Database
from bot.demo import files
from bot.domain import EvidenceStatus, TargetStatus
from scoring import Direction
from tests.support import factories, factories_targets

BOSS_TG, SARI_TG, BUDI_TG, OTHER_BOSS_TG = 5101, 5102, 5103, 5104


@dataclass(frozen=True)
class Team:
    """A superior (Rahmat) with two linked subordinates (Sari, Budi) and an unrelated boss."""

    boss: Employee
    sari: Employee
    budi: Employee
    other_boss: Employee
    cycle: Cycle


async def team(db: Database, *, start: date | None = None) -> Team:
    """The people and a quarterly cycle (Triwulan I 2026 unless told: evidence until 3 April)."""
    boss = await factories.employee(db, name="Rahmat Hidayat", serial=901, telegram_user_id=BOSS_TG)
    sari = await factories.employee(
        db, name="Sari Wulandari", serial=902, superior=boss, telegram_user_id=SARI_TG
    )
    budi = await factories.employee(
        db, name="Budi Santoso", serial=903, superior=boss, telegram_user_id=BUDI_TG
    )
    other = await factories.employee(
        db, name="Dewi Lestari", serial=904, telegram_user_id=OTHER_BOSS_TG
    )
    cycle = await (factories.cycle(db, start=start) if start else factories.cycle(db))
    return Team(boss, sari, budi, other, cycle)


async def target(
    db: Database,
    employee: Employee,
    cycle: Cycle,
    *,
    indicator: str = "Jumlah laporan mutasi pegawai",
    unit: str = "dokumen",
    value: str | None = "12",
    direction: Direction = Direction.HIGHER,
    low: str | None = None,
    high: str | None = None,
    status: TargetStatus = TargetStatus.APPROVED,
) -> Target:
    """A target (an indicator of an RHK), approved unless told otherwise."""
    return await factories_targets.target(
        db,
        employee=employee,
        cycle=cycle,
        rhk="Tersusunnya laporan kepegawaian",
        indicator=indicator,
        value=None if value is None else Decimal(value),
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        unit=unit,
        direction=direction,
        status=status,
    )


async def evidence(
    db: Database,
    of: Target,
    *,
    realisation: str,
    at: datetime,
    status: EvidenceStatus = EvidenceStatus.SUBMITTED,
    link: str | None = None,
    note: str | None = None,
) -> Evidence:
    """An evidence row for ``of``, submitted at ``at``."""
    assert of.id is not None
    created = Evidence(
        target_id=of.id,
        employee_id=of.employee_id,
        realisation=Decimal(realisation),
        note=note,
        link=link,
        status=status,
        submitted_at=at,
    )
    async with db.session() as session:
        session.add(created)
    return created


async def stored_evidence(db: Database) -> list[Evidence]:
    """Every evidence row, oldest first."""
    async with db.session() as session:
        return list((await session.exec(select(Evidence).order_by(col(Evidence.id)))).all())


async def stored_files(db: Database) -> list[EvidenceFile]:
    """Every evidence file row, oldest first."""
    async with db.session() as session:
        query = select(EvidenceFile).order_by(col(EvidenceFile.id))
        return list((await session.exec(query)).all())


async def audit(db: Database, prefix: str = "evidence.") -> list[AuditEvent]:
    """The audit events of this journey, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith(prefix))
        return list((await session.exec(query.order_by(col(AuditEvent.id)))).all())


async def outbox(db: Database) -> list[Outbox]:
    """Every queued notification, oldest first."""
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


def png(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image (grey pixels): the demo's generator."""
    return files.png(width, height, 0x80)


def pdf(text: str = "Laporan mutasi") -> bytes:
    """A minimal, valid one-page PDF 1.4 with a line of text: the demo's generator."""
    return files.pdf(text)


def jpeg() -> bytes:
    """A real, tiny baseline JPEG (8×8 grey): the demo's generator."""
    return files.jpeg(1, 1, 0x80)


def _zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


_OOXML = "application/vnd.openxmlformats-officedocument"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def ooxml(part: str, main: str) -> bytes:
    """An Office Open XML package whose main part ``part`` has the content type ``main``."""
    return _zip(
        {
            "[Content_Types].xml": _TYPES.format(part=part, main=main),
            "_rels/.rels": _RELS.format(part=part),
            part: "<document/>",
        }
    )


def docx() -> bytes:
    """A minimal Word document, as a DOCX package is laid out."""
    return ooxml("word/document.xml", f"{_OOXML}.wordprocessingml.document.main+xml")


def xlsx() -> bytes:
    """A real Excel workbook written by openpyxl."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odf(mime: str) -> bytes:
    """An OpenDocument file: the ``mimetype`` entry first, then its content."""
    return _zip({"mimetype": mime, "META-INF/manifest.xml": "<manifest/>", "content.xml": "<c/>"})


def odt() -> bytes:
    """A minimal OpenDocument text."""
    return odf("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    """A minimal OpenDocument spreadsheet."""
    return odf("application/vnd.oasis.opendocument.spreadsheet")


def heic(major: bytes = b"heic", compatible: bytes = b"mif1heic") -> bytes:
    """The start of an HEIC photo as a phone writes it: an ISO-BMFF ftyp box, then meta."""
    box = major + b"\x00\x00\x00\x00" + compatible
    ftyp = (8 + len(box)).to_bytes(4, "big") + b"ftyp" + box
    return ftyp + b"\x00\x00\x00\x22meta" + b"\x00" * 30


def exe() -> bytes:
    """The start of a Windows program: MZ header, DOS stub, PE signature."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 56 + (64).to_bytes(4, "little"))
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 60


def plain_zip() -> bytes:
    """A ZIP archive that is no office file."""
    return _zip({"laporan.txt": "isi"})


def quarter_of(day: date) -> date:
    """The first day of the quarter (triwulan) containing ``day``."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
