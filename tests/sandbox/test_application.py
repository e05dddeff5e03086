"""A real PTB Application (polling, JobQueue, AIORateLimiter, downloads) against the sandbox."""

from __future__ import annotations

import hashlib

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import Sandbox, SandboxError, SandboxTimeout
from tests.sandbox.support import RunApp, builder_for

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with the command arguments and offer an inline choice."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Setuju", callback_data="agree:1")]])
    args = " ".join(context.args or [])
    await update.effective_message.reply_html(f"Halo <b>{args}</b>", reply_markup=keyboard)


async def agree(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, then edit the message it came from."""
    query = update.callback_query
    assert query is not None
    await query.answer("Tersimpan", show_alert=True)
    await query.edit_message_text(f"Pilihan: {query.data}")


async def ask_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a reply keyboard with a request_contact button."""
    assert update.effective_message is not None
    button = KeyboardButton("Bagikan nomor", request_contact=True)
    await update.effective_message.reply_text(
        "Nomor HP?", reply_markup=ReplyKeyboardMarkup([[button]])
    )


async def got_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo whose contact it is."""
    message = update.effective_message
    assert message is not None
    assert message.contact is not None
    mine = message.contact.user_id == message.chat_id
    await message.reply_text(
        f"{message.contact.phone_number} milik sendiri={mine}", reply_markup=ReplyKeyboardRemove()
    )


async def hash_upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the user's document or photo and reply with its SHA-256."""
    message = update.effective_message
    assert message is not None
    attachment = message.document or message.photo[-1]
    data = await (await attachment.get_file()).download_as_bytearray()
    await message.reply_text(hashlib.sha256(data).hexdigest())


async def test_command_reply_is_visible_to_the_user(sandbox: Sandbox, run_app: RunApp) -> None:
    """/start ARGS reaches the CommandHandler and its HTML reply reaches user.next_message()."""
    user = sandbox.user(701, "Sari")
    async with run_app(CommandHandler("start", start)):
        update_id = await user.send_command("start", "Sari")
        reply = await user.next_message()
        await sandbox.wait_consumed(update_id)
    assert reply.text == "Halo Sari"
    assert reply.entities == [{"type": "bold", "offset": 5, "length": 4}]
    assert reply.buttons == [["Setuju"]]
    unknown = [call.method for call in sandbox.calls if call.error_code == 404]
    assert unknown == []


async def test_button_press_is_answered_and_edits_the_message(
    sandbox: Sandbox, run_app: RunApp
) -> None:
    """press() sends a callback_query; the answer and the edit are both visible."""
    user = sandbox.user(701)
    async with run_app(CommandHandler("start", start), CallbackQueryHandler(agree)):
        await user.send_command("start")
        await user.next_message()
        await user.press("Setuju")
        answer = await user.next_callback_answer()
        edited = await user.wait_for(lambda m: m.text.startswith("Pilihan"))
    assert (answer.text, answer.show_alert, answer.data) == ("Tersimpan", True, "agree:1")
    assert edited.text == "Pilihan: agree:1"
    assert edited.buttons == []
    assert len(user.messages) == 1


async def test_share_contact_needs_the_request_contact_button(
    sandbox: Sandbox, run_app: RunApp
) -> None:
    """share_contact is refused until the bot shows a request_contact keyboard."""
    user = sandbox.user(702, phone_number="6281298765432")
    handlers = (CommandHandler("daftar", ask_contact), MessageHandler(filters.CONTACT, got_contact))
    async with run_app(*handlers):
        with pytest.raises(SandboxError, match="no request_contact button"):
            await user.share_contact()
        await user.send_command("daftar")
        assert (await user.next_message()).text == "Nomor HP?"
        await user.tap("Bagikan nomor")
        assert (await user.next_message()).text == "6281298765432 milik sendiri=True"
        assert user.reply_keyboard is None
        await user.send_contact("+628111", user_id=999, first_name="Budi")
        assert (await user.next_message()).text == "+628111 milik sendiri=False"


async def test_uploads_reach_the_bot_byte_for_byte(sandbox: Sandbox, run_app: RunApp) -> None:
    """Documents and photos the user sends download in the handler with identical bytes."""
    user = sandbox.user(703)
    document = b"%PDF-1.7 bukti kinerja" * 500
    photo = bytes(range(256)) * 64
    async with run_app(MessageHandler(filters.Document.ALL | filters.PHOTO, hash_upload)):
        await user.send_document(document, "bukti.pdf", "application/pdf")
        assert (await user.next_message()).text == hashlib.sha256(document).hexdigest()
        await user.send_photo(photo)
        assert (await user.next_message()).text == hashlib.sha256(photo).hexdigest()


async def test_job_queue_and_rate_limiter_work_against_the_sandbox(
    sandbox: Sandbox, run_app: RunApp
) -> None:
    """A JobQueue job sends through AIORateLimiter, which retries an injected 429."""
    user = sandbox.user(704, started=True)

    async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(704, "Pengingat: isi target")

    builder = builder_for(sandbox).rate_limiter(AIORateLimiter(max_retries=1))
    async with run_app(builder=builder) as app:
        assert app.job_queue is not None
        sandbox.inject_error("sendMessage", retry_after=1)
        app.job_queue.run_once(remind, when=0)
        reminder = await user.next_message(timeout=5)
    assert reminder.text == "Pengingat: isi target"
    assert [call.error_code for call in sandbox.calls_to("sendMessage")] == [429, None]


async def test_pressing_a_missing_button_is_a_clear_error(sandbox: Sandbox) -> None:
    """press() on a button no message shows raises SandboxError listing what exists."""
    user = sandbox.user(705)
    with pytest.raises(SandboxError, match="no bot message in chat 705 has an inline button"):
        await user.press("Setuju")


async def test_next_message_timeout_reports_what_arrived(sandbox: Sandbox) -> None:
    """next_message raises SandboxTimeout (a TimeoutError) describing the chat."""
    user = sandbox.user(706)
    with pytest.raises(SandboxTimeout, match="no message in chat 706") as caught:
        await user.next_message(timeout=0.05)
    assert isinstance(caught.value, TimeoutError)


async def test_blocked_user_cannot_send(sandbox: Sandbox) -> None:
    """A user who blocked the bot must unblock() before writing again."""
    user = sandbox.user(707)
    user.block()
    with pytest.raises(SandboxError, match="unblock"):
        await user.send_text("halo")
