"""Objections (keberatan): /keberatan, filing, and the decider's hearing and final decision.

/keberatan lists what the person can do: object to a result still in its window (straight into
the form when that is all there is to do), open a case they decide, answer a question put to
them. The decider, the person asked and the decider again are reached through the outbox; those
messages carry the same buttons (Ask, Keep, Change, Answer, Open), and /keberatan lists them too.
Every button only names an id: the forms' start guards ask the service whether the presser may.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ItemAction
from bot.forms.spec import Form, FormContext, Invalid, Kind, Option, Reply, Step
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.services.objections import (
    CaseView,
    Decided,
    ObjectionButton,
    ObjectionService,
    ObjectionState,
    Overview,
    Party,
    Refused,
    case_buttons,
    preview,
)
from scoring import Rating

FILE_FORM, ASK_FORM, REPLY_FORM = "objection", "objection_ask", "objection_reply"
KEEP_FORM, CHANGE_FORM = "objection_keep", "objection_change"
FILE, CASE, REPLY = ObjectionButton.FILE, ObjectionButton.CASE, ObjectionButton.REPLY
ASK_RATER, ASK_EMPLOYEE = ObjectionButton.ASK_RATER, ObjectionButton.ASK_EMPLOYEE
KEEP, CHANGE = ObjectionButton.KEEP, ObjectionButton.CHANGE
REFUSED = "objection/refused"


def _service(ctx: FormContext) -> ObjectionService:
    return ctx.telegram.deps.objections


def _refusal(refused: Refused) -> Reply:
    return Reply(REFUSED, {"refused": refused})


def _int(ctx: FormContext, key: str) -> int:
    return int(ctx.answers[key])


# --- /keberatan ---------------------------------------------------------------------------


async def keberatan(update: Update, context: Context) -> None:
    """List results, cases and questions; with one open result and nothing else, file at once."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    deps, language = context.deps, await context.language_of(update)
    if chat.type != ChatType.PRIVATE:  # results are personal: never in a group
        username = context.bot.username
        await message.reply_text(deps.renderer.render(language, "start/group", username=username))
        return
    overview = await deps.objections.overview(user.id)
    if overview is None:
        await message.reply_text(deps.renderer.render(language, "start/not_linked"))
        return
    if (result_id := overview.only_fileable) is not None:
        await deps.forms.start(update, context, FILE_FORM, {"result_id": result_id})
        return
    text = deps.renderer.render(language, "objection/overview", overview=overview)
    await message.reply_text(text, reply_markup=_overview_keyboard(context, language, overview))


def _overview_keyboard(
    context: Context, language: str, overview: Overview
) -> InlineKeyboardMarkup | None:
    label = context.deps.renderer.label
    rows = [
        (label(language, "objection.button_reply", name=q.asked_by), ItemAction(REPLY, q.note_id))
        for q in overview.questions
    ]
    rows += [
        (
            label(language, "objection.button_case", name=c.employee),
            ItemAction(CASE, c.objection_id),
        )
        for c in overview.cases
    ]
    rows += [
        (label(language, "objection.button_file", cycle=r.cycle), ItemAction(FILE, r.result_id))
        for r in overview.fileable
    ]
    return _keyboard([[row] for row in rows])


def _keyboard(rows: Sequence[Sequence[tuple[str, ItemAction]]]) -> InlineKeyboardMarkup | None:
    buttons = [
        [InlineKeyboardButton(text, callback_data=a.encode()) for text, a in r] for r in rows
    ]
    return InlineKeyboardMarkup(buttons) if buttons else None


# --- buttons ------------------------------------------------------------------------------


async def open_case(update: Update, context: Context, data: ItemAction) -> None:
    """Show the decider the case, with Ask / Keep / Change while it is open."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    await query.answer()
    deps, language = context.deps, await context.language_of(update)
    view = await deps.objections.case(user.id, data.item_id)
    if isinstance(view, Refused):
        await context.bot.send_message(
            chat.id, deps.renderer.render(language, REFUSED, refused=view)
        )
        return
    text = deps.renderer.render(language, "objection/case", view=view)
    await context.bot.send_message(
        chat.id, text, reply_markup=_case_keyboard(context, language, view)
    )


def _case_keyboard(context: Context, language: str, view: CaseView) -> InlineKeyboardMarkup | None:
    """The same four buttons the decider's notification carries, while the case is open."""
    if view.state is not ObjectionState.FILED:
        return None
    label = context.deps.renderer.label
    rows = case_buttons(view.card.objection_id)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label(language, b.label), callback_data=b.data) for b in row]
            for row in rows
        ]
    )


def _opens(form: str, key: str, **extra: str) -> ActionHandler:
    """A button that opens ``form`` about the item it names (the form's guard checks access)."""

    async def start(update: Update, context: Context, data: ItemAction) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.deps.forms.start(update, context, form, {key: data.item_id, **extra})

    return start


# --- filing -------------------------------------------------------------------------------


async def _filing_guard(ctx: FormContext) -> Reply | None:
    found = await _service(ctx).filing(ctx.user_id, _int(ctx, "result_id"))
    return _refusal(found) if isinstance(found, Refused) else None


async def _filing_describe(ctx: FormContext) -> Mapping[str, Any]:
    found = await _service(ctx).filing(ctx.user_id, _int(ctx, "result_id"))
    return {"filing": None if isinstance(found, Refused) else found}


async def _file(ctx: FormContext) -> Reply:
    filed = await _service(ctx).file(ctx.user_id, _int(ctx, "result_id"), ctx.answers["reasons"])
    return (
        _refusal(filed)
        if isinstance(filed, Refused)
        else Reply("objection/filed", {"filed": filed})
    )


# --- hearing ------------------------------------------------------------------------------


async def _ask_guard(ctx: FormContext) -> Reply | None:
    found = await _service(ctx).may_ask(ctx.user_id, _int(ctx, "objection_id"), _party(ctx))
    return _refusal(found) if isinstance(found, Refused) else None


async def _ask_describe(ctx: FormContext) -> Mapping[str, Any]:
    found = await _service(ctx).may_ask(ctx.user_id, _int(ctx, "objection_id"), _party(ctx))
    return {"asking": None if isinstance(found, Refused) else found}


async def _ask(ctx: FormContext) -> Reply:
    party = _party(ctx)
    sent = await _service(ctx).ask(
        ctx.user_id, _int(ctx, "objection_id"), party, ctx.answers["question"]
    )
    if isinstance(sent, Refused):
        return _refusal(sent)
    return Reply("objection/asked", {"sent": sent, "party": party.value})


def _party(ctx: FormContext) -> Party:
    return Party(ctx.answers["party"])


async def _reply_guard(ctx: FormContext) -> Reply | None:
    found = await _service(ctx).question(ctx.user_id, _int(ctx, "note_id"))
    return _refusal(found) if isinstance(found, Refused) else None


async def _reply_describe(ctx: FormContext) -> Mapping[str, Any]:
    found = await _service(ctx).question(ctx.user_id, _int(ctx, "note_id"))
    return {"question": None if isinstance(found, Refused) else found}


async def _reply(ctx: FormContext) -> Reply:
    sent = await _service(ctx).answer(ctx.user_id, _int(ctx, "note_id"), ctx.answers["answer"])
    return (
        _refusal(sent) if isinstance(sent, Refused) else Reply("objection/replied", {"sent": sent})
    )


# --- deciding -----------------------------------------------------------------------------


async def _decide_guard(ctx: FormContext) -> Reply | None:
    found = await _service(ctx).may_decide(ctx.user_id, _int(ctx, "objection_id"))
    return _refusal(found) if isinstance(found, Refused) else None


async def _decide_describe(ctx: FormContext) -> Mapping[str, Any]:
    found = await _service(ctx).may_decide(ctx.user_id, _int(ctx, "objection_id"))
    hasil, perilaku = ctx.answers.get("hasil"), ctx.answers.get("perilaku")
    chosen = preview(Rating(hasil), Rating(perilaku)) if hasil and perilaku else None
    return {"case": None if isinstance(found, Refused) else found, "preview": chosen}


async def _ratings(ctx: FormContext) -> list[Option]:
    label = ctx.telegram.deps.renderer.label
    return [
        Option(rating.value, label(ctx.language, "objection.rating", code=rating.value))
        for rating in sorted(Rating, reverse=True)
    ]


async def _not_unchanged(ctx: FormContext, value: Any) -> None:
    hasil, perilaku = Rating(ctx.answers["hasil"]), Rating(value)
    if await _service(ctx).unchanged(_int(ctx, "objection_id"), hasil, perilaku):
        raise Invalid("objection_unchanged")


async def _keep(ctx: FormContext) -> Reply:
    decided = await _service(ctx).keep(
        ctx.user_id, _int(ctx, "objection_id"), ctx.answers["reason"]
    )
    return _decided(decided)


async def _change(ctx: FormContext) -> Reply:
    decided = await _service(ctx).change(
        ctx.user_id,
        _int(ctx, "objection_id"),
        hasil=Rating(ctx.answers["hasil"]),
        perilaku=Rating(ctx.answers["perilaku"]),
        reason=ctx.answers["reason"],
    )
    return _decided(decided)


def _decided(decided: Decided | Refused) -> Reply:
    if isinstance(decided, Refused):
        return _refusal(decided)
    return Reply("objection/decided", {"decided": decided})


_REASON = Step("reason", Kind.TEXT, "objection/decide_reason", min_length=10, max_length=800)
_CONFIRM = Step("confirm", Kind.CONFIRM, "objection/decide_confirm")

FORMS: tuple[Form, ...] = (
    Form(
        name=FILE_FORM,
        title="objection.form_file",
        steps=(
            Step("reasons", Kind.TEXT, "objection/reasons", min_length=20, max_length=1200),
            Step("confirm", Kind.CONFIRM, "objection/confirm"),
        ),
        complete=_file,
        describe=_filing_describe,
        start_guard=_filing_guard,
    ),
    Form(
        name=ASK_FORM,
        title="objection.form_ask",
        steps=(Step("question", Kind.TEXT, "objection/ask", min_length=5, max_length=800),),
        complete=_ask,
        describe=_ask_describe,
        start_guard=_ask_guard,
    ),
    Form(
        name=REPLY_FORM,
        title="objection.form_reply",
        steps=(Step("answer", Kind.TEXT, "objection/reply", min_length=2, max_length=1000),),
        complete=_reply,
        describe=_reply_describe,
        start_guard=_reply_guard,
    ),
    Form(
        name=KEEP_FORM,
        title="objection.form_keep",
        steps=(_REASON, _CONFIRM),
        complete=_keep,
        describe=_decide_describe,
        start_guard=_decide_guard,
    ),
    Form(
        name=CHANGE_FORM,
        title="objection.form_change",
        steps=(
            Step("hasil", Kind.CHOICE, "objection/decide_hasil", options=_ratings),
            Step(
                "perilaku",
                Kind.CHOICE,
                "objection/decide_perilaku",
                options=_ratings,
                check=_not_unchanged,
            ),
            _REASON,
            _CONFIRM,
        ),
        complete=_change,
        describe=_decide_describe,
        start_guard=_decide_guard,
    ),
)

HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["keberatan", "objection"], keberatan),
]
ACTIONS: dict[str, ActionHandler] = {
    FILE: _opens(FILE_FORM, "result_id"),
    CASE: open_case,
    REPLY: _opens(REPLY_FORM, "note_id"),
    ASK_RATER: _opens(ASK_FORM, "objection_id", party=Party.RATER.value),
    ASK_EMPLOYEE: _opens(ASK_FORM, "objection_id", party=Party.EMPLOYEE.value),
    KEEP: _opens(KEEP_FORM, "objection_id"),
    CHANGE: _opens(CHANGE_FORM, "objection_id"),
}
PAGES: dict[str, PageHandler] = {}
COMMANDS: tuple[Command, ...] = (Command("keberatan", "objection.cmd"),)
