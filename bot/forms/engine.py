"""The one engine that runs every form: prompts, answers, validation, branching, submission.

Each answer is saved before the next question is asked. A button carries the draft and the
step sequence number it was shown for; a press on an older keyboard is answered ("already
answered") and changes nothing. A wrong answer gets its explanation and the same question
again; nothing answered before is lost.

A choice with more options than fit a page (:data:`CHOICE_ROWS` rows of buttons) shows one
page with ◀️ / ▶️ buttons; a page button is not an answer: it edits the question in place to
that page and leaves the draft as it was. The prompt gets the page shown as ``choice_page``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.callbacks import FormAnswer
from bot.forms import inputs
from bot.forms.registry import FormRegistry
from bot.forms.spec import (
    ALBUM_KEY,
    CANCEL,
    DONE,
    PAGE,
    SEND,
    SKIP,
    Form,
    FormContext,
    Invalid,
    Kind,
    Option,
    Reply,
    Step,
)
from bot.messages import Page, page_of
from bot.render import Rendered
from bot.services.drafts import DraftState
from bot.services.refusals import Refused

if TYPE_CHECKING:
    from bot.handlers.context import Context

CHOICE_ROWS = 8  # rows of option buttons a page (a step's columns make a row wider)


class FormEngine:
    """Runs the registered forms for everyone, from their drafts in the database."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self.forms = FormRegistry(forms)

    # --- entry points ----------------------------------------------------------------------

    async def start(
        self, update: Update, context: Context, name: str, answers: Mapping[str, Any] | None = None
    ) -> None:
        """Open form ``name`` (replacing any open draft) and ask its first question."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        form = self.forms[name]
        ctx = await self._context(update, context, user.id, chat.id, answers or {})
        try:
            refusal = await form.start_guard(ctx) if form.start_guard is not None else None
        except Refused as refused:  # the service said no: its sentence, and no form opens
            refusal = Reply(refused.template, refused.context)
        if refusal is not None:
            await send_reply(context, ctx, refusal)
            return
        opened = await context.deps.drafts.open(
            telegram_user_id=user.id,
            chat_id=chat.id,
            form=name,
            step=form.steps[0].name,
            answers=dict(answers or {}),
        )
        previous = opened.replaced
        if previous is not None and previous in self.forms and previous != name:
            title = context.deps.renderer.label(ctx.language, self.forms[previous].title)
            await self._say(context, ctx, "forms/replaced", title=title)
        await self._ask(context, ctx, form, opened.draft)

    async def resume(self, update: Update, context: Context) -> None:
        """/lanjut: ask the open form's current question again."""
        draft, ctx = await self._open_draft(update, context)
        if draft is None or ctx is None:
            await self._nothing_open(update, context)
            return
        await self._ask(context, ctx, self.forms[draft.form], draft)

    async def cancel(self, update: Update, context: Context) -> None:
        """/batal: drop the open form."""
        user = update.effective_user
        draft, _ = await self._open_draft(update, context)
        if user is None or draft is None:
            await self._nothing_open(update, context)
            return
        await _drop(update, context, draft, self.forms[draft.form], "forms/cancelled")

    async def on_message(self, update: Update, context: Context) -> bool:
        """Take a message as the answer to the open form's question; False when none is open."""
        message = update.effective_message
        draft, ctx = await self._open_draft(update, context)
        if message is None or draft is None or ctx is None:
            return False
        form = self.forms[draft.form]
        step = form.step(draft.step)
        files_step = form.files_step()
        if (
            files_step is not None
            and step is not files_step
            and (message.photo or message.document)
        ):
            await self._keep_file(context, ctx, files_step, draft, message)
            return True
        try:
            answers = await self._read(message, step, ctx)
        except Invalid as problem:
            await self._ask(context, ctx, form, draft, problem)
            return True
        more = step.kind is Kind.FILES and _wants_more(step, answers.get(step.name))
        await self._after_answer(context, ctx, form, step, draft=draft, answers=answers, stay=more)
        return True

    async def _keep_file(
        self,
        context: Context,
        ctx: FormContext,
        files_step: Step,
        draft: DraftState,
        message: Message,
    ) -> None:
        """A file sent while another question is open (an album, say) waits for the files step.

        The open question stays as it is; one short note per album says the file was kept.
        """
        answers = dict(draft.answers)
        try:
            answers[files_step.name] = self._add_attachment(
                message, files_step, answers.get(files_step.name)
            )
        except Invalid as problem:
            await self._say(context, ctx, f"forms/invalid/{problem.code}", **problem.params)
            return
        album = message.media_group_id
        first_of_album = album is None or answers.get(ALBUM_KEY) != album
        answers[ALBUM_KEY] = album
        if await context.deps.drafts.keep(draft, answers=answers) and first_of_album:
            await self._say(context, ctx, "forms/file_kept")

    async def on_callback(self, update: Update, context: Context, data: FormAnswer) -> None:
        """Take a button press; a press on an old keyboard changes nothing."""
        query = update.callback_query
        draft, ctx = await self._open_draft(update, context)
        if query is None:
            return
        if draft is None or ctx is None or (draft.id, draft.seq) != (data.draft_id, data.seq):
            language = await context.language_of(update)
            await query.answer(context.deps.renderer.label(language, "form_stale"))
            return
        form = self.forms[draft.form]
        step = form.step(draft.step)
        if (number := _page_number(data.value)) is not None:
            await query.answer()
            await self._ask(context, ctx, form, draft, page=number, edit=query)
            return
        await query.answer()
        await _drop_keyboard(query)
        if data.value == CANCEL:
            await self.cancel(update, context)
            return
        try:
            answers = await self._press(step, ctx, data.value)
        except Invalid as problem:
            await self._ask(context, ctx, form, draft, problem)
            return
        if data.value == SEND:
            await self._submit(context, ctx, form, draft)
            return
        await self._after_answer(context, ctx, form, step, draft=draft, answers=answers, stay=False)

    # --- reading answers -------------------------------------------------------------------

    async def _read(self, message: Message, step: Step, ctx: FormContext) -> dict[str, Any]:
        answers = dict(ctx.answers)
        if step.kind is Kind.NUMBER:
            bounds = await step.bounds(ctx) if step.bounds else None
            value = inputs.parse_number(message.text or "")
            value = inputs.check_bounds(value, bounds) if bounds else value
            answers[step.name] = str(value)
        elif step.kind is Kind.TEXT:
            answers[step.name] = inputs.read_text(message, step)
        elif step.kind is Kind.FILES:
            answers[step.name] = self._add_attachment(message, step, answers.get(step.name))
        elif step.kind is Kind.CHOICE:
            answers[step.name] = await _option_by_label(step, ctx, message.text or "")
        else:
            raise Invalid("press_button")
        if step.check is not None:
            await step.check(ctx, answers[step.name])
        return answers

    @staticmethod
    def _add_attachment(message: Message, step: Step, current: Any) -> dict[str, Any]:
        attached = dict(current or {"files": [], "link": None})
        found = inputs.read_file(message, step)
        if found is not None:
            if len(attached["files"]) >= step.max_files:
                raise Invalid("too_many_files", maximum=step.max_files)
            attached["files"] = [*attached["files"], found.as_json()]
            return attached
        link = inputs.read_link(message) if step.allow_link else None
        if link is None:
            raise Invalid("file_expected")
        attached["link"] = link
        return attached

    async def _press(self, step: Step, ctx: FormContext, value: str) -> dict[str, Any]:
        answers = dict(ctx.answers)
        if value == SKIP and step.optional:
            answers[step.name] = None
        elif value == DONE and step.kind is Kind.FILES:
            attached = answers.setdefault(step.name, None) or {}
            if not step.optional and not (attached.get("files") or attached.get("link")):
                raise Invalid("files_required")
        elif value == SEND and step.kind is Kind.CONFIRM:
            pass
        elif step.kind is Kind.CHOICE:
            options = await step.offered(ctx)
            if value not in {option.value for option in options}:
                raise Invalid("unknown_option")
            answers[step.name] = value
            if step.check is not None:
                await step.check(ctx, value)
        else:
            raise Invalid("press_button")
        return answers

    # --- moving on -------------------------------------------------------------------------

    async def _after_answer(
        self,
        context: Context,
        ctx: FormContext,
        form: Form,
        step: Step,
        *,
        draft: DraftState,
        answers: dict[str, Any],
        stay: bool,
    ) -> None:
        following = step if stay else form.after(step, answers)
        if following is None:
            moved = await context.deps.drafts.advance(draft, step=step.name, answers=answers)
            if moved is not None:
                await self._submit(context, _with(ctx, answers), form, moved)
            return
        moved = await context.deps.drafts.advance(draft, step=following.name, answers=answers)
        if moved is None:
            return  # another process answered this step first; it asked the next question
        await self._ask(context, _with(ctx, answers), form, moved)

    async def _submit(
        self, context: Context, ctx: FormContext, form: Form, draft: DraftState
    ) -> None:
        claimed = await context.deps.drafts.advance(draft, step=draft.step, answers=draft.answers)
        if claimed is None:
            return  # a double tap: the first press submits
        try:
            reply = await form.complete(_with(ctx, claimed.answers))
        except Invalid as problem:
            await self._ask(context, ctx, form, claimed, problem)
            return
        except Refused as refused:  # refused when sent: the form is over, its sentence says why
            reply = Reply(refused.template, refused.context)
        await context.deps.drafts.close(claimed)
        await send_reply(context, ctx, reply)

    # --- asking ----------------------------------------------------------------------------

    async def _ask(
        self,
        context: Context,
        ctx: FormContext,
        form: Form,
        draft: DraftState,
        problem: Invalid | None = None,
        *,
        page: int = 1,
        edit: CallbackQuery | None = None,
    ) -> None:
        renderer = context.deps.renderer
        step = form.step(draft.step)
        ctx = _with(ctx, draft.answers)
        extra = dict(await form.describe(ctx)) if form.describe else {}
        if step.bounds is not None:
            extra["bounds"] = await step.bounds(ctx)
        options = await step.offered(ctx) if step.kind is Kind.CHOICE else []
        shown = page_of(options, page, step.page_size or CHOICE_ROWS * step.columns)
        extra["choice_page"] = shown
        number, total = form.position(step, ctx.answers)
        parts = [
            renderer.render(
                ctx.language,
                "forms/header",
                title=renderer.label(ctx.language, form.title),
                number=number,
                total=total,
            )
        ]
        if problem is not None:
            parts.append(
                renderer.render(ctx.language, f"forms/invalid/{problem.code}", **problem.params)
            )
        parts.append(renderer.render(ctx.language, step.prompt, answers=ctx.answers, **extra))
        if shown.count > 1:
            parts.append(
                "📄 "
                + renderer.label(ctx.language, "page_of", number=shown.number, count=shown.count)
            )
        markup = self._keyboard(context, ctx, step, draft, shown)
        text = Rendered("\n\n".join(parts), step.prompt)
        if edit is not None:
            await _edit(edit, text, markup)
            return
        await context.bot.send_message(draft.chat_id, text, reply_markup=markup)

    @staticmethod
    def _keyboard(
        context: Context, ctx: FormContext, step: Step, draft: DraftState, shown: Page[Option]
    ) -> InlineKeyboardMarkup:
        label = context.deps.renderer.label

        def button(text: str, value: str) -> InlineKeyboardButton:
            return InlineKeyboardButton(
                text, callback_data=FormAnswer(draft.id, draft.seq, value).encode()
            )

        rows: list[list[InlineKeyboardButton]] = []
        if step.kind is Kind.CHOICE:
            buttons = [button(o.label, o.value) for o in shown.items]
            rows += [buttons[i : i + step.columns] for i in range(0, len(buttons), step.columns)]
            turns = [
                button(label(ctx.language, name), f"{PAGE}{number}")
                for name, number in (("page_previous", shown.previous), ("page_next", shown.next))
                if number is not None
            ]
            if turns:
                rows.append(turns)
        if step.kind is Kind.FILES:
            attached = ctx.answers.get(step.name) or {}
            count = len(attached.get("files", [])) + (1 if attached.get("link") else 0)
            if count:
                rows.append([button(label(ctx.language, "form_done", count=count), DONE)])
            elif step.optional:
                rows.append([button(label(ctx.language, "form_skip"), DONE)])
        elif step.optional:
            rows.append([button(label(ctx.language, "form_skip"), SKIP)])
        if step.kind is Kind.CONFIRM:
            rows.append([button(label(ctx.language, "form_send"), SEND)])
        rows.append([button(label(ctx.language, "form_cancel"), CANCEL)])
        return InlineKeyboardMarkup(rows)

    # --- plumbing --------------------------------------------------------------------------

    async def _open_draft(
        self, update: Update, context: Context
    ) -> tuple[DraftState | None, FormContext | None]:
        """The sender's open form, if it was opened in the chat this update comes from.

        A form lives in one chat (``Draft.chat_id``): an answer, a press or /lanjut from any
        other chat neither moves it nor makes it speak, so it never moves into a group.
        """
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return None, None
        draft = await context.deps.drafts.current(user.id)
        # Not one of these forms (linking keeps its own draft): not the engine's to answer.
        if draft is None or draft.form not in self.forms or draft.chat_id != chat.id:
            return None, None
        form = self.forms[draft.form]
        if all(step.name != draft.step for step in form.steps):
            # A question an older version asked (renamed or removed since): drop the draft
            # and say so once, instead of failing on every message.
            await _drop(update, context, draft, form, "forms/outdated")
            return None, None
        return draft, await self._context(update, context, user.id, draft.chat_id, draft.answers)

    @staticmethod
    async def _context(
        update: Update, context: Context, user_id: int, chat_id: int, answers: Mapping[str, Any]
    ) -> FormContext:
        actor = await context.actor_of(update)
        return FormContext(
            telegram=context,
            user_id=user_id,
            chat_id=chat_id,
            language=context.deps.renderer.language(actor.language),
            actor=actor,
            answers=dict(answers),
        )

    @staticmethod
    async def _say(context: Context, ctx: FormContext, template: str, **values: Any) -> None:
        text = context.deps.renderer.render(ctx.language, template, **values)
        await context.bot.send_message(ctx.chat_id, text)

    @staticmethod
    async def _nothing_open(update: Update, context: Context) -> None:
        message = update.effective_message
        if message is not None:
            language = await context.language_of(update)
            await message.reply_text(context.deps.renderer.render(language, "forms/nothing_open"))


def _with(ctx: FormContext, answers: Mapping[str, Any]) -> FormContext:
    return FormContext(
        telegram=ctx.telegram,
        user_id=ctx.user_id,
        chat_id=ctx.chat_id,
        language=ctx.language,
        actor=ctx.actor,
        answers=dict(answers),
        memo=ctx.memo,
    )


def _wants_more(step: Step, attached: Any) -> bool:
    """A files step stays open after a file until "done" or the maximum is reached."""
    files = (attached or {}).get("files", [])
    return len(files) < step.max_files


async def _option_by_label(step: Step, ctx: FormContext, text: str) -> str:
    """A typed answer that is exactly a button's label counts as pressing it."""
    wanted = text.strip().casefold()
    for option in await step.offered(ctx):
        if option.label.casefold() == wanted:
            return option.value
    raise Invalid("press_button")


def _page_number(value: str) -> int | None:
    """The page a page button asks for (None: the button is an answer)."""
    number = value.removeprefix(PAGE)
    return int(number) if value.startswith(PAGE) and number.isdecimal() else None


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """Show another page of the question on the message whose page button was pressed."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():  # a double tap: the same page
            raise


async def _drop_keyboard(query: CallbackQuery) -> None:
    """Remove the buttons of an answered question, so they cannot be pressed again."""
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        await message.edit_reply_markup(reply_markup=None)


async def send_reply(context: Context, ctx: FormContext, reply: Reply) -> None:
    """Send a form's final or refusal message, with its item buttons if any."""
    text = context.deps.renderer.render(ctx.language, reply.template, **reply.context)
    markup = None
    if reply.buttons:
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in reply.buttons
            ]
        )
    await context.bot.send_message(ctx.chat_id, text, reply_markup=markup)


async def _drop(
    update: Update, context: Context, draft: DraftState, form: Form, template: str
) -> None:
    """Drop the person's draft and tell them why (``template`` gets the form's title)."""
    language = await context.language_of(update)
    await context.deps.drafts.cancel(draft.telegram_user_id)
    title = context.deps.renderer.label(language, form.title)
    text = context.deps.renderer.render(language, template, title=title)
    await context.bot.send_message(draft.chat_id, text)
