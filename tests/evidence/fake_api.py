"""A Bot API for handler tests that also keeps files: getFile, downloads and file sends."""

from __future__ import annotations

import json
from typing import Any

from tests.support.recording import Call, RecordingRequest


class FileServingRequest(RecordingRequest):
    """The recording Bot API, plus getFile, file downloads and sending files.

    ``files`` maps a file_id to the bytes a person sent; ``too_big`` file ids make getFile
    answer "file is too big" (Telegram's refusal); ``forgotten`` file ids are unknown to
    Telegram: getFile refuses them, and so does sending them by id (the bot must upload its copy).
    """

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}
        self.too_big: set[str] = set()
        self.forgotten: set[str] = set()
        self.uploads: list[bytes] = []
        self.uploaded: list[tuple[str, str]] = []  # (file name, MIME type) of each upload

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: Any = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            file_id = url.rsplit("/", 1)[-1]
            self.calls.append(Call("download", {"file_id": file_id}))
            return 200, self.files[file_id]
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if api_method == "getFile":
            return self._get_file(params)
        if api_method in ("sendDocument", "sendPhoto"):
            return self._send_file(api_method, params, request_data)
        return await super().do_request(url, method, request_data, **kwargs)

    def _get_file(self, params: dict[str, Any]) -> tuple[int, bytes]:
        file_id = params["file_id"]
        self.calls.append(Call("getFile", params))
        if file_id in self.too_big:
            return _error("Bad Request: file is too big")
        if file_id in self.forgotten:
            return _error("Bad Request: wrong file identifier/HTTP URL specified")
        size = len(self.files[file_id])
        result = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size}
        return _ok({**result, "file_path": f"documents/{file_id}"})

    def _send_file(
        self, api_method: str, params: dict[str, Any], request_data: Any
    ) -> tuple[int, bytes]:
        self.calls.append(Call(api_method, params))
        field = "photo" if api_method == "sendPhoto" else "document"
        if isinstance(params.get(field), str) and params[field] in self.forgotten:
            return _error("Bad Request: wrong file identifier/HTTP URL specified")
        if request_data is not None and request_data.contains_files:
            for part in request_data.multipart_data.values():
                self.uploads.append(part[1])
                self.uploaded.append((part[0], part[2]))
        chat = {"id": params["chat_id"], "type": "private"}
        return _ok({"message_id": next(self._message_ids), "date": 0, "chat": chat})


def _ok(result: Any) -> tuple[int, bytes]:
    return 200, json.dumps({"ok": True, "result": result}).encode()


def _error(description: str) -> tuple[int, bytes]:
    body = {"ok": False, "error_code": 400, "description": description}
    return 400, json.dumps(body).encode()
