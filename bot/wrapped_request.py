"""A Bot API HTTP layer around another one, for looking at each answer on its way back."""

from __future__ import annotations

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData


class WrappedRequest(BaseRequest):
    """Passes every call to ``inner``; subclasses look at (or change) the answer in
    :meth:`answered`."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        """The inner request's (PTB adds the long-poll timeout to it)."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner request's connections."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the inner request's connections."""
        await self.inner.shutdown()

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
        """Make the call through ``inner``, then hand the answer to :meth:`answered`."""
        code, payload = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        return self.answered(url, request_data, code, payload)

    def answered(
        self, url: str, request_data: RequestData | None, code: int, payload: bytes
    ) -> tuple[int, bytes]:
        """The answer as PTB should see it (unchanged here)."""
        del url, request_data
        return code, payload
