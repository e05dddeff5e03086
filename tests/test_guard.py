"""The sending guard: whatever a template renders, no request leaves over Telegram's limits."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import KinerjaApp
from bot.render import Rendered
from tests.support.limits import guard_warnings, inline_buttons, problems, shown
from tests.support.recording import RecordingRequest

CHAT = 4242
LINE = "<b>{n}.</b> Tersusunnya laporan &amp; <i>dokumen</i> kepegawaian bulanan 😀"


def long_text(lines: int = 200) -> Rendered:
    """A rendered message far over 4096 characters, from a made-up template name."""
    return Rendered("\n".join(LINE.format(n=n) for n in range(lines)), "test/too_long")


async def test_an_overlong_message_goes_out_in_pieces_with_the_buttons_on_the_last(
    app: KinerjaApp, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """Each piece fits and parses; together they say everything; a warning names the template."""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="a:ok:1")]])
    text = long_text()
    await app.bot.send_message(CHAT, text, reply_markup=markup)
    sent = recorder.sent(CHAT)
    assert len(sent) > 1
    assert all(not problems(call) for call in recorder.calls)
    assert "\n".join(shown(params) for params in sent) == shown({**sent[0], "text": text})
    assert [bool(inline_buttons(params)) for params in sent] == [False] * (len(sent) - 1) + [True]
    (warning,) = guard_warnings(caplog)
    assert "test/too_long" in warning


async def test_an_overlong_edit_and_caption_are_shortened(
    app: KinerjaApp, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """An edit cannot be split: it is shortened with "…"; so is a caption over 1024."""
    await app.bot.edit_message_text(long_text(), CHAT, 7)
    await app.bot.send_document(CHAT, "file-id", caption=long_text(30))
    edit, document = recorder.calls[-2:]
    assert (edit.method, document.method) == ("editMessageText", "sendDocument")
    assert not problems(edit)
    assert not problems(document)
    assert shown(edit.params).endswith("…")
    assert shown(document.params, "caption").endswith("…")
    assert len(guard_warnings(caplog)) == 2


async def test_a_keyboard_over_100_buttons_keeps_its_last_row(
    app: KinerjaApp, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """The first rows that fit and the last row (page or cancel buttons) stay."""
    rows = [[InlineKeyboardButton(f"{n}", callback_data=f"a:x:{n}")] for n in range(150)]
    rows.append([InlineKeyboardButton("Batal", callback_data="a:cancel:1")])
    await app.bot.send_message(CHAT, "Pilih", reply_markup=InlineKeyboardMarkup(rows))
    buttons = inline_buttons(recorder.last(CHAT))
    assert len(buttons) == 100
    assert buttons[-1]["text"] == "Batal"
    assert guard_warnings(caplog)


async def test_what_fits_goes_out_untouched(
    app: KinerjaApp, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """4096 characters exactly (two of them one emoji) is one message, unchanged."""
    text = "x" * 4094 + "😀"
    await app.bot.send_message(CHAT, text)
    assert recorder.texts(CHAT) == [text]
    assert not guard_warnings(caplog)
