"""/target and /usulan, and the buttons of the targets journey. Thin: parse, one service call,
render, reply.

/target shows the person's targets of the cycle, by RHK, with their status, and buttons to
propose, add an indicator or fix a returned proposal; somebody with no target yet (and nothing
to review) goes straight into the proposal form. The list pages (:data:`PAGE_SIZE` indicators a
page, texts clipped so that a page of 500-character targets fits one message); a 🔍 button opens
a clipped target alone, in full. A superior gets each proposal as a notice with Approve / Return
buttons; /usulan shows those still waiting as cards with the same buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.callbacks import ItemAction, PageTurn
from bot.domain import TargetStatus
from bot.handlers import paging
from bot.handlers.context import Context
from bot.handlers.targets.forms import (
    MORE_FORM,
    REPORT_SUPERIOR,
    RETURN_FORM,
    TARGET_FORM,
    refusal_reply,
)
from bot.messages import Page, utf16_len
from bot.render import Renderer
from bot.services.targets import (
    Gate,
    Outcome,
    Overview,
    Refusal,
    ReportOutcome,
    ReviewItem,
    RhkGroup,
    TargetAction,
    TargetView,
)

APPROVE, RETURN, NEW = TargetAction.APPROVE, TargetAction.RETURN, TargetAction.NEW
MORE, REVISE = TargetAction.MORE, TargetAction.REVISE
READ = "target_read"  # open one of the person's own targets alone, in full
LIST = "targets"  # the /target list's page buttons
PAGE_SIZE = 6  # indicators a page: six of 500-character texts clipped to CLIP still fit
CLIP = 120  # characters of an RHK, indicator or note shown in the list
Rows = list[list[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class Line:
    """One indicator of the /target list, numbered "RHK.indicator" as the person sees it."""

    group: RhkGroup
    number: str
    target: TargetView

    @property
    def clipped(self) -> bool:
        """Whether the list shortens one of its texts (then 🔍 opens it in full)."""
        texts = (self.group.rhk, self.target.indicator, self.target.comment or "")
        return any(utf16_len(text) > CLIP for text in texts)


def _markup(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    buttons = [
        [InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows
    ]
    return InlineKeyboardMarkup(buttons) if buttons else None


def _start_answers(gate: Gate, **ids: int) -> dict[str, Any]:
    """The proposal form's first answers: whether to ask for the superior's RHK, and ids."""
    return {"cascade": bool(gate.superior_rhks), **ids}


async def show_targets(update: Update, context: Context) -> None:
    """/target: the person's targets, or straight into the form when there is nothing to show."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    overview = await deps.targets.overview(await context.actor_of(update))
    gate = overview.gate
    if gate.refusal is Refusal.NOT_LINKED:
        await message.reply_text(deps.renderer.render(language, "start/not_linked"))
        return
    if not overview.has_targets and not overview.awaiting_review:
        if gate.refusal is None:
            await deps.forms.start(update, context, TARGET_FORM, _start_answers(gate))
            return
        reply = refusal_reply(gate, deps.renderer, language)
        text = deps.renderer.render(language, reply.template, **reply.context)
        await message.reply_text(text, reply_markup=_markup(reply.buttons))
        return
    await _show_page(update, context, language, overview, None)


async def targets_page(update: Update, context: Context, turn: PageTurn) -> None:
    """◀️ / ▶️ of /target: the list again, from the database, at the page asked for."""
    user = update.effective_user
    if user is None:
        return
    language = await context.language_of(update)
    overview = await context.deps.targets.overview(await context.actor_of(update))
    if overview.gate.employee is None:
        await paging.refuse_turn(update, context)
        return
    await _show_page(update, context, language, overview, turn)


async def _show_page(
    update: Update, context: Context, language: str, overview: Overview, turn: PageTurn | None
) -> None:
    renderer = context.deps.renderer
    lines = [
        Line(group, f"{group.number}.{index}", target)
        for group in overview.groups
        for index, target in enumerate(group.targets, start=1)
    ]
    shown = paging.page(lines, turn, PAGE_SIZE)
    text = renderer.render(language, "targets/overview", overview=overview, page=shown, clip=CLIP)
    rows = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in _overview_buttons(renderer, language, overview, shown)
    ]
    nav = paging.nav_row(renderer, language, LIST, shown)
    await paging.show(update, context, text, paging.keyboard(rows, nav), turn)


async def read_target(update: Update, context: Context, data: ItemAction) -> None:
    """🔍: one of the person's own targets alone, every text in full."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    deps, language = context.deps, await context.language_of(update)
    found = await deps.targets.own_target(await context.actor_of(update), data.item_id)
    if found is None:
        await query.answer(deps.renderer.label(language, "targets.refused_button"), show_alert=True)
        return
    await query.answer()
    text = deps.renderer.render(language, "targets/detail", target=found.card())
    await context.bot.send_message(chat.id, text)


def _button(
    renderer: Renderer, language: str, label: str, action: str, item_id: int, **values: Any
) -> tuple[str, str]:
    text = renderer.label(language, f"targets.{label}", **values)
    return text, ItemAction(action, item_id).encode()


def _pairs(buttons: list[tuple[str, str]]) -> Rows:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _overview_buttons(
    renderer: Renderer, language: str, overview: Overview, shown: Page[Line]
) -> Rows:
    """For the page's items: read a clipped one in full, add an indicator to each RHK, fix
    each returned one; then propose, and report the superior."""
    gate = overview.gate
    if gate.employee is None:
        return []
    reads = [
        _button(renderer, language, "btn_read", READ, line.target.id, number=line.number)
        for line in shown.items
        if line.clipped
    ]
    rows: Rows = [reads[i : i + 3] for i in range(0, len(reads), 3)]
    if gate.refusal is None:
        rows.append([_button(renderer, language, "btn_propose", NEW, gate.employee.id)])
        groups = {line.group.number: line.group for line in shown.items}
        more = [
            _button(renderer, language, "btn_more", MORE, group.targets[0].id, number=group.number)
            for group in groups.values()
        ]
        fixes = [
            _button(renderer, language, "btn_revise", REVISE, line.target.id, number=line.number)
            for line in shown.items
            if line.target.status is TargetStatus.RETURNED
        ]
        rows += _pairs(more) + _pairs(fixes)
    rows.append(
        [_button(renderer, language, "btn_superior_wrong", REPORT_SUPERIOR, gate.employee.id)]
    )
    return rows


async def review(update: Update, context: Context) -> None:
    """/usulan: each proposal waiting for this superior, as a card with Approve / Return."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    waiting = await deps.targets.pending_reviews(await context.actor_of(update))
    if not waiting.linked:
        await message.reply_text(deps.renderer.render(language, "start/not_linked"))
        return
    if not waiting.items:
        await message.reply_text(deps.renderer.render(language, "targets/review_empty"))
        return
    header = deps.renderer.render(
        language, "targets/review_header", total=waiting.total, shown=len(waiting.items)
    )
    await message.reply_text(header)
    for item in waiting.items:
        await _send_card(message, deps.renderer, language, item)


def _card(renderer: Renderer, language: str, item: ReviewItem, outcome: str) -> str:
    return renderer.render(
        language,
        "targets/review_card",
        owner=item.owner,
        cycle=item.cycle_name,
        target=item.target.card(),
        outcome=outcome,
    )


async def _send_card(message: Message, renderer: Renderer, language: str, item: ReviewItem) -> None:
    rows = [
        [
            _button(renderer, language, "btn_approve", APPROVE, item.target.id),
            _button(renderer, language, "btn_return", RETURN, item.target.id),
        ]
    ]
    await message.reply_text(_card(renderer, language, item, "pending"), reply_markup=_markup(rows))


# --- buttons ---------------------------------------------------------------------------------


async def approve(update: Update, context: Context, data: ItemAction) -> None:
    """Approve: the card shows the outcome; anyone but the direct superior is refused."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    decision = await deps.targets.approve(await context.actor_of(update), data.item_id)
    toast = deps.renderer.label(language, "targets.toast", outcome=decision.outcome.value)
    if decision.outcome is not Outcome.APPROVED or decision.item is None:
        await query.answer(toast, show_alert=True)
        return
    await query.answer(toast)
    await query.edit_message_text(_card(deps.renderer, language, decision.item, "approved"))


async def return_(update: Update, context: Context, data: ItemAction) -> None:
    """Return: ask the superior for a note (a one-question form) when they may decide."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    decision = await deps.targets.review_item(await context.actor_of(update), data.item_id)
    if decision.outcome is not Outcome.PENDING or decision.item is None:
        toast = deps.renderer.label(language, "targets.toast", outcome=decision.outcome.value)
        await query.answer(toast, show_alert=True)
        return
    await query.answer()
    answers = {
        "target_id": data.item_id,
        "owner": decision.item.owner.name,
        "indicator": decision.item.target.indicator,
    }
    await deps.forms.start(update, context, RETURN_FORM, answers)


async def new_target(update: Update, context: Context, data: ItemAction) -> None:
    """Propose a new target (the button carries the person's own employee id)."""
    await _open_form(update, context, TARGET_FORM, employee=data.item_id)


async def more(update: Update, context: Context, data: ItemAction) -> None:
    """Add an indicator to the RHK of one of the person's targets."""
    await _open_form(update, context, MORE_FORM, base=data.item_id)


async def revise(update: Update, context: Context, data: ItemAction) -> None:
    """Fix a returned proposal: the whole form again, replacing it when sent."""
    await _open_form(update, context, TARGET_FORM, revises=data.item_id)


async def _open_form(update: Update, context: Context, form: str, **ids: int) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    gate = await deps.targets.gate(
        await context.actor_of(update),
        base_id=ids.get("base"),
        revises_id=ids.get("revises"),
        employee_id=ids.get("employee"),
    )
    if gate.refusal is Refusal.NOT_ALLOWED:
        await query.answer(deps.renderer.label(language, "targets.refused_button"), show_alert=True)
        return
    await query.answer()
    await deps.forms.start(update, context, form, _start_answers(gate, **ids))


async def report_superior(update: Update, context: Context, data: ItemAction) -> None:
    """'My superior is wrong': the report goes to BKPSDM's admin chat."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    deps, language = context.deps, await context.language_of(update)
    outcome = await deps.targets.report_superior(await context.actor_of(update), data.item_id)
    if outcome in (ReportOutcome.NOT_ALLOWED, ReportOutcome.NOT_LINKED):
        await query.answer(deps.renderer.label(language, "targets.refused_button"), show_alert=True)
        return
    await query.answer()
    text = deps.renderer.render(language, "targets/report_outcome", outcome=outcome.value)
    await context.bot.send_message(chat.id, text)
