"""Feedback from colleagues: /umpanbalik lists whom to rate; a form rates one on BerAKHLAK.

The form asks the seven values in order, each with a row of 1–5 buttons; a 1 or a 5 branches
to a one-line example of behaviour before the next value; then an optional comment and a
confirmation. Sending it shows the list again, so the next colleague is one tap away.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ItemAction, PageTurn
from bot.forms.spec import Branch, Choice, Form, FormContext, Kind, Reply, Step
from bot.handlers import paging
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.render import Renderer
from bot.services.feedback import COMMENT_MAX, EXAMPLE_MAX, EXTREMES
from bot.services.feedback_types import Access, RaterList, RatingTarget, Window
from scoring import Berakhlak
from scoring.feedback import Relation

FORM = "feedback"
RATE = "feedback_rate"
LIST = "feedback"  # the list's page buttons
PAGE_SIZE = 10  # colleagues a page
VALUES: tuple[Berakhlak, ...] = tuple(Berakhlak)
_SCALE = tuple(Choice.text(str(score)) for score in range(1, 6))


def _example(value: Berakhlak) -> str:
    """The step name of a value's example of behaviour."""
    return f"{value.value}_example"


# --- the list --------------------------------------------------------------------------------


async def show_list(update: Update, context: Context) -> None:
    """/umpanbalik: the colleagues to rate in the current cycle, one button each."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = await context.language_of(update)
    rater_list = await context.deps.feedback.rater_list(await context.actor_of(update))
    await _send(context, message.chat_id, language, _list_reply(context, language, rater_list))


async def list_page(update: Update, context: Context, turn: PageTurn) -> None:
    """◀️ / ▶️ of the list: the rater's list again, from the database, at the page asked for."""
    user = update.effective_user
    if user is None:
        return
    language = await context.language_of(update)
    rater_list = await context.deps.feedback.rater_list(await context.actor_of(update))
    if rater_list.window is not Window.OPEN:
        await paging.refuse_turn(update, context)
        return
    reply = _list_reply(context, language, rater_list, turn=turn)
    text = context.deps.renderer.render(language, reply.template, **reply.context)
    await paging.show(update, context, text, _markup(reply), turn)


async def rate(update: Update, context: Context, data: ItemAction) -> None:
    """A colleague's button: open the form for them, when they are the presser's to rate."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    await query.answer()
    start = await context.deps.feedback.begin(await context.actor_of(update), data.item_id)
    if start.access is not Access.OK or start.target is None:
        language = await context.language_of(update)
        reply = _refusal(start.access, start.cycle, start.when)
        await _send(context, chat.id, language, reply)
        return
    await context.deps.forms.start(update, context, FORM, _form_answers(start.target))


def _list_reply(
    context: Context,
    language: str,
    rater_list: RaterList,
    saved: Mapping[str, Any] | None = None,
    turn: PageTurn | None = None,
) -> Reply:
    """The list's page with a button per colleague, or why there is none to fill in."""
    window = rater_list.window
    if window is Window.OPEN:
        renderer = context.deps.renderer
        shown = paging.page(rater_list.colleagues, turn, PAGE_SIZE)
        buttons = [
            [
                (
                    renderer.label(language, "feedback.colleague", name=c.name, done=c.done),
                    ItemAction(RATE, c.assignment_id).encode(),
                )
            ]
            for c in shown.items
        ]
        nav = paging.nav_row(renderer, language, LIST, shown)
        if nav:
            buttons.append([(b.text, str(b.callback_data)) for b in nav])
        values = {"rater_list": rater_list, "saved": saved, "page": shown}
        return Reply("feedback/list", values, buttons)
    if window is Window.NOT_LINKED:
        return Reply("start/not_linked")
    if window is Window.NONE:
        return Reply("feedback/none")
    when = rater_list.opens_at if window is Window.NOT_YET else rater_list.deadline
    return Reply(f"feedback/{window.value}", {"cycle": rater_list.cycle, "when": when})


def _refusal(access: Access, cycle: str | None, when: datetime | None) -> Reply:
    """Why this rating cannot be opened or sent."""
    if access is Access.NOT_LINKED:
        return Reply("start/not_linked")
    if access is Access.NOT_YOURS:
        return Reply("feedback/not_yours")
    return Reply(f"feedback/{access.value}", {"cycle": cycle, "when": when})


async def _send(context: Context, chat_id: int, language: str, reply: Reply) -> None:
    renderer: Renderer = context.deps.renderer
    text = renderer.render(language, reply.template, **reply.context)
    await context.bot.send_message(chat_id, text, reply_markup=_markup(reply))


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in reply.buttons]
    return InlineKeyboardMarkup(rows)


# --- the form ----------------------------------------------------------------------------------


def _form_answers(target: RatingTarget) -> dict[str, Any]:
    """What the form starts with: the assignment and what its prompts show (no answers)."""
    about = {
        "name": target.name,
        "post": target.post,
        "relation": target.relation.value,
        "cycle": target.cycle,
        "deadline": target.deadline.isoformat(),
        "done": target.done,
        "total": target.total,
        "previous": dict(target.previous),
    }
    return {"assignment": target.assignment_id, "about": about}


def _after_value(index: int) -> Branch:
    """A 1 or a 5 asks for an example; any other score goes on to the next question."""
    value = VALUES[index]
    following = VALUES[index + 1].value if index + 1 < len(VALUES) else "comment"

    def choose(answers: Mapping[str, Any]) -> str:
        return _example(value) if int(answers[value.value]) in EXTREMES else following

    return Branch((_example(value), following), choose)


def _current(answers: Mapping[str, Any]) -> Step:
    """The step being asked: the first one on the answered path without an answer."""
    step = FEEDBACK.steps[0]
    while step.name in answers:
        following = FEEDBACK.after(step, answers)
        if following is None:
            break
        step = following
    return step


async def _describe(ctx: FormContext) -> dict[str, Any]:
    """What every prompt shows: the colleague, the progress, the value asked, the summary."""
    answers = ctx.answers
    about = dict(answers["about"])
    about["deadline"] = datetime.fromisoformat(about["deadline"])
    about["relation"] = Relation(about["relation"])
    step = _current(answers)
    value = next((v for v in VALUES if step.name in {v.value, _example(v)}), None)
    rows = [
        (
            v,
            int(answers[v.value]),
            answers.get(_example(v)) if int(answers[v.value]) in EXTREMES else None,
        )
        for v in VALUES
        if v.value in answers
    ]
    previous = about["previous"].get(value.value) if value else None
    number = VALUES.index(value) + 1 if value else None
    score = answers.get(value.value) if value else None
    return {
        "about": about,
        "value": value,
        "number": number,
        "score": score,
        "previous": previous,
        "rows": rows,
    }


async def _complete(ctx: FormContext) -> Reply:
    """Send the rating; show the list again (or why it could not be saved)."""
    answers = ctx.answers
    scores = {v: int(answers[v.value]) for v in VALUES}
    examples = {v: str(answers.get(_example(v)) or "") for v in VALUES if scores[v] in EXTREMES}
    deps = ctx.telegram.deps
    result = await deps.feedback.submit(
        ctx.actor,
        int(answers["assignment"]),
        scores=scores,
        examples=examples,
        comment=answers.get("comment"),
    )
    if result.access is not Access.OK or result.rater_list is None:
        return _refusal(result.access, result.cycle, result.when)
    saved = {"name": result.ratee, "changed": result.changed}
    return _list_reply(ctx.telegram, ctx.language, result.rater_list, saved)


def _steps() -> tuple[Step, ...]:
    steps: list[Step] = []
    for index, value in enumerate(VALUES):
        steps.append(
            Step(
                value.value,
                Kind.CHOICE,
                "feedback/value",
                options=_SCALE,
                columns=len(_SCALE),
                next=_after_value(index),
            )
        )
        steps.append(
            Step(
                _example(value),
                Kind.TEXT,
                "feedback/example",
                min_length=10,
                max_length=EXAMPLE_MAX,
                counted=False,
            )
        )
    steps.append(
        Step("comment", Kind.TEXT, "feedback/comment", optional=True, max_length=COMMENT_MAX)
    )
    steps.append(Step("confirm", Kind.CONFIRM, "feedback/confirm"))
    return tuple(steps)


FEEDBACK = Form(
    name=FORM, title="feedback.form_title", steps=_steps(), complete=_complete, describe=_describe
)

HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["umpanbalik", "feedback"], show_list)
]
FORMS: tuple[Form, ...] = (FEEDBACK,)
ACTIONS: dict[str, ActionHandler] = {RATE: rate}
PAGES: dict[str, PageHandler] = {LIST: list_page}
COMMANDS: tuple[Command, ...] = (Command("umpanbalik", "feedback.cmd_umpanbalik"),)
