"""Objections (keberatan): /keberatan, filing, and the decider's hearing and final decision.

/keberatan lists what the person can do: object to a result still in its window (straight into
the form when that is all there is to do), open a case they decide, answer a question put to
them. The decider, the person asked and the decider again are reached through the outbox; those
messages carry the same buttons (Ask, Keep, Change, Answer, Open), and /keberatan lists them too.
Every button only names an id: the forms' start guards ask the service whether the presser may;
a refusal the service raises is told by the form engine or :mod:`bot.handlers.refusals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ItemAction, PageTurn
from bot.forms.spec import Choice, Form, FormContext, Invalid, Kind, Reply, Step
from bot.handlers import paging
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.messages import Page, utf16_len
from bot.services.objections import (
    CaseView,
    Decided,
    FilingView,
    NoteLine,
    ObjectionButton,
    ObjectionService,
    ObjectionState,
    Overview,
    Party,
    QuestionView,
    ResultLine,
    TaskLine,
    case_buttons,
    preview,
)
from bot.services.refusals import Refused
from scoring import Rating

FILE_FORM, ASK_FORM, REPLY_FORM = "objection", "objection_ask", "objection_reply"
LIST = "objections"  # the /keberatan list's page buttons
PAGE_SIZE = 8  # questions, cases and results a page
CASE_PAGES = "case"  # a case's pages: the card, then its hearing
NOTES_A_PAGE = 3  # questions and answers (up to 1,000 characters each) a hearing page
RECENT_NOTES = 2  # the newest notes on the card's page
CLIP = 200  # characters of the rater's reasons, notes and decision reason on the card's page
KEEP_FORM, CHANGE_FORM = "objection_keep", "objection_change"
FILE, CASE, REPLY = ObjectionButton.FILE, ObjectionButton.CASE, ObjectionButton.REPLY
ASK_RATER, ASK_EMPLOYEE = ObjectionButton.ASK_RATER, ObjectionButton.ASK_EMPLOYEE
KEEP, CHANGE = ObjectionButton.KEEP, ObjectionButton.CHANGE
Entry = tuple[str, TaskLine | ResultLine]  # ("question" | "case" | "result", the line)
CasePart = tuple[tuple[str, NoteLine | str | None], ...] | None  # a hearing page; None: the card


def _service(ctx: FormContext) -> ObjectionService:
    return ctx.telegram.deps.objections


def _int(ctx: FormContext, key: str) -> int:
    return int(ctx.answers[key])


# --- /keberatan ---------------------------------------------------------------------------


async def keberatan(update: Update, context: Context) -> None:
    """List results, cases and questions; with one open result and nothing else, file at once."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    overview = await deps.objections.overview(await context.actor_of(update))
    if overview is None:
        await message.reply_text(deps.renderer.render(language, "start/not_linked"))
        return
    if (result_id := overview.only_fileable) is not None:
        await deps.forms.start(update, context, FILE_FORM, {"result_id": result_id})
        return
    await _show_overview(update, context, language, overview, None)


async def overview_page(update: Update, context: Context, turn: PageTurn) -> None:
    """◀️ / ▶️ of /keberatan: the lists again, for the presser, at the page asked for."""
    user = update.effective_user
    if user is None:
        return
    overview = await context.deps.objections.overview(await context.actor_of(update))
    if overview is None:
        await paging.refuse_turn(update, context)
        return
    await _show_overview(update, context, await context.language_of(update), overview, turn)


def _entries(overview: Overview) -> list[Entry]:
    """Questions, then cases, then results: what /keberatan lists, in that order."""
    entries: list[Entry] = [("question", q) for q in overview.questions]
    entries += [("case", c) for c in overview.cases]
    return entries + [("result", r) for r in overview.results]


async def _show_overview(
    update: Update, context: Context, language: str, overview: Overview, turn: PageTurn | None
) -> None:
    renderer = context.deps.renderer
    shown = paging.page(_entries(overview), turn, PAGE_SIZE)
    text = renderer.render(language, "objection/overview", overview=overview, page=shown)
    nav = paging.nav_row(renderer, language, LIST, shown)
    rows = _overview_keyboard(context, language, shown)
    await paging.show(update, context, text, paging.keyboard(rows, nav), turn)


def _overview_keyboard(
    context: Context, language: str, shown: Page[Entry]
) -> list[list[InlineKeyboardButton]]:
    """One button per question, case and result still open for an objection, of the page."""
    label = context.deps.renderer.label
    rows = []
    for kind, line in shown.items:
        if isinstance(line, TaskLine) and kind == "question":
            text = label(language, "objection.button_reply", name=line.asked_by)
            action = ItemAction(REPLY, line.note_id)
        elif isinstance(line, TaskLine):
            text = label(language, "objection.button_case", name=line.employee)
            action = ItemAction(CASE, line.objection_id)
        elif line.open and line.state is ObjectionState.NONE:
            text = label(language, "objection.button_file", cycle=line.cycle)
            action = ItemAction(FILE, line.result_id)
        else:
            continue
        rows.append([InlineKeyboardButton(text, callback_data=action.encode())])
    return rows


# --- buttons ------------------------------------------------------------------------------


async def open_case(update: Update, context: Context, data: ItemAction) -> None:
    """Show the decider the case, with Ask / Keep / Change while it is open."""
    await _show_case(update, context, data.item_id, None)


async def case_page(update: Update, context: Context, turn: PageTurn) -> None:
    """◀️ / ▶️ of a case: the card, then its hearing, three notes a page (access re-checked)."""
    await _show_case(update, context, turn.item_id, turn)


async def _show_case(
    update: Update, context: Context, objection_id: int, turn: PageTurn | None
) -> None:
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    deps, language = context.deps, await context.language_of(update)
    view = await deps.objections.case(await context.actor_of(update), objection_id)
    if turn is None:
        await query.answer()
    shown = paging.page(_case_parts(view), turn, 1)
    text = deps.renderer.render(
        language, "objection/case", view=view, page=shown, clip=CLIP, recent=_recent(view)
    )
    nav = paging.nav_row(deps.renderer, language, CASE_PAGES, shown, objection_id)
    markup = paging.keyboard(_case_keyboard(context, language, view), nav)
    await paging.show(update, context, text, markup, turn)


def _case_parts(view: CaseView) -> list[CasePart]:
    """The case's pages: the card (None), then, when the card shortens or leaves anything out,
    the rater's reasons, every note and the decision reason in full, :data:`NOTES_A_PAGE` a page.
    """
    card = view.card
    decided = view.state is not ObjectionState.FILED
    long = [card.hasil_reason, card.perilaku_reason, *(n.text for n in _recent(view))]
    shortened = any(utf16_len(text) > CLIP for text in long) or len(view.notes) > RECENT_NOTES
    if not shortened and not (decided and utf16_len(view.decision_reason) > CLIP):
        return [None]
    items: list[tuple[str, NoteLine | str | None]] = [("reasons", None)]
    items += [("note", note) for note in view.notes]
    if decided:
        items.append(("decision", view.decision_reason))
    chunks = [tuple(items[i : i + NOTES_A_PAGE]) for i in range(0, len(items), NOTES_A_PAGE)]
    return [None, *chunks]


def _recent(view: CaseView) -> tuple[NoteLine, ...]:
    """The newest notes, shown (shortened) on the card's page."""
    return view.notes[-RECENT_NOTES:]


def _case_keyboard(
    context: Context, language: str, view: CaseView
) -> list[list[InlineKeyboardButton]]:
    """The same four buttons the decider's notification carries, while the case is open."""
    if view.state is not ObjectionState.FILED:
        return []
    label = context.deps.renderer.label
    rows = case_buttons(view.card.objection_id)
    return [
        [InlineKeyboardButton(label(language, b.label), callback_data=b.data) for b in row]
        for row in rows
    ]


def _opens(form: str, key: str, **extra: str) -> ActionHandler:
    """A button that opens ``form`` about the item it names (the form's guard checks access)."""

    async def start(update: Update, context: Context, data: ItemAction) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.deps.forms.start(update, context, form, {key: data.item_id, **extra})

    return start


# --- filing -------------------------------------------------------------------------------


async def _filing(ctx: FormContext) -> FilingView:
    """The result to object to, read once per update (the guard and the prompt)."""
    result_id, service = _int(ctx, "result_id"), _service(ctx)
    return await ctx.once(
        ("objection.filing", result_id), lambda: service.filing(ctx.actor, result_id)
    )


async def _filing_guard(ctx: FormContext) -> Reply | None:
    await _filing(ctx)  # a refusal is the form engine's to tell
    return None


async def _filing_describe(ctx: FormContext) -> Mapping[str, Any]:
    try:
        return {"filing": await _filing(ctx)}
    except Refused:  # refused since the form opened: the prompt shows without the result
        return {"filing": None}


async def _file(ctx: FormContext) -> Reply:
    filed = await _service(ctx).file(ctx.actor, _int(ctx, "result_id"), ctx.answers["reasons"])
    return Reply("objection/filed", {"filed": filed})


# --- hearing ------------------------------------------------------------------------------


async def _asking(ctx: FormContext) -> QuestionView:
    """The case and whom the question goes to, read once per update (guard and prompt)."""
    objection_id, party, service = _int(ctx, "objection_id"), _party(ctx), _service(ctx)
    return await ctx.once(
        ("objection.may_ask", objection_id, party),
        lambda: service.may_ask(ctx.actor, objection_id, party),
    )


async def _ask_guard(ctx: FormContext) -> Reply | None:
    await _asking(ctx)
    return None


async def _ask_describe(ctx: FormContext) -> Mapping[str, Any]:
    try:
        return {"asking": await _asking(ctx)}
    except Refused:
        return {"asking": None}


async def _ask(ctx: FormContext) -> Reply:
    party = _party(ctx)
    sent = await _service(ctx).ask(
        ctx.actor, _int(ctx, "objection_id"), party, ctx.answers["question"]
    )
    return Reply("objection/asked", {"sent": sent, "party": party.value})


def _party(ctx: FormContext) -> Party:
    return Party(ctx.answers["party"])


async def _question(ctx: FormContext) -> QuestionView:
    """The question to answer, read once per update (the guard and the prompt)."""
    note_id, service = _int(ctx, "note_id"), _service(ctx)
    return await ctx.once(
        ("objection.question", note_id), lambda: service.question(ctx.actor, note_id)
    )


async def _reply_guard(ctx: FormContext) -> Reply | None:
    await _question(ctx)
    return None


async def _reply_describe(ctx: FormContext) -> Mapping[str, Any]:
    try:
        return {"question": await _question(ctx)}
    except Refused:
        return {"question": None}


async def _reply(ctx: FormContext) -> Reply:
    sent = await _service(ctx).answer(ctx.actor, _int(ctx, "note_id"), ctx.answers["answer"])
    return Reply("objection/replied", {"sent": sent})


# --- deciding -----------------------------------------------------------------------------


async def _deciding(ctx: FormContext) -> CaseView:
    """The case to decide, read once per update (the guard and the prompt)."""
    objection_id, service = _int(ctx, "objection_id"), _service(ctx)
    return await ctx.once(
        ("objection.may_decide", objection_id),
        lambda: service.may_decide(ctx.actor, objection_id),
    )


async def _decide_guard(ctx: FormContext) -> Reply | None:
    await _deciding(ctx)
    return None


async def _decide_describe(ctx: FormContext) -> Mapping[str, Any]:
    try:
        found: CaseView | None = await _deciding(ctx)
    except Refused:
        found = None
    hasil, perilaku = ctx.answers.get("hasil"), ctx.answers.get("perilaku")
    chosen = preview(Rating(hasil), Rating(perilaku)) if hasil and perilaku else None
    return {"case": found, "preview": chosen}


_RATINGS = tuple(
    Choice(rating.value, "objection.rating", (("code", rating.value),))
    for rating in sorted(Rating, reverse=True)
)


async def _not_unchanged(ctx: FormContext, value: Any) -> None:
    hasil, perilaku = Rating(ctx.answers["hasil"]), Rating(value)
    if await _service(ctx).unchanged(_int(ctx, "objection_id"), hasil, perilaku):
        raise Invalid("objection_unchanged")


@dataclass(frozen=True, slots=True)
class KeepAnswers:
    """What the keep form gathered, typed once when it is sent (the draft stores plain JSON)."""

    objection_id: int
    reason: str

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> KeepAnswers:
        """The typed answers of a draft; a draft that lacks one fails loudly here."""
        return cls(int(answers["objection_id"]), str(answers["reason"]))


@dataclass(frozen=True, slots=True)
class ChangeAnswers:
    """What the change form gathered: the new ratings and why, typed once when it is sent."""

    objection_id: int
    hasil: Rating
    perilaku: Rating
    reason: str

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> ChangeAnswers:
        """The typed answers of a draft; a missing answer or an unknown rating fails here."""
        return cls(
            int(answers["objection_id"]),
            Rating(answers["hasil"]),
            Rating(answers["perilaku"]),
            str(answers["reason"]),
        )


async def _keep(ctx: FormContext) -> Reply:
    keep = KeepAnswers.of(ctx.answers)
    return _decided(await _service(ctx).keep(ctx.actor, keep.objection_id, keep.reason))


async def _change(ctx: FormContext) -> Reply:
    change = ChangeAnswers.of(ctx.answers)
    decided = await _service(ctx).change(
        ctx.actor,
        change.objection_id,
        hasil=change.hasil,
        perilaku=change.perilaku,
        reason=change.reason,
    )
    return _decided(decided)


def _decided(decided: Decided) -> Reply:
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
            Step("hasil", Kind.CHOICE, "objection/decide_hasil", options=_RATINGS),
            Step(
                "perilaku",
                Kind.CHOICE,
                "objection/decide_perilaku",
                options=_RATINGS,
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
PAGES: dict[str, PageHandler] = {LIST: overview_page, CASE_PAGES: case_page}
COMMANDS: tuple[Command, ...] = (Command("keberatan", "objection.cmd"),)
