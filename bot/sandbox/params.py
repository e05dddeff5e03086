"""Request parameters: read from any encoding, then decoded per parameter by type.

PTB sends every non-string value JSON-encoded inside form fields (``chat_id=123``,
``reply_markup={"inline_keyboard": ...}``) while raw clients may send native JSON; the
typed accessors below accept both, and string parameters are never JSON-decoded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from multidict import MultiDictProxy

from bot.sandbox.errors import bad_request

_INT = re.compile(r"-?\d+")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}
T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    data: bytes
    file_name: str | None
    mime_type: str | None


class Params:
    """Typed access to the parameters of one Bot API call."""

    def __init__(self, raw: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self.raw = raw
        self.uploads = uploads
        self.decoded: dict[str, Any] = {}

    def has(self, name: str) -> bool:
        """Return whether the parameter was given (as a value or as a file part)."""
        return name in self.raw or name in self.uploads

    def get_str(self, name: str, *, required: bool = False) -> str | None:
        """Return a string parameter; numbers from JSON bodies are converted."""
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, str):
            return self._keep(name, value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._keep(name, str(value))
        raise bad_request(f"parameter {name} must be a string")

    def get_int(self, name: str, *, required: bool = False) -> int | None:
        """Return an integer parameter (JSON number or decimal string)."""
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return self._keep(name, value)
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            return self._keep(name, int(value.strip()))
        raise bad_request(f"parameter {name} must be an integer")

    def get_number(self, name: str) -> float | None:
        """Return a numeric parameter such as ``timeout`` (ints or floats)."""
        value = self._get(name, False)
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise bad_request(f"parameter {name} must be a number") from None
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._keep(name, float(value))
        raise bad_request(f"parameter {name} must be a number")

    def get_bool(self, name: str) -> bool:
        """Return a boolean parameter; absent means False."""
        value = self._get(name, False)
        if value is None or isinstance(value, bool):
            return bool(self._keep(name, value))
        lowered = str(value).strip().lower()
        if lowered in _TRUE | _FALSE:
            return bool(self._keep(name, lowered in _TRUE))
        raise bad_request(f"parameter {name} must be a Boolean")

    def get_json(self, name: str, *, what: str | None = None) -> Any:
        """Return an object/array parameter, decoding JSON text if needed."""
        value = self._get(name, False)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what or name} JSON object") from None
        if value is None or isinstance(value, dict | list):
            return self._keep(name, value)
        raise bad_request(f"can't parse {what or name} JSON object")

    def chat_id(self) -> int | str:
        """Return the required ``chat_id`` as an int, or an ``@username`` string."""
        value = self._get("chat_id", True)
        if isinstance(value, str) and value.startswith("@"):
            return str(self._keep("chat_id", value))
        number = self.peek_chat_id()
        if number is None:
            raise bad_request("chat not found")
        return int(self._keep("chat_id", number))

    def require_int(self, name: str) -> int:
        """Return a required integer parameter."""
        value = self.get_int(name, required=True)
        return int(value or 0)

    def require_str(self, name: str) -> str:
        """Return a required string parameter."""
        return self.get_str(name, required=True) or ""

    def peek_chat_id(self) -> int | None:
        """Return the numeric chat_id without validation (for records and fault matching)."""
        value = self.raw.get("chat_id")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            return int(value.strip())
        return None

    def record(self) -> dict[str, Any]:
        """Return the parameters for the call log: decoded where read, files summarised."""
        params = {**self.raw, **self.decoded}
        for name, upload in self.uploads.items():
            params[name] = {"file_name": upload.file_name, "size": len(upload.data)}
        return params

    def _get(self, name: str, required: bool) -> Any:
        """Return the raw value, refusing a missing required one."""
        value = self.raw.get(name)
        if value is None and required:
            raise bad_request(f"{name} is empty")
        return value

    def _keep(self, name: str, value: T) -> T:
        """Remember a decoded value for the call log and return it."""
        if value is not None:
            self.decoded[name] = value
        return value


async def read_params(request: web.Request) -> Params:
    """Collect parameters from the query string and a JSON, form or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            raw.update(await _read_json(request))
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            _split_form(await request.post(), raw, uploads)
    return Params(raw, uploads)


async def _read_json(request: web.Request) -> dict[str, Any]:
    """Return the JSON object body of a request."""
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("can't parse JSON") from None
    if not isinstance(body, dict):
        raise bad_request("JSON body must be an object")
    return body


def _split_form(form: MultiDictProxy[Any], raw: dict[str, Any], uploads: dict[str, Upload]) -> None:
    """Split form fields into plain values and file uploads."""
    for name, value in form.items():
        if isinstance(value, web.FileField):
            data = value.file.read()
            uploads[name] = Upload(data, value.filename, value.content_type)
        else:
            raw[name] = value
