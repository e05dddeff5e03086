"""Bot API methods about the bot itself: identity, updates, webhook, commands, files."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.models import JSON
from bot.sandbox.params import Params
from bot.sandbox.registry import Method, table
from bot.sandbox.state import SandboxState

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def get_me(state: SandboxState, params: Params) -> JSON:
    """getMe: the bot's own User object."""
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": True,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(state: SandboxState, params: Params) -> list[JSON]:
    """getUpdates: confirm by offset, then return pending updates, long-polling if asked."""
    if state.webhook.get("url"):
        raise ApiError(409, WEBHOOK_ACTIVE)
    offset = params.get_int("offset")
    limit = params.get_int("limit")
    timeout = params.get_number("timeout") or 0.0
    state.queue.set_allowed(_allowed_updates(params))
    return await state.queue.poll(offset, 100 if limit is None else limit, timeout)


def _allowed_updates(params: Params) -> list[str] | None:
    """Return allowed_updates as a list of update types, or None when absent."""
    allowed = params.get_json("allowed_updates")
    if allowed is not None and not (
        isinstance(allowed, list) and all(isinstance(kind, str) for kind in allowed)
    ):
        raise bad_request("can't parse allowed_updates JSON object")
    return allowed


async def set_webhook(state: SandboxState, params: Params) -> bool:
    """setWebhook: remember the URL (an empty URL removes the webhook)."""
    url = (params.get_str("url") or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get_str("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    if params.get_bool("drop_pending_updates"):
        state.queue.drop_all()
    state.queue.set_allowed(_allowed_updates(params))
    if not url:
        state.webhook = {}
        return True
    state.webhook = {
        "url": url,
        "secret_token": secret,
        "max_connections": params.get_int("max_connections") or 40,
    }
    state.queue.changed.notify()
    return True


async def delete_webhook(state: SandboxState, params: Params) -> bool:
    """deleteWebhook: forget the webhook, optionally dropping pending updates."""
    if params.get_bool("drop_pending_updates"):
        state.queue.drop_all()
    state.webhook = {}
    return True


async def get_webhook_info(state: SandboxState, params: Params) -> JSON:
    """getWebhookInfo: URL, pending count and the last delivery error, if any."""
    info: JSON = {
        "url": state.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(state.queue.pending),
    }
    if state.webhook.get("url"):
        info["max_connections"] = state.webhook["max_connections"]
    if state.queue.allowed is not None:
        info["allowed_updates"] = sorted(state.queue.allowed)
    for key in ("last_error_date", "last_error_message"):
        if key in state.webhook:
            info[key] = state.webhook[key]
    return info


async def set_my_commands(state: SandboxState, params: Params) -> bool:
    """setMyCommands: store the command list for a scope and language."""
    commands = params.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        _check_command(command)
    state.commands[_commands_key(params)] = commands
    return True


def _check_command(command: Any) -> None:
    """Refuse a BotCommand Telegram would refuse."""
    if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
        raise bad_request("BOT_COMMAND_INVALID")
    if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


async def get_my_commands(state: SandboxState, params: Params) -> list[JSON]:
    """getMyCommands: the list stored for exactly this scope and language."""
    return state.commands.get(_commands_key(params), [])


async def delete_my_commands(state: SandboxState, params: Params) -> bool:
    """deleteMyCommands: forget the list for this scope and language."""
    state.commands.pop(_commands_key(params), None)
    return True


def _commands_key(params: Params) -> tuple[str, str]:
    """Return the (scope, language_code) key a command list is stored under."""
    scope = params.get_json("scope", what="scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get_str("language_code") or ""


async def get_file(state: SandboxState, params: Params) -> JSON:
    """getFile: a File with file_path, refusing files over 20 MB like Telegram."""
    return state.files.for_download(params.require_str("file_id")).as_file()


async def accept(state: SandboxState, params: Params) -> bool:
    """logOut / close: nothing to do for a local emulator."""
    return True


METHODS: dict[str, Method] = table(
    ("getMe", get_me),
    ("getUpdates", get_updates),
    ("setWebhook", set_webhook),
    ("deleteWebhook", delete_webhook),
    ("getWebhookInfo", get_webhook_info),
    ("setMyCommands", set_my_commands),
    ("getMyCommands", get_my_commands),
    ("deleteMyCommands", delete_my_commands),
    ("getFile", get_file),
    ("logOut", accept),
    ("close", accept),
)
