"""One chat driver for every journey test: send, press, and read what the person saw.

Two layers, one vocabulary:

- the handler layer (the real Application fed updates, a ``RecordingRequest`` as Telegram):
  the functions ``say``/``press``/``tap`` and the class ``Chat`` for one person's private chat;
- the sandbox layer (the running bot over HTTP against ``bot.sandbox``): ``SandboxChat``,
  which waits for each answer and keeps a ``Transcript`` a person can read (``pytest -s``).

``buttons``/``labels``/``data_of`` read the inline keyboard of a recorded ``sendMessage``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bot.app import KinerjaApp
from bot.sandbox.models import BotMessage
from bot.sandbox.users import SimUser
from tests.support import updates as make
from tests.support.recording import RecordingRequest

# --- reading a recorded message -------------------------------------------------------------


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of a sent message, row by row."""
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def labels(message: Mapping[str, Any]) -> list[str]:
    """The labels of a message's inline buttons."""
    return [label for label, _ in buttons(message)]


def data_of(message: Mapping[str, Any], label: str) -> str:
    """The callback data of the button whose label starts with ``label`` (else contains it)."""
    found = [data for text, data in buttons(message) if text.startswith(label)]
    found = found or [data for text, data in buttons(message) if label in text]
    assert found, f"no button {label!r} in {labels(message)}"
    return found[0]


# --- the handler layer: the Application fed updates -----------------------------------------


async def say(app: KinerjaApp, user: int, text: str, *, first_name: str = "Sari") -> None:
    """The person sends a text (or a /command) in their private chat."""
    update = make.message(app.bot, user_id=user, text=text, first_name=first_name)
    await app.process_update(update)


async def press(app: KinerjaApp, user: int, data: str, *, message_id: int = 1) -> None:
    """The person presses a button carrying ``data`` (forged or stale ones too)."""
    update = make.callback(app.bot, user_id=user, data=data, message_id=message_id)
    await app.process_update(update)


async def tap(app: KinerjaApp, recorder: RecordingRequest, user: int, label: str) -> None:
    """Press the button labelled ``label`` on the newest message the person received."""
    await press(app, user, data_of(recorder.last(user), label))


def last_text(recorder: RecordingRequest, user: int) -> str:
    """The newest message text the person received."""
    return str(recorder.last(user)["text"])


def toasts(recorder: RecordingRequest) -> list[dict[str, Any]]:
    """The answers to button presses (toasts and alerts), in order."""
    return [call.params for call in recorder.calls if call.method == "answerCallbackQuery"]


def answers(recorder: RecordingRequest) -> list[str]:
    """The texts of the answers to button presses ("" for a silent one), in order."""
    return [str(params.get("text", "")) for params in toasts(recorder)]


def edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    """Every edited message text, in order."""
    return [call.params for call in recorder.calls if call.method == "editMessageText"]


class Reply(Mapping[str, Any]):
    """A message the bot sent: its Bot API parameters, and its text and buttons to read."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = dict(params)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    @property
    def text(self) -> str:
        """The text as sent (Telegram HTML)."""
        return str(self.params.get("text", ""))

    @property
    def labels(self) -> list[str]:
        """The labels of its inline buttons."""
        return labels(self.params)

    def data(self, label: str) -> str:
        """The callback data of the button labelled ``label``."""
        return data_of(self.params, label)


NOTHING = Reply({})


class Chat:
    """One person's private chat with the bot, as their Telegram app shows it."""

    def __init__(self, app: KinerjaApp, recorder: RecordingRequest, user_id: int) -> None:
        self.app, self.recorder, self.user_id = app, recorder, user_id

    async def say(self, text: str) -> Reply:
        """Send a message or command; the bot's newest message to this chat."""
        await say(self.app, self.user_id, text)
        return self.last

    async def press(self, label: str, message: Mapping[str, Any] | None = None) -> Reply:
        """Press the button labelled ``label`` on the newest message with buttons (or given)."""
        return await self.press_data(data_of(message or self.with_buttons, label))

    async def press_data(self, data: str) -> Reply:
        """Press a button carrying ``data``; the newest message (``NOTHING`` if none yet)."""
        await press(self.app, self.user_id, data)
        return self.last if self.recorder.sent(self.user_id) else NOTHING

    @property
    def last(self) -> Reply:
        """The newest message the bot sent to this chat."""
        return Reply(self.recorder.last(self.user_id))

    @property
    def with_buttons(self) -> Reply:
        """The newest message that has inline buttons."""
        sent = [m for m in self.recorder.sent(self.user_id) if m.get("reply_markup")]
        assert sent, "no message with buttons"
        return Reply(sent[-1])

    @property
    def texts(self) -> list[str]:
        """Every message sent to this chat, in order."""
        return self.recorder.texts(self.user_id)

    @property
    def answers(self) -> list[str]:
        """The texts of the bot's answers to button presses (toasts), in order."""
        return answers(self.recorder)


# --- the sandbox layer: the running bot over HTTP -------------------------------------------


class Transcript:
    """What each person saw and did, in order (print it with ``pytest -s``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def saw(self, who: str, message: BotMessage) -> BotMessage:
        """Note a bot message and return it."""
        keys = message.button_texts
        self.lines.append(
            f"[bot → {who}] {message.text}" + (f"\n    buttons: {keys}" if keys else "")
        )
        return message

    def did(self, who: str, action: str) -> None:
        """Note what the person typed or pressed."""
        self.lines.append(f"[{who}] {action}")

    def __str__(self) -> str:
        return "\n".join(self.lines)


class SandboxChat:
    """A simulated person's private chat: each step waits for the bot's answer and notes it."""

    def __init__(
        self, user: SimUser, name: str, transcript: Transcript | None = None, timeout: float = 10
    ) -> None:
        self.user, self.name, self.timeout = user, name, timeout
        self.transcript = transcript if transcript is not None else Transcript()

    async def say(self, text: str) -> BotMessage:
        """Type ``text`` (or a /command); the bot's next message."""
        self.transcript.did(self.name, text)
        await self.user.send_text(text)
        return await self.reply()

    async def press(self, label: str, message: BotMessage | None = None) -> BotMessage:
        """Press the inline button ``label`` (on ``message`` or the newest having it)."""
        self.transcript.did(self.name, f"presses «{label}»")
        await self.user.press(label, message)
        return await self.reply()

    async def reply(self) -> BotMessage:
        """The bot's next message to this chat (waiting for it), noted in the transcript."""
        return self.transcript.saw(self.name, await self.user.next_message(timeout=self.timeout))
