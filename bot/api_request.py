"""The Bot API's HTTP layer on aiohttp, in place of PTB's default on httpx.

Why: at a deadline hundreds of answers go out each second, and httpx's connection pool costs
more CPU per call than everything else the bot does for a ``/bantuan`` (it inspects each of its
connections, with system calls, whenever a request starts or ends). aiohttp is already the
bot's HTTP server; its client does the same job for a fraction of the work.

Same contract as PTB's ``HTTPXRequest``: the timeouts default to 5 s (20 s for uploads), PTB's
long-poll timeout is added to the read timeout by PTB itself, a timeout raises ``TimedOut``,
any other transport failure ``NetworkError``. Calls without files go as a JSON body (the Bot
API takes it); calls with files as multipart.
"""

from __future__ import annotations

from typing import Any, Final

import aiohttp
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

TIMEOUT: Final = 5.0  # seconds, as PTB's default request
MEDIA_WRITE_TIMEOUT: Final = 20.0


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session with at most ``connections`` open at once."""

    def __init__(self, connections: int = 8, read_timeout: float | None = TIMEOUT) -> None:
        self.connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-poll time to it for getUpdates)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (connections open on first use)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(  # noqa: PLR0917  (PTB's signature)
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; the status code and the body as they came."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = _chosen(read_timeout, self._read_timeout)
        write = _chosen(write_timeout, MEDIA_WRITE_TIMEOUT if files else TIMEOUT)
        connect = _chosen(connect_timeout, TIMEOUT)
        pool = _chosen(pool_timeout, 1.0)
        parts = [read, write, connect, pool]
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            sock_connect=connect,
            sock_read=read,
        )
        body: dict[str, Any] = {}
        if files:
            body["data"] = _multipart(request_data)
        elif request_data is not None and request_data.parameters:
            body["data"] = request_data.json_payload
            body["headers"] = {"Content-Type": "application/json"}
        try:
            async with self._session.request(method, url, timeout=timeout, **body) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except (aiohttp.ClientError, OSError) as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _chosen(given: ODVInput[float], default: float | None) -> float | None:
    """The timeout given for this call, else this request's default."""
    return default if isinstance(given, DefaultValue) else given


def _multipart(request_data: RequestData | None) -> aiohttp.FormData:
    """The parameters as form fields and the files as file parts."""
    form = aiohttp.FormData(quote_fields=False)
    if request_data is None:
        return form
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *rest = upload
        form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
    return form
