"""Errors of the sandbox: Bot API error replies and misuse of the simulated-user API."""

from __future__ import annotations

from typing import Any

_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Bot API error reply: HTTP status == error_code, Telegram-style description."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        """Return the Bot API response body for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """Return a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Return a 403 error with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 error carrying ``parameters.retry_after`` like Telegram."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def default_description(error_code: int, retry_after: int | None) -> str:
    """Return a plausible Telegram description for an injected error code."""
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after or 1}"
    if error_code == 403:
        return "Forbidden: bot was blocked by the user"
    if error_code == 400:
        return "Bad Request: injected error"
    return _PHRASES.get(error_code, f"Error {error_code}")


class SandboxError(Exception):
    """Raised when a test asks a simulated user to do something a real user could not."""


class SandboxTimeout(SandboxError, TimeoutError):
    """Raised when an expected bot message or callback answer did not arrive in time."""
