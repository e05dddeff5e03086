"""Chapter: evidence (bukti dukung). The staff of Puskesmas Bangko and SMP Negeri 1 Bangko send
their quarter's realisation in chat with /bukti, attaching real PDF, JPEG and PNG bytes (one
starts by just sending a photo); everyone else's evidence goes straight through the evidence
service, so the demo stays under a minute. The next morning the scheduler sends superiors the
daily digest, and the two heads verify their staff's items from /tim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select

from bot.db.models import Evidence, EvidenceFile, Target
from bot.demo import files
from bot.demo.chat import Chat, item_ids
from bot.demo.story import Stage, moment
from bot.domain import EvidenceStatus, TargetStatus
from bot.handlers.evidence import VERIFY
from bot.sandbox import BotMessage
from bot.services.evidence import EvidenceService

IN_CHAT = ("Puskesmas Bangko", "SMP Negeri 1 Bangko")
NOTE = "Rekap realisasi Januari–Maret, sudah dicocokkan dengan buku register"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a person sends: its bytes, and how (photo, or document with a name and type)."""

    data: bytes
    name: str | None = None
    mime: str = "image/jpeg"

    @property
    def photo(self) -> bool:
        """Sent as a photo (no file name)."""
        return self.name is None


@dataclass(frozen=True, slots=True)
class EvidenceStory:
    """What the chapter did, for the summary."""

    in_chat: int
    by_service: int


def _attachment(position: int, name: str) -> Attachment:
    """A different kind of file for each person: a PDF report, a photo, a screenshot."""
    kind = position % 3
    if kind == 0:
        report = f"Laporan realisasi triwulan I 2026 - {name}"
        return Attachment(files.pdf(report), "laporan-triwulan-1.pdf", "application/pdf")
    if kind == 1:
        return Attachment(files.jpeg(4, 3, 96 + 8 * position))
    return Attachment(files.png(16, 12, 60 + 8 * position), "tangkapan-layar.png", "image/png")


async def _targets(stage: Stage, index: int) -> list[Target]:
    async with stage.db.session() as session:
        query = select(Target).where(
            col(Target.employee_id) == stage.members[index].employee_id,
            col(Target.status) == TargetStatus.APPROVED,
        )
        return list((await session.exec(query.order_by(col(Target.id)))).all())


def _realisation(stage: Stage, index: int, target: Target) -> Decimal:
    return stage.truth.realisation(
        index,
        target.indicator,
        target.target_value or Decimal(1),
        target.direction,
        percent=target.unit.strip() == "%",
    )


async def _attach(chat: Chat, attachment: Attachment) -> None:
    if attachment.photo:
        await chat.photo(attachment.data)
    else:
        await chat.document(attachment.data, attachment.name or "", attachment.mime)


async def _in_chat(stage: Stage, index: int, position: int) -> int:
    """One person sends their first indicator's realisation with a file; the evidence id."""
    chat, target = stage.chat(index), (await _targets(stage, index))[0]
    value = _realisation(stage, index, target)
    attachment = _attachment(position, stage.members[index].name)
    if position == 0:  # a photo with no command opens the form with the photo attached
        await chat.photo(attachment.data)
        await chat.choose(str(target.id))
        await chat.say(str(value))
    else:
        await chat.say("/bukti")
        await chat.choose(str(target.id))
        await chat.say(str(value))
        await _attach(chat, attachment)
    await chat.choose("_done")
    await (chat.choose("_skip") if position % 2 else chat.say(NOTE))
    await chat.choose("_send")
    return await _stored(stage, target, value, attachment)


async def _stored(stage: Stage, target: Target, value: Decimal, attachment: Attachment) -> int:
    """The evidence row and its file as the demo sent them (hash of the bytes on disk)."""
    async with stage.db.session() as session:
        query = select(Evidence, EvidenceFile).where(
            col(Evidence.target_id) == target.id,
            col(EvidenceFile.evidence_id) == col(Evidence.id),
        )
        found = (await session.exec(query)).first()
    evidence, stored = stage.require(found, "evidence_not_stored", target.indicator)
    digest = hashlib.sha256(attachment.data).hexdigest()
    path = Path(stage.env.settings.data_dir) / stored.stored_path
    stage.check(
        evidence.realisation == value
        and stored.sha256 == digest
        and path.read_bytes() == attachment.data,
        "evidence_file_mismatch",
        target.indicator,
    )
    return stage.require(evidence.id, "evidence_not_stored")


async def _by_service(stage: Stage, service: EvidenceService, indices: list[int]) -> int:
    """Every approved target still without evidence: straight through the service."""
    sent = 0
    for index in indices:
        actor = stage.members[index].actor
        for target in await _targets(stage, index):
            async with stage.db.session() as session:
                query = select(func.count()).where(col(Evidence.target_id) == target.id)
                if (await session.exec(query)).one():
                    continue
            await service.submit(
                actor=actor,
                target_id=int(target.id or 0),
                realisation=_realisation(stage, index, target),
                note=NOTE,
                link=None,
                uploads=(),
            )
            sent += 1
    return sent


async def _verify(stage: Stage, boss: int, items: list[int]) -> None:
    """The head opens /tim and verifies each item from the per-person messages."""
    chat = stage.chat(boss)
    mark = chat.mark()
    await chat.say("/tim")
    for item in items:
        await chat.notice(_carries(item), since=mark)
        await chat.act(VERIFY, item)


def _carries(item: int) -> Callable[[BotMessage], bool]:
    """Whether a message has the verify button of ``item``."""
    return lambda message: item in item_ids(message, VERIFY)


async def send_evidence(stage: Stage) -> EvidenceStory:
    """Play the chapter (11 and 12 March); see the module."""
    await stage.advance(moment(3, 11, 10))
    heads = [stage.find(plan_head, unit) for plan_head, unit in _HEADS]
    in_chat = [i for head in heads for i in stage.staff_of(head)]
    sent: dict[int, list[int]] = {head: [] for head in heads}
    for position, index in enumerate(in_chat):
        item = await _in_chat(stage, index, position)
        sent[stage.members[index].superior or 0].append(item)
    stage.line("evidence_chat", people=len(in_chat), units=IN_CHAT)
    rest = [m.index for m in stage.members if m.index not in in_chat]
    by_service = await _by_service(stage, EvidenceService(stage.env), [*in_chat, *rest])
    stage.line("evidence_service", items=by_service)
    await stage.advance(moment(3, 12))
    await stage.advance(moment(3, 12, 9))
    for head in heads:
        await _verify(stage, head, sent[head])
    verified = await _count(stage, col(Evidence.status) == EvidenceStatus.VERIFIED)
    stage.check(verified == len(in_chat), "evidence_not_verified", f"{verified}")
    stage.line("evidence_verified", heads=[stage.members[h].name for h in heads], items=verified)
    total = await _count(stage, col(Evidence.id).is_not(None))
    stage.check(total == await _approved(stage), "evidence_incomplete", f"{total}")
    return EvidenceStory(in_chat=len(in_chat), by_service=by_service)


_HEADS = (("Kepala Puskesmas Bangko", IN_CHAT[0]), ("Kepala SMP Negeri 1 Bangko", IN_CHAT[1]))


async def _count(stage: Stage, where: ColumnElement[bool]) -> int:
    async with stage.db.session() as session:
        query = select(func.count()).select_from(Evidence).where(where)
        return int((await session.exec(query)).one())


async def _approved(stage: Stage) -> int:
    async with stage.db.session() as session:
        query = select(func.count()).where(col(Target.status) == TargetStatus.APPROVED)
        return int((await session.exec(query)).one())
