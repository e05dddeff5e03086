"""getUpdates that one unreadable update cannot jam.

python-telegram-bot reads a getUpdates answer as a whole: when one update in it cannot be read
(a malformed payload, or a newer Bot API shape the library refuses, such as a poll without
``persistent_id`` for PTB 22.8), the whole batch is thrown away, the offset does not move, and
the next poll fetches the same batch again. The bot keeps polling and never answers anyone.

:class:`UpdateReader` wraps the HTTP layer of getUpdates. Reading costs nothing extra while
all is well; when PTB asks again from the same offset after a non-empty answer (it could not
read it), the answer is read update by update and each unreadable one is replaced by an empty
update with the same id: PTB confirms it, the gate in front of the handlers drops it, and the
rest of the batch is handled. Only ids, kinds and the error type are logged, never the content.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.wrapped_request import WrappedRequest

log = logging.getLogger(__name__)

_NOTHING = object()  # no answer with updates served yet


def readable(payload: bytes) -> bytes:
    """The getUpdates answer with every update PTB cannot read replaced by an empty one."""
    try:
        body = json.loads(payload)
    except ValueError:
        return payload
    result = body.get("result") if isinstance(body, dict) else None
    if not isinstance(result, list):
        return payload
    kept: list[Any] = []
    for item in result:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int):
            log.warning("an update without an id in getUpdates: skipped")
            continue
        try:
            Update.de_json(item, None)
        except Exception as exc:
            kinds = sorted(key for key in item if key != "update_id")
            log.warning(
                "update %s (%s) cannot be read (%s): skipped",
                update_id,
                ", ".join(kinds) or "empty",
                type(exc).__name__,
            )
            item = {"update_id": update_id}  # noqa: PLW2901
        kept.append(item)
    return json.dumps({**body, "result": kept}).encode()


class UpdateReader(WrappedRequest):
    """The getUpdates transport around ``inner`` (see the module)."""

    def __init__(self, inner: BaseRequest) -> None:
        super().__init__(inner)
        self._served: object = _NOTHING  # the offset asked for by the last answer with updates

    def answered(
        self, url: str, request_data: RequestData | None, code: int, payload: bytes
    ) -> tuple[int, bytes]:
        """Read a getUpdates answer PTB could not read update by update."""
        if code != 200 or not url.endswith("/getUpdates"):
            return code, payload
        offset = request_data.parameters.get("offset") if request_data else None
        if offset == self._served:  # the same updates again: PTB could not read them
            payload = readable(payload)
        self._served = offset if b'"update_id"' in payload else _NOTHING
        return code, payload
