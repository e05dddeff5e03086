"""Simulated people: a private-chat user and a group, driven from Python by tests and demos."""

from __future__ import annotations

from bot.sandbox.chatview import ChatView, text_fields
from bot.sandbox.errors import SandboxError
from bot.sandbox.files import DEFAULT_PHOTO_SIZE, StoredFile
from bot.sandbox.models import JSON, BotMessage
from bot.sandbox.state import ChatState, SandboxState


class SimUser(ChatView):
    """A Telegram user in a private chat with the bot (chat id == user id).

    Every ``send_*``/``press``/``share_contact`` queues an update and returns its update_id;
    the user can only do what a real client allows (e.g. share_contact needs the button).
    """

    def __init__(
        self, state: SandboxState, chat: ChatState, user: JSON, phone_number: str | None
    ) -> None:
        super().__init__(state, chat)
        self.user = user
        self.phone_number = phone_number

    @property
    def id(self) -> int:
        """Return the Telegram user id."""
        user_id: int = self.user["id"]
        return user_id

    @property
    def blocked(self) -> bool:
        """Return whether this user has blocked the bot."""
        return self._chat.blocked

    async def send_text(self, text: str) -> int:
        """Type and send a text message (a leading /command gets its entity)."""
        return self._send(text_fields(text))

    async def send_command(self, command: str, args: str | None = None) -> int:
        """Send ``/command args`` with a proper bot_command entity."""
        text = f"/{command.lstrip('/')}" + (f" {args}" if args else "")
        return self._send(text_fields(text))

    async def share_contact(self) -> int:
        """Press the bot's request_contact button: send this user's own contact."""
        if not self._has_contact_button():
            raise SandboxError(
                f"user {self.id} cannot share a contact: the bot's current reply keyboard "
                f"has no request_contact button (keyboard: {self.reply_keyboard})"
            )
        if not self.phone_number:
            raise SandboxError(f"user {self.id} has no phone_number to share")
        return self._send({"contact": self._own_contact()})

    async def send_contact(
        self,
        phone_number: str,
        user_id: int | None = None,
        first_name: str = "Kontak",
        last_name: str | None = None,
    ) -> int:
        """Send someone else's contact card (typed or forwarded, not the share button)."""
        contact: JSON = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if user_id is not None:
            contact["user_id"] = user_id
        return self._send({"contact": contact})

    async def tap(self, text: str) -> int:
        """Press a button of the bot's reply keyboard (sends its text, or the contact)."""
        rows = (self.reply_keyboard or {}).get("keyboard", [])
        button = next((b for row in rows for b in row if b.get("text") == text), None)
        if button is None:
            raise SandboxError(f"no reply keyboard button {text!r}; keyboard: {rows}")
        if button.get("request_contact"):
            return await self.share_contact()
        return await self.send_text(text)

    async def press(self, text_or_data: str, message: BotMessage | int | None = None) -> int:
        """Press an inline button (by text or callback_data) on the newest message having it."""
        self._ensure_not_blocked()
        return self._press(self.user, text_or_data, message)

    async def send_photo(
        self,
        data: bytes,
        caption: str | None = None,
        size: tuple[int, int] = DEFAULT_PHOTO_SIZE,
    ) -> int:
        """Send a photo; the bot can fetch it with getFile and download it."""
        stored = self._state.files.put(data, kind="photo", size=size)
        return self._send_media({"photo": stored.as_photo()}, caption)

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> int:
        """Send a file as a document; the bot can fetch it with getFile and download it."""
        stored: StoredFile = self._state.files.put(
            data, kind="document", file_name=file_name, mime_type=mime_type
        )
        return self._send_media({"document": stored.as_document()}, caption)

    def block(self) -> int:
        """Block the bot: its sends to this chat now fail with 403 (queues my_chat_member)."""
        return self._state.set_blocked(self._chat, self.user, True)

    def unblock(self) -> int:
        """Unblock the bot again (queues my_chat_member; send /start to resume talking)."""
        return self._state.set_blocked(self._chat, self.user, False)

    def _send_media(self, fields: JSON, caption: str | None) -> int:
        """Send a photo or document message with an optional caption."""
        if caption:
            fields["caption"] = caption
        return self._send(fields)

    def _send(self, fields: JSON) -> int:
        """Queue a message from this user, unless they blocked the bot."""
        self._ensure_not_blocked()
        return self._state.user_message(self._chat, self.user, fields)

    def _ensure_not_blocked(self) -> None:
        """Refuse actions a user who blocked the bot cannot take."""
        if self._chat.blocked:
            raise SandboxError(f"user {self.id} has blocked the bot; call unblock() first")

    def _has_contact_button(self) -> bool:
        """Return whether the current reply keyboard can share the contact."""
        rows = (self.reply_keyboard or {}).get("keyboard", [])
        return any(button.get("request_contact") for row in rows for button in row)

    def _own_contact(self) -> JSON:
        """Return this user's own Contact object."""
        contact: JSON = {
            "phone_number": self.phone_number,
            "first_name": self.user["first_name"],
            "user_id": self.id,
        }
        if self.user.get("last_name"):
            contact["last_name"] = self.user["last_name"]
        return contact


class SimGroup(ChatView):
    """A group chat where simulated users talk to the bot (any user may post; all is delivered)."""

    def add_bot(self, by: SimUser) -> int:
        """``by`` adds the bot to the group: queues my_chat_member (left → member)."""
        return self._state.bot_membership(self._chat, by.user, old="left", new="member")

    async def send_text(self, from_user: SimUser, text: str) -> int:
        """Post text in the group as ``from_user``; return the update_id."""
        return self._state.user_message(self._chat, from_user.user, text_fields(text))

    async def send_command(
        self, from_user: SimUser, command: str, args: str | None = None, *, mention: bool = False
    ) -> int:
        """Post ``/command[@bot] args`` in the group as ``from_user``; return the update_id."""
        suffix = f"@{self._state.bot_user['username']}" if mention else ""
        text = f"/{command.lstrip('/')}{suffix}" + (f" {args}" if args else "")
        return await self.send_text(from_user, text)

    async def press(
        self, from_user: SimUser, text_or_data: str, message: BotMessage | int | None = None
    ) -> int:
        """Press an inline button in the group as ``from_user``."""
        return self._press(from_user.user, text_or_data, message)

    async def send_photo(
        self,
        from_user: SimUser,
        data: bytes,
        caption: str | None = None,
        size: tuple[int, int] = DEFAULT_PHOTO_SIZE,
    ) -> int:
        """Post a photo in the group as ``from_user``."""
        stored = self._state.files.put(data, kind="photo", size=size)
        return self._post(from_user, {"photo": stored.as_photo()}, caption)

    async def send_document(
        self,
        from_user: SimUser,
        data: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> int:
        """Post a file as a document in the group as ``from_user``."""
        stored = self._state.files.put(
            data, kind="document", file_name=file_name, mime_type=mime_type
        )
        return self._post(from_user, {"document": stored.as_document()}, caption)

    def _post(self, from_user: SimUser, fields: JSON, caption: str | None) -> int:
        """Queue a media message from ``from_user`` in the group."""
        if caption:
            fields["caption"] = caption
        return self._state.user_message(self._chat, from_user.user, fields)
