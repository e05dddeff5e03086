"""ObjectionService: file an objection, hear the rater and the employee, decide for good."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Objection, ObjectionNote, Result
from bot.domain import ObjectionStatus
from bot.services.audit import Actor, acting_employee, record
from bot.services.env import ServiceEnv
from bot.services.objections import access, decision, listing, notices
from bot.services.objections.access import Question, Refuser
from bot.services.objections.rows import (
    card_of,
    last_moment,
    load_case,
    notes_of,
    state_of,
    stored_id,
)
from bot.services.objections.views import (
    CaseView,
    Decided,
    Filed,
    FilingView,
    ObjectionAction,
    ObjectionButton,
    ObjectionState,
    Overview,
    Party,
    QuestionView,
    Refusal,
    Sent,
    refused,
)
from bot.services.refusals import Refused
from scoring import Rating


class ObjectionService:
    """Use-cases of keberatan; every method states who acts and checks that they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    # --- reading ---------------------------------------------------------------------------

    async def overview(self, actor: Actor) -> Overview | None:
        """The person's results, the cases they decide and the questions put to them.

        None when the Telegram account is not linked to an employee.
        """
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is None:
                return None
            now, tz = self._env.clock(), self._env.settings.tz
            return Overview(
                results=tuple(await listing.result_lines(session, me, now=now, tz=tz)),
                cases=tuple(await listing.cases_for(session, me)),
                questions=tuple(await listing.questions_for(session, me)),
            )

    async def status_of(self, result_id: int) -> ObjectionState:
        """The objection state of one result (for the results export)."""
        return (await self.statuses_of([result_id]))[result_id]

    async def statuses_of(self, result_ids: Iterable[int]) -> dict[int, ObjectionState]:
        """The objection state of each result, in one query."""
        ids = list(result_ids)
        states = dict.fromkeys(ids, ObjectionState.NONE)
        async with self._env.db.session() as session:
            query = select(Objection).where(col(Objection.result_id).in_(ids))
            for objection in (await session.exec(query)).all():
                states[objection.result_id] = state_of(objection)
        return states

    async def case(self, actor: Actor, objection_id: int) -> CaseView:
        """The case for its decider, open or decided."""
        return await self._case_view(actor, objection_id, open_only=False)

    async def may_decide(self, actor: Actor, objection_id: int) -> CaseView:
        """The case, when this person may still decide it."""
        return await self._case_view(actor, objection_id, open_only=True)

    # --- filing ----------------------------------------------------------------------------

    async def filing(self, actor: Actor, result_id: int) -> FilingView:
        """The result the person may object to now, or why they may not."""
        now, tz = self._env.clock(), self._env.settings.tz
        async with self._env.db.session() as session:
            found = await access.fileable(session, actor, result_id, now=now, tz=tz)
            if not isinstance(found, Refused):
                return FilingView(
                    result_id=result_id,
                    cycle=found.cycle.name,
                    hasil=found.result.hasil.value,
                    perilaku=found.result.perilaku.value,
                    predikat=found.result.predikat.value,
                    until=last_moment(found.result, found.cycle, tz),
                    decider=found.decider.name if found.decider else "",
                )
        raise found  # raised once the session above committed its audit record

    async def file(self, actor: Actor, result_id: int, reasons: str) -> Filed:
        """File an objection with reasons; the decider (or BKPSDM) is told at once."""
        now, tz = self._env.clock(), self._env.settings.tz
        try:
            async with self._env.db.session() as session:
                found = await access.fileable(session, actor, result_id, now=now, tz=tz)
                if not isinstance(found, Refused):
                    return await self._file(session, found, result_id, reasons, now)
        except IntegrityError:  # filed twice at once: the unique result_id kept the first
            raise refused(Refusal.ALREADY_FILED, state=ObjectionState.FILED) from None
        raise found

    async def _file(
        self,
        session: AsyncSession,
        found: access.Filing,
        result_id: int,
        reasons: str,
        now: datetime,
    ) -> Filed:
        objection = Objection(
            result_id=result_id,
            employee_id=stored_id(found.me),
            decider_id=found.decider.id if found.decider else None,
            reasons=reasons.strip(),
            status=ObjectionStatus.OPEN,
            filed_at=now,
        )
        session.add(objection)
        await session.flush()
        self._audit(session, found.me, ObjectionAction.FILED, objection, result=result_id)
        case = await load_case(session, objection)
        admin_chat = self._env.settings.admin_chat_id
        await notices.announce(session, case, admin_chat=admin_chat, now=now)
        decider = found.decider.name if found.decider else ""
        return Filed(stored_id(objection), found.cycle.name, decider)

    # --- hearing ---------------------------------------------------------------------------

    async def may_ask(self, actor: Actor, objection_id: int, party: Party) -> QuestionView:
        """Whether the decider may put a question to ``party`` now (before it is written)."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            found = await access.asking(session, actor, objection_id, party, now=now)
            if not isinstance(found, Refused):
                deciding, person = found
                case = deciding.case
                return QuestionView(
                    0, case.employee.name, case.cycle.name, deciding.me.name, person.name, party, ""
                )
        raise found

    async def ask(self, actor: Actor, objection_id: int, party: Party, text: str) -> Sent:
        """Send the decider's question to the rater or the employee."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            found = await access.asking(session, actor, objection_id, party, now=now)
            if not isinstance(found, Refused):
                return await self._ask(
                    session, found, objection_id=objection_id, party=party, text=text, now=now
                )
        raise found

    async def _ask(
        self,
        session: AsyncSession,
        found: tuple[access.Deciding, Employee],
        *,
        objection_id: int,
        party: Party,
        text: str,
        now: datetime,
    ) -> Sent:
        (me, case), person = (found[0].me, found[0].case), found[1]
        note = ObjectionNote(
            objection_id=objection_id,
            author_id=stored_id(me),
            addressed_to=person.id,
            text=text.strip(),
            at=now,
        )
        session.add(note)
        await session.flush()
        detail = {"note_id": note.id, "party": party.value, "to": person.id}
        self._audit(session, me, ObjectionAction.ASKED, case.objection, **detail)
        context = {
            "employee": case.employee.name,
            "cycle": case.cycle.name,
            "asked_by": me.name,
            "party": party.value,
            "question": note.text,
        }
        answer = notices.button("answer", ObjectionButton.REPLY, stored_id(note))
        await notices.tell(
            session,
            person,
            key=f"note:{note.id}",
            kind="question",
            context=context,
            now=now,
            buttons=((answer,),),
        )
        return Sent(objection_id, person.name)

    async def question(self, actor: Actor, note_id: int) -> QuestionView:
        """A question put to this person, while it may still be answered."""
        async with self._env.db.session() as session:
            found = await access.answering(session, actor, note_id, now=self._env.clock())
            if not isinstance(found, Refused):
                case = found.case
                return QuestionView(
                    note_id,
                    case.employee.name,
                    case.cycle.name,
                    found.asker.name,
                    found.me.name,
                    _party(found),
                    found.note.text,
                )
        raise found

    async def answer(self, actor: Actor, note_id: int, text: str) -> Sent:
        """Send the answer back to whoever asked; one answer per question."""
        now = self._env.clock()
        try:
            async with self._env.db.session() as session:
                found = await access.answering(session, actor, note_id, now=now)
                if not isinstance(found, Refused):
                    return await self._store_answer(session, found, text, now)
        except IntegrityError:  # answered twice at once: the unique reply_to_id kept the first
            raise refused(Refusal.ANSWERED) from None
        raise found

    # --- deciding --------------------------------------------------------------------------

    async def keep(self, actor: Actor, objection_id: int, reason: str) -> Decided:
        """Decide to keep the result as it is (final)."""
        return await self._decide(actor, objection_id, reason, None)

    async def change(
        self,
        actor: Actor,
        objection_id: int,
        *,
        hasil: Rating,
        perilaku: Rating,
        reason: str,
    ) -> Decided:
        """Decide to change the ratings (final); the predikat follows from the matrix."""
        return await self._decide(actor, objection_id, reason, (hasil, perilaku))

    async def unchanged(self, objection_id: int, hasil: Rating, perilaku: Rating) -> bool:
        """True when these are the ratings the objected result already has."""
        async with self._env.db.session() as session:
            objection = await session.get(Objection, objection_id)
            result = await session.get(Result, objection.result_id) if objection else None
            return result is not None and (result.hasil, result.perilaku) == (hasil, perilaku)

    # --- the steps -------------------------------------------------------------------------

    async def _case_view(self, actor: Actor, objection_id: int, *, open_only: bool) -> CaseView:
        attempt = "decide" if open_only else "view"
        async with self._env.db.session() as session:
            found = await access.deciding(
                session,
                actor,
                objection_id,
                now=self._env.clock(),
                attempt=attempt,
                open_only=open_only,
            )
            if not isinstance(found, Refused):
                case = found.case
                return CaseView(
                    card=card_of(case),
                    state=state_of(case.objection),
                    decider=case.decider.name if case.decider else "",
                    notes=tuple(await notes_of(session, case)),
                    decision_reason=case.objection.decision_reason or "",
                )
        raise found

    async def _store_answer(
        self, session: AsyncSession, found: Question, text: str, now: datetime
    ) -> Sent:
        me, question, case = found.me, found.note, found.case
        reply = ObjectionNote(
            objection_id=question.objection_id,
            author_id=stored_id(me),
            addressed_to=found.asker.id,
            reply_to_id=stored_id(question),
            text=text.strip(),
            at=now,
        )
        session.add(reply)
        await session.flush()
        detail = {"note_id": reply.id, "question_id": question.id}
        self._audit(session, me, ObjectionAction.ANSWERED, case.objection, **detail)
        context = {
            "employee": case.employee.name,
            "cycle": case.cycle.name,
            "author": me.name,
            "party": _party(found).value,
            "question": question.text,
            "answer": reply.text,
        }
        opens = notices.button("open", ObjectionButton.CASE, question.objection_id)
        await notices.tell(
            session,
            found.asker,
            key=f"note:{reply.id}",
            kind="answer",
            context=context,
            now=now,
            buttons=((opens,),),
        )
        return Sent(question.objection_id, found.asker.name)

    async def _decide(
        self,
        actor: Actor,
        objection_id: int,
        reason: str,
        ratings: decision.Ratings | None,
    ) -> Decided:
        now = self._env.clock()
        async with self._env.db.session() as session:
            found = await access.deciding(session, actor, objection_id, now=now, attempt="decide")
            if not isinstance(found, Refused):
                outcome = await self._claimed(
                    session, actor, found, reason=reason, ratings=ratings, now=now
                )
                if not isinstance(outcome, Refused):
                    return outcome
                found = outcome
        raise found

    async def _claimed(
        self,
        session: AsyncSession,
        actor: Actor,
        found: access.Deciding,
        *,
        reason: str,
        ratings: decision.Ratings | None,
        now: datetime,
    ) -> Decided | Refused:
        """Decide the case, or the refusal (audited) when it changes nothing or came second."""
        me, case = found.me, found.case
        objection_id = stored_id(case.objection)
        refuse = Refuser(session, now, actor, "objection", objection_id, "decide")
        if ratings == (case.result.hasil, case.result.perilaku):
            return refuse(Refusal.UNCHANGED)
        claimed = await decision.claim(
            session, objection_id, decider=me, reason=reason, ratings=ratings, now=now
        )
        if not claimed:
            return refuse(Refusal.DECIDED, cycle=case.cycle.name, state=ObjectionState.FILED)
        before = decision.ratings_of(case.result)
        decision.apply(
            case.result,
            objection_id=objection_id,
            decider=me,
            reason=reason,
            ratings=ratings,
            now=now,
        )
        session.add(case.result)
        after = decision.ratings_of(case.result)
        chosen = decision.decision_of(ratings).value
        detail = {"decision": chosen, "reason": reason, "before": before, "after": after}
        self._audit(session, me, ObjectionAction.DECIDED, case.objection, **detail)
        context = {"employee": case.employee.name, "cycle": case.cycle.name, "decider": me.name}
        await notices.tell_decision(session, case, context={**context, **detail}, now=now)
        return Decided(
            objection_id, case.employee.name, chosen, after["predikat"], before["predikat"]
        )

    def _audit(
        self,
        session: AsyncSession,
        me: Employee,
        action: ObjectionAction,
        objection: Objection,
        **detail: Any,
    ) -> None:
        record(
            session,
            at=self._env.clock(),
            actor=Actor(me.telegram_user_id, me.id),
            action=action,
            subject_type="objection",
            subject_id=objection.id,
            detail=detail,
        )


def _party(found: Question) -> Party:
    return Party.RATER if found.me.id == found.case.rater.id else Party.EMPLOYEE
