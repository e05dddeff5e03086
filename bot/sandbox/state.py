"""The emulator's world: chats, messages, pending callback queries, files and records.

Nothing here speaks HTTP; the server and the simulated users both act through this class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.sandbox.errors import bad_request, forbidden
from bot.sandbox.files import FileStore
from bot.sandbox.html import ParsedText
from bot.sandbox.limits import FaultInjector, RateLimiter, RateLimits
from bot.sandbox.models import JSON, BotMessage, CallbackAnswer, CallRecord, Delivery
from bot.sandbox.updates import Signal, UpdateQueue


@dataclass
class ChatState:
    """One chat as the bot and its members see it."""

    info: JSON
    started: bool = False
    blocked: bool = False
    next_message_id: int = 1
    messages: list[BotMessage] = field(default_factory=list)
    by_id: dict[int, BotMessage] = field(default_factory=dict)
    user_message_ids: set[int] = field(default_factory=set)
    reply_keyboard: JSON | None = None
    chat_actions: list[str] = field(default_factory=list)
    callback_answers: list[CallbackAnswer] = field(default_factory=list)
    changed: Signal = field(default_factory=Signal)

    @property
    def id(self) -> int:
        """Return the chat id."""
        chat_id: int = self.info["id"]
        return chat_id

    @property
    def is_private(self) -> bool:
        """Return whether this is a private chat with one user."""
        return bool(self.info["type"] == "private")

    def take_message_id(self) -> int:
        """Return the next message id of this chat (bot and user messages share them)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def bot_message(self, message_id: int) -> BotMessage | None:
        """Return a live (not deleted) bot message by id."""
        message = self.by_id.get(message_id)
        return None if message is None or message.deleted else message

    def add_message(self, message: BotMessage) -> None:
        """Append a new bot message."""
        self.messages.append(message)
        self.by_id[message.message_id] = message


@dataclass
class PendingQuery:
    """A callback query the bot has not answered yet."""

    chat_id: int
    message_id: int
    data: str


@dataclass
class Outgoing:
    """What a send method asks to put in a chat."""

    method: str
    parsed: ParsedText
    source: str
    parse_mode: str | None
    markup: JSON | None
    document: JSON | None = None
    photo: list[JSON] | None = None


class SandboxState:
    """All mutable state of one sandbox instance."""

    def __init__(
        self,
        *,
        token: str,
        bot_user: JSON,
        clock: Callable[[], float],
        monotonic: Callable[[], float],
        rate_limits: RateLimits | None,
        first_update_id: int,
        strict_html: bool,
    ) -> None:
        self.token = token
        self.bot_user = bot_user
        self.clock = clock
        self.monotonic = monotonic
        self.strict_html = strict_html
        self.chats: dict[int, ChatState] = {}
        self.queue = UpdateQueue(first_update_id)
        self.files = FileStore()
        self.queries: dict[str, PendingQuery] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook: JSON = {}
        self.calls: list[CallRecord] = []
        self.delivered: list[Delivery] = []
        self.faults = FaultInjector()
        self.limiter = RateLimiter(rate_limits, monotonic) if rate_limits else None
        self._query_counter = 0

    def now(self) -> int:
        """Return the current unix time in whole seconds from the injected clock."""
        return int(self.clock())

    def add_chat(self, info: JSON, *, started: bool = False) -> ChatState:
        """Create a chat (or return the existing one with that id)."""
        if info["id"] not in self.chats:
            self.chats[info["id"]] = ChatState(info=info, started=started)
        return self.chats[info["id"]]

    def target_chat(self, chat_id: int | str) -> ChatState:
        """Return the chat a bot call addresses, refusing what Telegram would refuse."""
        chat = self._find_chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.is_private and chat.blocked:
            raise forbidden("bot was blocked by the user")
        if chat.is_private and not chat.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat

    def _find_chat(self, chat_id: int | str) -> ChatState | None:
        """Return a chat by id or @username."""
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        wanted = chat_id.removeprefix("@").lower()
        for chat in self.chats.values():
            if str(chat.info.get("username", "")).lower() == wanted:
                return chat
        return None

    def message_json(self, chat: ChatState, message: BotMessage) -> JSON:
        """Return the Bot API Message for a bot message."""
        return message.to_api(self.bot_user, chat.info)

    def deliver(self, chat: ChatState, outgoing: Outgoing) -> BotMessage:
        """Put a bot message into a chat (after rate limiting) and record the delivery."""
        if self.limiter is not None:
            self.limiter.admit(chat.id)
        message = BotMessage(
            message_id=chat.take_message_id(),
            chat_id=chat.id,
            date=self.now(),
            text=outgoing.parsed.text,
            source=outgoing.source,
            parse_mode=outgoing.parse_mode,
            entities=outgoing.parsed.entities,
            reply_markup=outgoing.markup,
            document=outgoing.document,
            photo=outgoing.photo,
        )
        chat.add_message(message)
        self._track_reply_keyboard(chat, outgoing.markup)
        self.delivered.append(
            Delivery(chat.id, message.message_id, message.text, self.monotonic(), outgoing.method)
        )
        chat.changed.notify()
        return message

    def _track_reply_keyboard(self, chat: ChatState, markup: JSON | None) -> None:
        """Remember the reply keyboard a message shows or removes."""
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def user_message(self, chat: ChatState, sender: JSON, fields: JSON) -> int:
        """Queue a message update from a user in a chat and return its update_id."""
        message_id = chat.take_message_id()
        chat.user_message_ids.add(message_id)
        if chat.is_private:
            chat.started = True
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": chat.info,
            "date": self.now(),
            **fields,
        }
        return self.queue.push("message", message)

    def press(self, chat: ChatState, sender: JSON, message: BotMessage, data: str) -> int:
        """Queue a callback_query update for an inline button and return its update_id."""
        self._query_counter += 1
        query_id = f"{chat.id & 0xFFFFFFFF}{self._query_counter:08d}"
        self.queries[query_id] = PendingQuery(chat.id, message.message_id, data)
        query = {
            "id": query_id,
            "from": sender,
            "message": self.message_json(chat, message),
            "chat_instance": str(abs(chat.id) * 7919 + 1),
            "data": data,
        }
        return self.queue.push("callback_query", query)

    def answer_query(
        self, query_id: str, text: str | None, show_alert: bool, url: str | None
    ) -> None:
        """Record the bot's answer to a pending callback query (each can be answered once)."""
        pending = self.queries.pop(query_id, None)
        if pending is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        chat = self.chats[pending.chat_id]
        answer = CallbackAnswer(query_id, pending.data, pending.message_id, text, show_alert, url)
        chat.callback_answers.append(answer)
        chat.changed.notify()

    def set_blocked(self, chat: ChatState, sender: JSON, blocked: bool) -> int:
        """Block or unblock the bot in a private chat; queue the my_chat_member update."""
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        return self.bot_membership(chat, sender, old=old, new=new)

    def bot_membership(self, chat: ChatState, sender: JSON, *, old: str, new: str) -> int:
        """Queue the my_chat_member update of the bot's status in a chat changing."""
        member = {
            "chat": chat.info,
            "from": sender,
            "date": self.now(),
            "old_chat_member": _member(self.bot_user, old),
            "new_chat_member": _member(self.bot_user, new),
        }
        return self.queue.push("my_chat_member", member)


def _member(user: JSON, status: str) -> JSON:
    """Return a ChatMember object of the given status."""
    member: JSON = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member
