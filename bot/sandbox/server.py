"""HTTP front of the sandbox: Bot API routes, file downloads and the call log."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.sandbox import botmethods, messaging
from bot.sandbox.errors import ApiError
from bot.sandbox.files import MAX_DOCUMENT_UPLOAD
from bot.sandbox.models import CallRecord
from bot.sandbox.params import Params, read_params
from bot.sandbox.registry import Method
from bot.sandbox.state import SandboxState

logger = logging.getLogger(__name__)

METHODS: dict[str, Method] = {**botmethods.METHODS, **messaging.METHODS}


class ApiServer:
    """Serves ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` for one state."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def build_app(self) -> web.Application:
        """Return the aiohttp application with both routes."""
        app = web.Application(client_max_size=MAX_DOCUMENT_UPLOAD + 1024 * 1024)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        return app

    async def handle_api(self, request: web.Request) -> web.Response:
        """Run one Bot API call and answer in the Bot API envelope."""
        received = self.state.monotonic()
        name = request.match_info["method"]
        params: Params | None = None
        try:
            method = self._resolve(request.match_info["token"], name)
            name = method.name
            params = await read_params(request)
            fault = self.state.faults.take(name, params.peek_chat_id())
            if fault is not None:
                raise fault
            result = await method.handler(self.state, params)
        except ApiError as error:
            self._record(name, params, received, error)
            logger.debug("sandbox %s -> %s %s", name, error.error_code, error.description)
            return web.json_response(error.to_json(), status=error.error_code)
        self._record(name, params, received, None)
        return web.json_response({"ok": True, "result": result})

    def _resolve(self, token: str, name: str) -> Method:
        """Return the method for a token and name, or raise 401/404."""
        if token != self.state.token:
            raise ApiError(401, "Unauthorized")
        method = METHODS.get(name.lower())
        if method is None:
            raise ApiError(404, "Not Found")
        return method

    def _record(
        self, name: str, params: Params | None, received: float, error: ApiError | None
    ) -> None:
        """Append the call to the call log."""
        recorded: dict[str, Any] = params.record() if params else {}
        chat_id = params.peek_chat_id() if params else None
        self.state.calls.append(
            CallRecord(
                method=name,
                params=recorded,
                chat_id=chat_id,
                time=received,
                ok=error is None,
                error_code=error.error_code if error else None,
                description=error.description if error else None,
            )
        )

    async def handle_file(self, request: web.Request) -> web.Response:
        """Serve a stored file's bytes by its file_path."""
        if request.match_info["token"] != self.state.token:
            return web.json_response(ApiError(401, "Unauthorized").to_json(), status=401)
        stored = self.state.files.by_path.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").to_json(), status=404)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)
