"""Evidence: /bukti, a photo or document sent without a command, /tim for superiors.

The evidence form asks: which target → the realisation so far (checked against the satuan) →
photos, documents or a link (or skip) → a short note (or skip) → confirm. Files are downloaded
from Telegram only when the form is sent, then handed to the service as bytes. A photo or
document sent while no form is open starts the same form with that file already attached.

/tim shows a superior what their direct subordinates sent in the last 24 hours (and anything
older still awaiting review), one message per person, with buttons to verify an item, ask for a
correction (a one-question form for the comment) or get its files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.callbacks import ItemAction
from bot.domain import EvidenceStatus, FileKind
from bot.forms import inputs
from bot.forms.spec import (
    MAX_DOWNLOAD_BYTES,
    Bounds,
    FileAnswer,
    Form,
    FormContext,
    Invalid,
    Kind,
    Option,
    Reply,
    Step,
)
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.messages import utf16_len
from bot.services.evidence.types import (
    AttachedFile,
    DigestPerson,
    ReviewItem,
    ReviewStatus,
    TargetChoice,
    TeamStatus,
    Upload,
    form_view,
    realisation_limits,
)
from bot.services.refusals import Refused

EVIDENCE_FORM, FIX_FORM = "evidence", "evidence_fix"
VERIFY, FIX, FILES, READ = "ev_verify", "ev_fix", "ev_files", "ev_read"
# /tim clips these (as team_person does); 🔍 opens an item whose texts were clipped, in full.
CLIP_INDICATOR, CLIP_NOTE = 100, 120
LIMIT_MB = MAX_DOWNLOAD_BYTES // (1024 * 1024)


class _FileRefusedError(Exception):
    """Telegram would not hand over a file: too big (its size was unknown when attached) or gone."""

    def __init__(self, attached: FileAnswer, reason: str) -> None:
        super().__init__(attached.file_id)
        self.attached = attached
        self.reason = reason


# --- the evidence form ---------------------------------------------------------------------


def _files_of(answers: Any) -> list[FileAnswer]:
    attached = answers.get("files") or {}
    return [FileAnswer.from_json(item) for item in attached.get("files", [])]


def _link_of(answers: Any) -> str | None:
    link = (answers.get("files") or {}).get("link")
    return str(link) if link else None


async def _open_targets(ctx: FormContext) -> TargetChoice:
    """The person's open targets, read once per update: every hook below needs them."""
    evidence = ctx.telegram.deps.evidence
    return await ctx.once("evidence.choices", lambda: evidence.choices(ctx.actor))


async def _guard(ctx: FormContext) -> Reply | None:
    choice = await _open_targets(ctx)
    if choice.unavailable is None:
        return None
    return Reply("evidence/unavailable", {"reason": choice.unavailable.value})


async def _targets(ctx: FormContext) -> list[Option]:
    choice = await _open_targets(ctx)
    label = ctx.telegram.deps.renderer.label
    return [
        Option(str(t.id), label(ctx.language, "evidence.target_option", indicator=t.indicator))
        for t in choice.targets
    ]


async def _describe(ctx: FormContext) -> dict[str, Any]:
    target, typed = ctx.answers.get("target"), ctx.answers.get("realisation")
    realisation = Decimal(typed) if typed is not None else None
    chosen = None
    if target is not None:
        chosen = form_view(await _open_targets(ctx), int(target), realisation)
    return {
        "chosen": chosen,
        "realisation": realisation,
        "files": _files_of(ctx.answers),
        "link": _link_of(ctx.answers),
    }


async def _bounds(ctx: FormContext) -> Bounds:
    view = form_view(await _open_targets(ctx), int(ctx.answers["target"]))
    unit = view.target.unit if view else ""
    low, high = realisation_limits(unit)
    return Bounds(low=low, high=high, unit=unit)


async def _check_realisation(ctx: FormContext, value: Any) -> None:
    service = ctx.telegram.deps.evidence
    try:
        service.check_realisation(Decimal(value))
    except Refused as refusal:
        raise Invalid(refusal.code, **refusal.params) from refusal
    if form_view(await _open_targets(ctx), int(ctx.answers["target"])) is None:
        raise Invalid("target_unavailable")


async def _download(context: Context, attached: FileAnswer) -> Upload:
    try:
        telegram_file = await context.bot.get_file(attached.file_id)
    except BadRequest as error:  # not a network failure: asking again cannot help
        reason = "too_big" if "too big" in error.message.lower() else "gone"
        raise _FileRefusedError(attached, reason) from error
    data = await telegram_file.download_as_bytearray()
    kind = FileKind.PHOTO if attached.kind == "photo" else FileKind.DOCUMENT
    return Upload(kind, attached.file_id, attached.mime_type, attached.name, bytes(data))


async def _drop_file(
    ctx: FormContext, refused: FileAnswer, reason: str, **details: object
) -> Reply:
    """Take a refused file out of the form and go back to the files question."""
    drafts = ctx.telegram.deps.drafts
    answers = dict(ctx.answers)
    attached = dict(answers.get("files") or {})
    attached["files"] = [f for f in attached.get("files", []) if f["file_id"] != refused.file_id]
    answers["files"] = attached
    draft = await drafts.current(ctx.user_id)
    if draft is not None:
        await drafts.advance(draft, step="files", answers=answers)
    values = {"name": refused.name or "", "limit_mb": LIMIT_MB, "reason": reason, **details}
    return Reply("evidence/file_refused", values)


async def _complete(ctx: FormContext) -> Reply:
    try:
        uploads = [await _download(ctx.telegram, f) for f in _files_of(ctx.answers)]
    except _FileRefusedError as refused:
        return await _drop_file(ctx, refused.attached, refused.reason)
    try:
        receipt = await ctx.telegram.deps.evidence.submit(
            actor=ctx.actor,
            target_id=int(ctx.answers["target"]),
            realisation=Decimal(ctx.answers["realisation"]),
            note=ctx.answers.get("note"),
            link=_link_of(ctx.answers),
            uploads=uploads,
        )
    except Refused as refusal:
        if refusal.code == "file_content":
            return await _drop_content(ctx, refusal)
        raise Invalid(refusal.code, **refusal.params) from refusal
    return Reply("evidence/receipt", {"receipt": receipt})


async def _drop_content(ctx: FormContext, refusal: Refused) -> Reply:
    """A file whose bytes are not an accepted kind, or not the kind its name says."""
    params = refusal.params
    attached = next(f for f in _files_of(ctx.answers) if f.file_id == params["file_id"])
    details = {key: params[key] for key in ("found", "extension", "kinds")}
    return await _drop_file(ctx, attached, str(params["problem"]), **details)


EVIDENCE = Form(
    name=EVIDENCE_FORM,
    title="evidence.form_title",
    steps=(
        Step("target", Kind.CHOICE, "evidence/ask_target", options=_targets),
        Step(
            "realisation",
            Kind.NUMBER,
            "evidence/ask_realisation",
            bounds=_bounds,
            check=_check_realisation,
        ),
        Step("files", Kind.FILES, "evidence/ask_files", optional=True, max_files=5),
        Step("note", Kind.TEXT, "evidence/ask_note", optional=True, max_length=500),
        Step("confirm", Kind.CONFIRM, "evidence/confirm"),
    ),
    complete=_complete,
    describe=_describe,
    start_guard=_guard,
)


# --- the correction form (the superior's comment) ------------------------------------------


async def _complete_fix(ctx: FormContext) -> Reply:
    review = ctx.telegram.deps.evidence.review
    outcome = await review.ask_correction(
        ctx.actor, int(ctx.answers["evidence"]), str(ctx.answers["comment"])
    )
    return Reply(f"evidence/review_{outcome.status.value}", {"item": outcome.item})


FIX_COMMENT = Form(
    name=FIX_FORM,
    title="evidence.fix_title",
    steps=(Step("comment", Kind.TEXT, "evidence/ask_comment", min_length=5, max_length=500),),
    complete=_complete_fix,
)


# --- commands and messages -----------------------------------------------------------------


async def submit_evidence(update: Update, context: Context) -> None:
    """/bukti: open the evidence form."""
    await context.deps.forms.start(update, context, EVIDENCE_FORM)


async def file_without_form(update: Update, context: Context) -> None:
    """A photo or document with no form open: start the evidence form with it attached."""
    message = update.effective_message
    if message is None:
        return
    try:
        attached = inputs.read_file(message, EVIDENCE.step("files"))
    except Invalid as problem:
        await _reply(update, context, f"forms/invalid/{problem.code}", **problem.params)
        return
    if attached is not None:
        answers = {"files": {"files": [attached.as_json()], "link": None}}
        await context.deps.forms.start(update, context, EVIDENCE_FORM, answers)


async def team(update: Update, context: Context) -> None:
    """/tim: the superior's digest, one message per subordinate with review buttons."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    view = await context.deps.evidence.review.team(await context.actor_of(update))
    if view.status is not TeamStatus.OK or view.digest is None:
        await _reply(update, context, "evidence/team_none", reason=view.status.value)
        return
    digest = view.digest
    await _reply(update, context, "evidence/team_digest", digest=digest)
    language = await context.language_of(update)
    for person in digest.people:
        text = context.deps.renderer.render(language, "evidence/team_person", person=person)
        markup = _review_buttons(context, language, person)
        await message.reply_text(text, reply_markup=markup)


def _review_buttons(
    context: Context, language: str, person: DigestPerson
) -> InlineKeyboardMarkup | None:
    label = context.deps.renderer.label
    rows = []
    for item in person.items:
        row = []
        if item.status is EvidenceStatus.SUBMITTED:
            for action, name in ((VERIFY, "verify"), (FIX, "ask_fix")):
                text = label(language, f"evidence.{name}", number=item.id)
                row.append(
                    InlineKeyboardButton(text, callback_data=ItemAction(action, item.id).encode())
                )
        if item.files or item.link:
            text = label(language, "evidence.files", number=item.id)
            row.append(
                InlineKeyboardButton(text, callback_data=ItemAction(FILES, item.id).encode())
            )
        if utf16_len(item.indicator) > CLIP_INDICATOR or utf16_len(item.note or "") > CLIP_NOTE:
            text = label(language, "evidence.read", number=item.id)
            row.append(InlineKeyboardButton(text, callback_data=ItemAction(READ, item.id).encode()))
        if row:
            rows.append(row)
    return InlineKeyboardMarkup(rows) if rows else None


# --- the superior's buttons ----------------------------------------------------------------


async def _answer(update: Update, context: Context, name: str | None = None) -> None:
    query = update.callback_query
    if query is None:
        return
    if name is None:
        await query.answer()
        return
    language = await context.language_of(update)
    await query.answer(context.deps.renderer.label(language, f"evidence.{name}"))


async def verify(update: Update, context: Context, data: ItemAction) -> None:
    """Verify a subordinate's evidence; a press on someone else's item changes nothing."""
    user = update.effective_user
    if user is None:
        return
    outcome = await context.deps.evidence.review.verify(
        await context.actor_of(update), data.item_id
    )
    if outcome.status is not ReviewStatus.OK:
        await _answer(update, context, outcome.status.value)
        return
    await _answer(update, context, outcome.status.value)
    await _send(update, context, "evidence/review_ok", item=outcome.item)


async def ask_fix(update: Update, context: Context, data: ItemAction) -> None:
    """Ask for a correction: check the item, then ask the superior for a comment."""
    user = update.effective_user
    if user is None:
        return
    outcome = await context.deps.evidence.review.check(await context.actor_of(update), data.item_id)
    if outcome.status is not ReviewStatus.OK or outcome.item is None:
        await _answer(update, context, outcome.status.value)
        return
    await _answer(update, context)
    item = outcome.item
    answers = {"evidence": item.id, "who": item.employee_name, "indicator": item.indicator}
    await context.deps.forms.start(update, context, FIX_FORM, answers)


async def read_item(update: Update, context: Context, data: ItemAction) -> None:
    """🔍: a subordinate's item alone, its indicator and note in full (the reviewer only)."""
    user = update.effective_user
    if user is None:
        return
    outcome = await context.deps.evidence.review.check(await context.actor_of(update), data.item_id)
    if outcome.item is None:
        await _answer(update, context, outcome.status.value)
        return
    await _answer(update, context)
    await _send(update, context, "evidence/item", item=outcome.item)


async def send_files(update: Update, context: Context, data: ItemAction) -> None:
    """Forward an item's files (by Telegram's id, else from the stored copy) and its link."""
    user = update.effective_user
    if user is None:
        return
    outcome = await context.deps.evidence.review.files(await context.actor_of(update), data.item_id)
    if outcome.status is not ReviewStatus.OK or outcome.item is None:
        await _answer(update, context, outcome.status.value)
        return
    await _answer(update, context)
    item, language = outcome.item, await context.language_of(update)
    for attached in item.files:
        caption = context.deps.renderer.render(
            language, "evidence/file_caption", item=item, file=attached
        )
        await _forward(context, user.id, item, attached, caption)
    await _send(update, context, "evidence/files_sent", item=item)


async def _forward(
    context: Context, chat_id: int, item: ReviewItem, attached: AttachedFile, caption: str
) -> None:
    """Send a file under a name and MIME type of the type its bytes showed.

    By Telegram's id when the sender's name already says that type (photos have no name);
    else, or when Telegram no longer knows the file, the bot's own copy, named accordingly.
    """
    photo = attached.kind is FileKind.PHOTO
    if photo or attached.send_name == attached.name:
        try:
            if photo:
                await context.bot.send_photo(chat_id, attached.telegram_file_id, caption=caption)
            else:
                await context.bot.send_document(chat_id, attached.telegram_file_id, caption=caption)
            return
        except BadRequest:  # Telegram no longer knows the file: send our own copy
            pass
    data = await context.deps.evidence.review.read(attached.path)
    upload = InputFile(data, filename=attached.send_name)
    upload.mimetype = attached.mime_type
    if photo:
        await context.bot.send_photo(chat_id, upload, caption=caption)
    else:
        await context.bot.send_document(chat_id, upload, caption=caption)


# --- plumbing ------------------------------------------------------------------------------


async def _reply(update: Update, context: Context, template: str, **values: Any) -> None:
    message = update.effective_message
    if message is None:
        return
    language = await context.language_of(update)
    await message.reply_text(context.deps.renderer.render(language, template, **values))


async def _send(update: Update, context: Context, template: str, **values: Any) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    language = await context.language_of(update)
    await context.bot.send_message(
        chat.id, context.deps.renderer.render(language, template, **values)
    )


HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["bukti", "evidence"], submit_evidence),
    CommandHandler(["tim", "team"], team),
    MessageHandler(filters.PHOTO | filters.Document.ALL, file_without_form),
]
FORMS: tuple[Form, ...] = (EVIDENCE, FIX_COMMENT)
ACTIONS: dict[str, ActionHandler] = {
    VERIFY: verify,
    FIX: ask_fix,
    FILES: send_files,
    READ: read_item,
}
PAGES: dict[str, PageHandler] = {}
COMMANDS: tuple[Command, ...] = (
    Command("bukti", "evidence.cmd_bukti"),
    Command("tim", "evidence.cmd_tim"),
)
