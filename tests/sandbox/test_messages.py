"""Sending, editing and deleting messages, keyboards and chat actions, via PTB and raw HTTP."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden

from bot.sandbox import Sandbox, SimUser
from tests.sandbox.support import ApiCall, local_request

USER = 501


@pytest.fixture
def sari(sandbox: Sandbox) -> SimUser:
    """A user who has already started the bot."""
    return sandbox.user(USER, "Sari", started=True)


def inline(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """Return a one-row inline keyboard of (text, callback_data) buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_send_message_returns_a_message_and_reaches_the_user(sari: SimUser, bot: Bot) -> None:
    """sendMessage returns a Message and the user sees it, HTML rendered to plain text."""
    sent = await bot.send_message(USER, "<b>Halo</b> Sari", parse_mode=ParseMode.HTML)
    assert sent.text == "Halo Sari"
    assert sent.entities[0].type == "bold"
    seen = await sari.next_message()
    assert (seen.message_id, seen.text, seen.source) == (
        sent.message_id,
        "Halo Sari",
        sent.text_html,
    )
    assert seen.parse_mode == "HTML"


async def test_message_dates_come_from_the_injected_clock() -> None:
    """Message dates are unix seconds from the sandbox clock."""
    async with Sandbox(clock=lambda: 1_767_225_600.9) as sb:
        sb.user(1, started=True)
        async with Bot(sb.token, base_url=sb.base_url, request=local_request()) as ptb:
            sent = await ptb.send_message(1, "x")
    assert sent.date.timestamp() == 1_767_225_600


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "Bad Request: message text is empty"),
        ("   ", "Bad Request: message text is empty"),
        ("x" * 4097, "Bad Request: message is too long"),
    ],
)
async def test_text_length_is_checked(
    sari: SimUser, api: ApiCall, text: str, description: str
) -> None:
    """Empty text and text over 4096 characters are refused."""
    response = await api("sendMessage", chat_id=USER, text=text)
    assert (response.status_code, response.json()["description"]) == (400, description)


async def test_4096_characters_after_parsing_are_accepted(sari: SimUser, api: ApiCall) -> None:
    """The limit applies to the text after HTML parsing, not to the markup."""
    text = "<b>" + "x" * 4096 + "</b>"
    response = await api("sendMessage", chat_id=USER, text=text, parse_mode="HTML")
    assert response.json()["ok"] is True


async def test_bad_html_is_refused_like_telegram(sari: SimUser, bot: Bot) -> None:
    """Unclosed or unsupported tags give 400 "can't parse entities"."""
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(USER, "Nilai<br>90", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="can't find end tag"):
        await bot.send_message(USER, "<b>Nilai", parse_mode=ParseMode.HTML)
    assert sari.messages == []


async def test_unknown_chat_is_400_chat_not_found(bot: Bot) -> None:
    """A chat id nobody created answers 400 chat not found."""
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "x")


async def test_blocked_user_is_403(sari: SimUser, bot: Bot) -> None:
    """After user.block(), sends fail with 403 bot was blocked by the user; unblock restores."""
    sari.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    sari.unblock()
    assert (await bot.send_message(USER, "x")).text == "x"


async def test_user_who_never_started_cannot_be_messaged(sandbox: Sandbox, bot: Bot) -> None:
    """A user who never wrote to the bot is 403 until they send something."""
    budi = sandbox.user(502, "Budi")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(502, "x")
    await budi.send_text("halo")
    assert (await bot.send_message(502, "x")).text == "x"


async def test_inline_keyboard_is_visible_with_buttons(sari: SimUser, bot: Bot) -> None:
    """An inline keyboard is stored as a plain dict and exposed through .buttons."""
    await bot.send_message(USER, "Pilih", reply_markup=inline(("Ya", "y"), ("Tidak", "n")))
    message = await sari.next_message()
    assert message.buttons == [["Ya", "Tidak"]]
    assert message.reply_markup == {
        "inline_keyboard": [
            [{"text": "Ya", "callback_data": "y"}, {"text": "Tidak", "callback_data": "n"}]
        ]
    }


async def test_callback_data_is_limited_to_64_bytes(sari: SimUser, bot: Bot) -> None:
    """64 bytes of callback_data pass; 65 give 400 BUTTON_DATA_INVALID."""
    await bot.send_message(USER, "ok", reply_markup=inline(("A", "é" * 32)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "x", reply_markup=inline(("A", "x" * 65)))


async def test_inline_button_without_action_is_refused(sari: SimUser, api: ApiCall) -> None:
    """An inline button with only text is refused, as Telegram does."""
    markup = {"inline_keyboard": [[{"text": "A"}]]}
    response = await api("sendMessage", chat_id=USER, text="x", reply_markup=markup)
    assert "Text buttons are unallowed" in response.json()["description"]


async def test_reply_keyboard_remove_and_force_reply(sari: SimUser, bot: Bot) -> None:
    """Reply keyboards stay under the input field until ReplyKeyboardRemove; ForceReply is kept."""
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Kirim nomor", request_contact=True)]])
    await bot.send_message(USER, "Nomor?", reply_markup=keyboard)
    assert sari.reply_keyboard is not None
    await bot.send_message(USER, "Inline", reply_markup=inline(("A", "a")))
    assert sari.reply_keyboard["keyboard"][0][0]["request_contact"] is True
    await bot.send_message(USER, "Terima kasih", reply_markup=ReplyKeyboardRemove())
    assert sari.reply_keyboard is None
    await bot.send_message(USER, "Balas", reply_markup=ForceReply(input_field_placeholder="…"))
    assert sari.last_message is not None
    assert sari.last_message.reply_markup == {
        "force_reply": True,
        "input_field_placeholder": "…",
    }


async def test_edit_message_text_updates_what_the_user_sees(sari: SimUser, bot: Bot) -> None:
    """editMessageText replaces text; omitting reply_markup removes the inline keyboard."""
    sent = await bot.send_message(USER, "Draf", reply_markup=inline(("Simpan", "s")))
    await bot.edit_message_text("<i>Tersimpan</i>", USER, sent.message_id, parse_mode="HTML")
    message = sari.messages[0]
    assert (message.text, message.reply_markup, message.edit_date is not None) == (
        "Tersimpan",
        None,
        True,
    )
    assert len(sari.messages) == 1


async def test_identical_edit_is_not_modified(sari: SimUser, bot: Bot) -> None:
    """Same text and same keyboard give 400 message is not modified."""
    keyboard = inline(("A", "a"))
    sent = await bot.send_message(USER, "Sama", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Sama", USER, sent.message_id, reply_markup=keyboard)
    await bot.edit_message_text("Sama", USER, sent.message_id)


async def test_editing_a_missing_message_is_refused(sari: SimUser, bot: Bot) -> None:
    """Editing an id that is not a bot message gives message to edit not found."""
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 77)


async def test_edit_reply_markup_and_caption(sari: SimUser, bot: Bot) -> None:
    """editMessageReplyMarkup swaps the keyboard; editMessageCaption changes a caption."""
    sent = await bot.send_message(USER, "Pilih", reply_markup=inline(("A", "a")))
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=inline(("B", "b")))
    assert sari.messages[0].buttons == [["B"]]
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=inline(("B", "b")))
    doc = await bot.send_document(USER, b"data", filename="a.txt", caption="lama")
    await bot.edit_message_caption(USER, doc.message_id, caption="baru")
    assert sari.messages[1].text == "baru"


async def test_delete_message_hides_it_from_the_user(sari: SimUser, bot: Bot) -> None:
    """deleteMessage removes the message from user.messages; a second delete is refused."""
    sent = await bot.send_message(USER, "sementara")
    assert await bot.delete_message(USER, sent.message_id)
    assert sari.messages == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_chat_action_is_recorded_and_validated(sari: SimUser, bot: Bot, api: ApiCall) -> None:
    """sendChatAction records valid actions and refuses unknown ones."""
    assert await bot.send_chat_action(USER, ChatAction.TYPING)
    assert sari.chat_actions == ["typing"]
    response = await api("sendChatAction", chat_id=USER, action="dancing")
    assert response.json()["description"] == "Bad Request: wrong parameter action in request"


async def test_unknown_callback_query_id_is_refused(bot: Bot) -> None:
    """answerCallbackQuery with an unknown id gives Telegram's "query is too old" error."""
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


async def test_caption_is_validated_like_text(sari: SimUser, bot: Bot) -> None:
    """Captions over 1024 characters or with bad HTML are refused."""
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, b"x", filename="a.txt", caption="x" * 1025)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_photo(USER, b"x", caption="<b>x", parse_mode="HTML")


async def test_a_callback_query_can_be_answered_once(sandbox: Sandbox, bot: Bot) -> None:
    """The first answerCallbackQuery is recorded; a second one for the same id is refused."""
    user = sandbox.user(USER, started=True)
    await bot.send_message(USER, "Pilih", reply_markup=inline(("Ya", "y")))
    await user.press("y")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert await update.callback_query.answer("Oke")
    assert user.callback_answers[0].text == "Oke"
    with pytest.raises(BadRequest, match="Query is too old"):
        await update.callback_query.answer("lagi")


# --- Telegram's size limits, measured as Telegram measures them ---------------------------

EMOJI = "😀"  # one code point, two UTF-16 code units: Telegram counts 2


async def test_text_length_counts_utf16_code_units(sari: SimUser, api: ApiCall) -> None:
    """4096 UTF-16 code units pass; one emoji more (2 units) than fits is "message is too long"."""
    fits = EMOJI * 2048
    assert (await api("sendMessage", chat_id=USER, text=fits)).json()["ok"] is True
    over = "x" + EMOJI * 2048  # 2049 code points, 4097 code units
    response = await api("sendMessage", chat_id=USER, text=over)
    assert response.json()["description"] == "Bad Request: message is too long"


async def test_entities_count_once_and_tags_not_at_all(sari: SimUser, api: ApiCall) -> None:
    """`&amp;` is one character after parsing; so 4096 of them fit, and one more does not."""
    fits = "<i>" + "&amp;" * 4096 + "</i>"
    ok = await api("sendMessage", chat_id=USER, text=fits, parse_mode="HTML")
    assert ok.json()["ok"] is True
    over = await api("sendMessage", chat_id=USER, text=fits + "x", parse_mode="HTML")
    assert over.json()["description"] == "Bad Request: message is too long"


async def test_edited_text_is_held_to_the_same_limit(sari: SimUser, bot: Bot) -> None:
    """editMessageText over 4096 UTF-16 code units is refused; the message stays as it was."""
    sent = await bot.send_message(USER, "pendek")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.edit_message_text(EMOJI * 2049, USER, sent.message_id)
    assert sari.messages[-1].text == "pendek"


async def test_caption_counts_utf16_code_units(sari: SimUser, bot: Bot) -> None:
    """1024 code units of caption pass; 1025 (an emoji over) are "message caption is too long"."""
    await bot.send_document(USER, b"x", filename="a.txt", caption=EMOJI * 512)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, b"x", filename="a.txt", caption="x" + EMOJI * 512)


def keyboard(count: int, per_row: int = 8) -> InlineKeyboardMarkup:
    """An inline keyboard of ``count`` buttons, ``per_row`` a row."""
    buttons = [InlineKeyboardButton(str(n), callback_data=f"b{n}") for n in range(count)]
    rows = [buttons[i : i + per_row] for i in range(0, count, per_row)]
    return InlineKeyboardMarkup(rows)


async def test_an_inline_keyboard_holds_at_most_100_buttons(sari: SimUser, bot: Bot) -> None:
    """100 buttons pass; 101 are "reply markup is too long", on send and on edit."""
    sent = await bot.send_message(USER, "Pilih", reply_markup=keyboard(100))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(USER, "Pilih", reply_markup=keyboard(101))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard(101))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.edit_message_text("Lagi", USER, sent.message_id, reply_markup=keyboard(101))
    assert len(sari.messages) == 1
