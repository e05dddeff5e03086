"""Messages of the objection journey, planned in the outbox within the change they announce.

Each renders ``templates/<lang>/objection/notify_<kind>.html`` in the recipient's language; the
context holds plain values only (it is stored as JSON until the sender sends it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import ItemAction
from bot.db.models import Employee
from bot.services.objections.rows import Case, card_of, linked_admins, stored_id
from bot.services.objections.views import ObjectionButton, Party
from bot.services.outbox import Button, Notification, enqueue

Buttons = Sequence[Sequence[Button]]


def button(label: str, action: ObjectionButton, item_id: int) -> Button:
    """A button with the label macro ``objection.<label>`` acting on one item."""
    return Button(f"objection.{label}", ItemAction(action.value, item_id).encode())


def case_buttons(objection_id: int) -> Buttons:
    """What the decider can do with an open case."""
    return (
        (
            button("ask_rater", ObjectionButton.ASK_RATER, objection_id),
            button("ask_employee", ObjectionButton.ASK_EMPLOYEE, objection_id),
        ),
        (
            button("keep", ObjectionButton.KEEP, objection_id),
            button("change", ObjectionButton.CHANGE, objection_id),
        ),
    )


async def tell(
    session: AsyncSession,
    person: Employee,
    *,
    key: str,
    kind: str,
    context: dict[str, Any],
    now: datetime,
    buttons: Buttons = (),
) -> bool:
    """Plan ``objection/notify_<kind>`` for one employee; False when they have no Telegram."""
    if person.telegram_user_id is None:
        return False
    note = Notification(
        dedupe_key=f"objection:{key}:to:{person.id}",
        chat_id=person.telegram_user_id,
        template=f"objection/notify_{kind}",
        context=context,
        kind="objection",
        employee_id=person.id,
        language=person.language,
        buttons=buttons,
    )
    await enqueue(session, note, now=now)
    return True


async def announce(
    session: AsyncSession, case: Case, *, admin_chat: int | None, now: datetime
) -> None:
    """Give the decider the new case; without a decider on Telegram, tell BKPSDM instead.

    BKPSDM is the admin chat when one is configured, else every admin on Telegram.
    """
    objection_id = stored_id(case.objection)
    card = asdict(card_of(case))
    decider = case.decider
    if decider is not None and await tell(
        session,
        decider,
        key=f"{objection_id}:filed",
        kind="case",
        context={"card": card},
        now=now,
        buttons=case_buttons(objection_id),
    ):
        return
    context = {"card": card, "decider": decider.name if decider else ""}
    if admin_chat is not None:  # a group: forms run in private chats only, so no buttons
        recipients: list[tuple[int, str | None, Buttons]] = [(admin_chat, None, ())]
    else:
        # without a decider, admins decide: one tap opens the case in their private chat
        opens = ((button("open", ObjectionButton.CASE, objection_id),),) if not decider else ()
        admins = await linked_admins(session)
        recipients = [(a.telegram_user_id, a.language, opens) for a in admins if a.telegram_user_id]
    for chat_id, language, buttons in recipients:
        note = Notification(
            dedupe_key=f"objection:{objection_id}:filed:chat:{chat_id}",
            chat_id=chat_id,
            template="objection/notify_admins",
            context=context,
            kind="objection",
            language=language,
            buttons=buttons,
        )
        await enqueue(session, note, now=now)


async def tell_decision(
    session: AsyncSession, case: Case, *, context: dict[str, Any], now: datetime
) -> None:
    """Deliver the final decision to the employee and to the rater."""
    objection_id = stored_id(case.objection)
    for party, person in ((Party.EMPLOYEE, case.employee), (Party.RATER, case.rater)):
        await tell(
            session,
            person,
            key=f"{objection_id}:decided",
            kind="decision",
            context={**context, "party": party.value},
            now=now,
        )
