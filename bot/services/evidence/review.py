"""The superior's side of evidence: the digest, verifying, asking for a correction, files.

A superior (atasan langsung) reviews only their direct subordinates' evidence. Every id from a
button is loaded and re-checked here: an item that is not the presser's to review changes
nothing and leaves an audit row; an item already reviewed (a replayed press) changes nothing.
The employee is told of every review through the outbox.

The digest (:meth:`EvidenceReviews.digest_for`) lists, per direct subordinate, what arrived in a
window plus anything older still awaiting review; /tim shows it for the last 24 hours, and the
scheduler sends it once a day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Evidence, EvidenceFile, Target
from bot.domain import EvidenceStatus
from bot.services.audit import Actor, record
from bot.services.env import ServiceEnv
from bot.services.evidence.types import (
    Digest,
    DigestItem,
    DigestPerson,
    EvidenceAudit,
    ReviewItem,
    ReviewOutcome,
    ReviewStatus,
    TeamStatus,
    TeamView,
    attached_file,
    capaian_of,
    stored_id,
)
from bot.services.filestore import FileStore
from bot.services.outbox import REPLY, Notification, enqueue

TEAM_WINDOW = timedelta(hours=24)
ITEMS_PER_PERSON = 8  # with the texts shortened, a message stays under 4096 characters


class EvidenceReviews:
    """What a superior does with their subordinates' evidence."""

    def __init__(self, env: ServiceEnv, store: FileStore) -> None:
        self._env = env
        self._store = store

    async def team(self, actor: Actor) -> TeamView:
        """/tim: the digest of the last 24 hours for the person, if they lead anyone."""
        if actor.employee_id is None:
            return TeamView(TeamStatus.NOT_LINKED)
        now = self._env.clock()
        digest = await self.digest_for(actor.employee_id, now - TEAM_WINDOW, now)
        if digest.subordinates == 0:
            return TeamView(TeamStatus.NO_SUBORDINATES)
        return TeamView(TeamStatus.OK, digest)

    async def digest_for(
        self, superior_employee_id: int, since: datetime, until: datetime
    ) -> Digest:
        """Per direct subordinate: evidence submitted in (since, until], and older unreviewed.

        The window is open at ``since`` and closed at ``until``, so consecutive digests (each
        starting where the last ended) never list an item as new twice. Items come oldest
        first, at most :data:`ITEMS_PER_PERSON` each (``more`` counts the rest); people with
        nothing are left out, so an empty digest (``is_empty``) means nothing to send.
        """
        async with self._env.db.session() as session:
            query = select(Employee).where(col(Employee.superior_id) == superior_employee_id)
            team = (await session.exec(query.order_by(col(Employee.name)))).all()
            rows = await _digest_rows(session, [stored_id(e.id) for e in team], since, until)
            counts = await _file_counts(session, [stored_id(e.id) for e, _ in rows])
        people = []
        for person in team:
            mine = [(e, t) for e, t in rows if e.employee_id == person.id]
            if not mine:
                continue
            items = [_digest_item(e, t, counts.get(stored_id(e.id), 0), since) for e, t in mine]
            people.append(
                DigestPerson(
                    employee_id=stored_id(person.id),
                    name=person.name,
                    nip=person.nip,
                    items=tuple(items[:ITEMS_PER_PERSON]),
                    waiting=sum(1 for item in items if item.status is EvidenceStatus.SUBMITTED),
                    more=max(len(items) - ITEMS_PER_PERSON, 0),
                )
            )
        return Digest(superior_employee_id, since, until, len(team), tuple(people))

    async def check(self, actor: Actor, evidence_id: int) -> ReviewOutcome:
        """Whether the person may review the item now (before asking for a comment)."""
        async with self._env.db.session() as session:
            found = await self._load(session, actor, evidence_id, "check")
            if isinstance(found, ReviewOutcome):
                return found
            evidence, owner, target = found
            item = await _item(session, evidence, owner, target)
        if evidence.status is not EvidenceStatus.SUBMITTED:
            return ReviewOutcome(ReviewStatus.ALREADY, item)
        return ReviewOutcome(ReviewStatus.OK, item)

    async def verify(self, actor: Actor, evidence_id: int) -> ReviewOutcome:
        """Mark the item verified and tell the employee."""
        return await self._decide(actor, evidence_id, EvidenceStatus.VERIFIED, None)

    async def ask_correction(self, actor: Actor, evidence_id: int, comment: str) -> ReviewOutcome:
        """Ask the employee to correct the item, with the superior's comment."""
        return await self._decide(actor, evidence_id, EvidenceStatus.CORRECTION, comment)

    async def files(self, actor: Actor, evidence_id: int) -> ReviewOutcome:
        """The item's files and link, for forwarding to its reviewer (any status)."""
        async with self._env.db.session() as session:
            found = await self._load(session, actor, evidence_id, "files")
            if isinstance(found, ReviewOutcome):
                return found
            evidence, owner, target = found
            item = await _item(session, evidence, owner, target)
            self._audit(session, actor, evidence_id, action=EvidenceAudit.FILES_SENT, detail={})
        return ReviewOutcome(ReviewStatus.OK, item)

    async def read(self, path: str) -> bytes:
        """The stored bytes of a file of an item the caller was given by :meth:`files`."""
        return await self._store.read(path)

    async def _decide(
        self, actor: Actor, evidence_id: int, status: EvidenceStatus, comment: str | None
    ) -> ReviewOutcome:
        now = self._env.clock()
        attempt = status.value
        async with self._env.db.session() as session:
            found = await self._load(session, actor, evidence_id, attempt)
            if isinstance(found, ReviewOutcome):
                return found
            evidence, owner, target = found
            claimed = await session.exec(  # one review wins, even against a second process
                update(Evidence)
                .where(
                    col(Evidence.id) == evidence_id,
                    col(Evidence.status) == EvidenceStatus.SUBMITTED,
                )
                .values(
                    status=status,
                    review_comment=comment,
                    reviewed_by=actor.employee_id,
                    reviewed_at=now,
                )
            )
            await session.refresh(evidence)
            if not claimed.rowcount:
                return ReviewOutcome(
                    ReviewStatus.ALREADY, await _item(session, evidence, owner, target)
                )
            action = (
                EvidenceAudit.VERIFIED
                if status is EvidenceStatus.VERIFIED
                else EvidenceAudit.CORRECTION_ASKED
            )
            detail = {"comment": comment}
            self._audit(session, actor, evidence_id, action=action, detail=detail)
            me = await session.get(Employee, actor.employee_id)
            reviewer = me.name if me else ""
            await _tell_employee(
                session, evidence, owner=owner, target=target, reviewer=reviewer, now=now
            )
            return ReviewOutcome(ReviewStatus.OK, await _item(session, evidence, owner, target))

    async def _load(
        self, session: AsyncSession, actor: Actor, evidence_id: int, attempt: str
    ) -> tuple[Evidence, Employee, Target] | ReviewOutcome:
        """The item, its owner and target, when the actor reviews it; or a refusal, audited."""
        evidence = await session.get(Evidence, evidence_id)
        owner = await session.get(Employee, evidence.employee_id) if evidence else None
        target = await session.get(Target, evidence.target_id) if evidence else None
        if actor.employee_id is None or evidence is None or owner is None or target is None:
            reason = "not_linked" if actor.employee_id is None else "not_found"
        elif owner.superior_id != actor.employee_id:
            reason = "not_superior"
        else:
            return evidence, owner, target
        detail = {"attempt": attempt, "reason": reason}
        self._audit(session, actor, evidence_id, action=EvidenceAudit.REFUSED, detail=detail)
        return ReviewOutcome(ReviewStatus.REFUSED)

    def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        evidence_id: int,
        *,
        action: EvidenceAudit,
        detail: Mapping[str, str | None],
    ) -> None:
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=action,
            subject_type="evidence",
            subject_id=evidence_id,
            detail=dict(detail),
        )


async def _digest_rows(
    session: AsyncSession, people: Sequence[int], since: datetime, until: datetime
) -> list[tuple[Evidence, Target]]:
    query = (
        select(Evidence, Target)
        .join(Target, col(Evidence.target_id) == col(Target.id))
        .where(
            col(Evidence.employee_id).in_(people),
            col(Evidence.submitted_at) <= until,
            or_(
                col(Evidence.submitted_at) > since,
                col(Evidence.status) == EvidenceStatus.SUBMITTED,
            ),
        )
        .order_by(col(Evidence.submitted_at), col(Evidence.id))
    )
    return list((await session.exec(query)).all())


async def _file_counts(session: AsyncSession, evidence_ids: Sequence[int]) -> dict[int, int]:
    query = select(EvidenceFile.evidence_id).where(col(EvidenceFile.evidence_id).in_(evidence_ids))
    counts: dict[int, int] = {}
    for evidence_id in (await session.exec(query)).all():
        counts[evidence_id] = counts.get(evidence_id, 0) + 1
    return counts


def _digest_item(evidence: Evidence, target: Target, files: int, since: datetime) -> DigestItem:
    return DigestItem(
        id=stored_id(evidence.id),
        indicator=target.indicator,
        unit=target.unit,
        realisation=evidence.realisation,
        capaian=capaian_of(target, evidence.realisation),
        note=evidence.note,
        link=evidence.link,
        files=files,
        status=evidence.status,
        submitted_at=evidence.submitted_at,
        is_new=evidence.submitted_at > since,
    )


async def _item(
    session: AsyncSession, evidence: Evidence, owner: Employee, target: Target
) -> ReviewItem:
    query = (
        select(EvidenceFile)
        .where(col(EvidenceFile.evidence_id) == evidence.id)
        .order_by(col(EvidenceFile.id))
    )
    files = tuple(attached_file(row) for row in (await session.exec(query)).all())
    return ReviewItem(
        id=stored_id(evidence.id),
        employee_name=owner.name,
        indicator=target.indicator,
        unit=target.unit,
        realisation=evidence.realisation,
        status=evidence.status,
        link=evidence.link,
        files=files,
        note=evidence.note,
    )


async def _tell_employee(
    session: AsyncSession,
    evidence: Evidence,
    *,
    owner: Employee,
    target: Target,
    reviewer: str,
    now: datetime,
) -> None:
    """Queue the review's notice to the employee (nothing when they are not linked)."""
    if owner.telegram_user_id is None:
        return
    note = Notification(
        dedupe_key=f"evidence:{evidence.id}:{evidence.status.value}",
        chat_id=owner.telegram_user_id,
        template=f"evidence/notice_{evidence.status.value}",
        context={
            "number": evidence.id,
            "indicator": target.indicator,
            "reviewer": reviewer,
            "comment": evidence.review_comment,
        },
        employee_id=owner.id,
        language=owner.language,
        priority=REPLY,
    )
    await enqueue(session, note, now=now)
