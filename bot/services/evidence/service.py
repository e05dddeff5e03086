"""The employee's side of evidence: what /bukti offers, submitting, the receipt.

Targets are offered while their cycle's evidence phase is open (from the first day of the period
to ``evidence_due``, :func:`bot.services.cycles.is_open`): the days after a period ends still
take evidence for it. Only approved targets of the person themselves are offered or accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Evidence, EvidenceFile, Target
from bot.domain import EvidenceStatus, TargetStatus
from bot.services.audit import Actor, record
from bot.services.cycles import Phase, is_open
from bot.services.env import ServiceEnv
from bot.services.evidence.review import EvidenceReviews
from bot.services.evidence.types import (
    AttachedFile,
    Digest,
    EvidenceAudit,
    Receipt,
    TargetChoice,
    TargetView,
    Unavailable,
    Upload,
    attached_file,
    checked_realisation,
    refused,
    stored_id,
    target_view,
)
from bot.services.filestore import FileStore
from bot.services.filetypes import ACCEPTED_LABELS, FileType, FileTypeError, verify


async def _newest(
    session: AsyncSession, target_ids: Sequence[int]
) -> dict[int, tuple[Evidence, int]]:
    """The newest evidence of each target, and how many it has."""
    query = (
        select(Evidence)
        .where(col(Evidence.target_id).in_(target_ids))
        .order_by(col(Evidence.submitted_at).desc(), col(Evidence.id).desc())
    )
    found: dict[int, tuple[Evidence, int]] = {}
    for evidence in (await session.exec(query)).all():
        newest, count = found.get(evidence.target_id, (evidence, 0))
        found[evidence.target_id] = (newest, count + 1)
    return found


class EvidenceService:
    """Use-cases of this journey; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env
        self._store = FileStore(env.settings.data_dir)
        self.review = EvidenceReviews(env, self._store)

    async def digest_for(
        self, superior_employee_id: int, since: datetime, until: datetime
    ) -> Digest:
        """A superior's daily digest, for the scheduler: :meth:`EvidenceReviews.digest_for`."""
        return await self.review.digest_for(superior_employee_id, since, until)

    async def choices(self, actor: Actor) -> TargetChoice:
        """The person's approved targets whose evidence phase is open, or why there are none.

        :func:`~bot.services.evidence.types.form_view` picks the one a form is about.
        """
        if actor.employee_id is None:
            return TargetChoice((), Unavailable.NOT_LINKED)
        async with self._env.db.session() as session:
            cycles = await self._open_cycles(session)
            if not cycles:
                return TargetChoice((), Unavailable.NO_CYCLE)
            targets = await self._targets(session, actor.employee_id, cycles)
        return TargetChoice(targets, None if targets else Unavailable.NO_TARGETS)

    @staticmethod
    def check_realisation(value: Decimal) -> Decimal:
        """The realisation in canonical form; refused when it has too many decimals."""
        return checked_realisation(value)

    async def submit(
        self,
        *,
        actor: Actor,
        target_id: int,
        realisation: Decimal,
        note: str | None,
        link: str | None,
        uploads: Sequence[Upload],
    ) -> Receipt:
        """Store an evidence item and its files; refused (and audited) unless the target is open.

        Every file is checked by its bytes first (:mod:`bot.services.filetypes`): one that is
        not an accepted kind, or not the kind its name says, refuses the whole submission with
        ``file_content`` (its ``file_id`` in the params) before anything is stored.
        """
        now, value = self._env.clock(), checked_realisation(realisation)
        kinds = [_checked_type(upload) for upload in uploads]
        me = actor.employee_id
        async with self._env.db.session() as session:
            target = await session.get(Target, target_id)
            cycles = await self._open_cycles(session)
            if me is None or target is None or not _usable(target, me, cycles):
                self._refuse(session, actor, target_id)
                receipt = None
            else:
                evidence = Evidence(
                    target_id=target_id,
                    employee_id=me,
                    realisation=value,
                    note=note,
                    link=link,
                    status=EvidenceStatus.SUBMITTED,
                    submitted_at=now,
                )
                session.add(evidence)
                await session.flush()
                files = [
                    await self._attach(session, stored_id(evidence.id), upload, kind)
                    for upload, kind in zip(uploads, kinds, strict=True)
                ]
                self._audit_submission(session, actor, evidence, len(files))
                summary = await self._targets(
                    session, me, {target.cycle_id: cycles[target.cycle_id]}
                )
                current = next(view for view in summary if view.id == target_id)
                receipt = Receipt(
                    stored_id(evidence.id), current, value, tuple(files), link, note, summary
                )
        if receipt is None:
            raise refused("target_unavailable")
        return receipt

    async def _attach(
        self, session: AsyncSession, evidence_id: int, upload: Upload, kind: FileType
    ) -> AttachedFile:
        blob = await self._store.put(upload.data)
        row = EvidenceFile(
            evidence_id=evidence_id,
            kind=upload.kind,
            telegram_file_id=upload.telegram_file_id,
            sha256=blob.sha256,
            mime_type=kind.mime,
            size=blob.size,
            original_name=upload.name,
            stored_path=blob.path,
        )
        session.add(row)
        await session.flush()
        return attached_file(row)

    async def _open_cycles(self, session: AsyncSession) -> dict[int, Cycle]:
        now, tz = self._env.clock(), self._env.settings.tz
        today = now.astimezone(tz).date()
        query = select(Cycle).where(col(Cycle.starts_on) <= today, col(Cycle.evidence_due) >= today)
        cycles = (await session.exec(query)).all()
        return {stored_id(c.id): c for c in cycles if is_open(c, Phase.EVIDENCE, now, tz)}

    async def _targets(
        self, session: AsyncSession, employee_id: int, cycles: dict[int, Cycle]
    ) -> tuple[TargetView, ...]:
        query = (
            select(Target)
            .where(
                col(Target.employee_id) == employee_id,
                col(Target.cycle_id).in_(list(cycles)),
                col(Target.status) == TargetStatus.APPROVED,
            )
            .order_by(col(Target.cycle_id), col(Target.id))
        )
        targets = (await session.exec(query)).all()
        newest = await _newest(session, [stored_id(t.id) for t in targets])
        views = []
        for target in targets:
            evidence, count = newest.get(stored_id(target.id), (None, 0))
            cycle, tz = cycles[target.cycle_id], self._env.settings.tz
            views.append(target_view(target, cycle, evidence, count, tz))
        return tuple(views)

    def _audit_submission(
        self, session: AsyncSession, actor: Actor, evidence: Evidence, files: int
    ) -> None:
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=EvidenceAudit.SUBMITTED,
            subject_type="evidence",
            subject_id=evidence.id,
            detail={
                "target": evidence.target_id,
                "realisation": str(evidence.realisation),
                "files": files,
            },
        )

    def _refuse(self, session: AsyncSession, actor: Actor, target_id: int) -> None:
        """Audit a submission for a target that is not the person's, or no longer open."""
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=EvidenceAudit.REFUSED,
            subject_type="target",
            subject_id=target_id,
            detail={"attempt": "submit"},
        )


def _checked_type(upload: Upload) -> FileType:
    """The kind the upload's bytes are, or the refusal that names the file and the problem."""
    try:
        return verify(upload.data, upload.name)
    except FileTypeError as wrong:
        raise refused(
            "file_content",
            file_id=upload.telegram_file_id,
            name=upload.name or "",
            problem=wrong.code,
            found=wrong.found or "",
            extension=wrong.extension or "",
            kinds=ACCEPTED_LABELS,
        ) from wrong


def _usable(target: Target, me: int, cycles: dict[int, Cycle]) -> bool:
    """Whether employee ``me`` may send evidence for ``target`` now."""
    return (
        target.employee_id == me
        and target.status is TargetStatus.APPROVED
        and target.cycle_id in cycles
    )
