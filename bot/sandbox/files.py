"""Stored files: what users upload and what the bot sends, addressable by file_id and path."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.models import JSON

MAX_DOWNLOAD = 20 * 1024 * 1024
"""getFile refuses larger files, exactly like Telegram's cloud Bot API."""
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_DOCUMENT_UPLOAD = 50 * 1024 * 1024
DEFAULT_PHOTO_SIZE = (1280, 960)
"""Width and height reported for photos (the sandbox never decodes images)."""


@dataclass(frozen=True)
class StoredFile:
    """One file with the identifiers Telegram would give it."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        """Return the size in bytes."""
        return len(self.data)

    def as_document(self) -> JSON:
        """Return the Bot API Document object."""
        document: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document

    def as_photo(self) -> list[JSON]:
        """Return the Bot API photo array (one PhotoSize: the sandbox does not resize)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": self.width,
                "height": self.height,
            }
        ]

    def as_file(self) -> JSON:
        """Return the Bot API File object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


class FileStore:
    """All files known to the sandbox, by file_id and by download path."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}

    def put(
        self,
        data: bytes,
        *,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> StoredFile:
        """Store bytes as a new file of ``kind`` ("document" or "photo")."""
        number = len(self.by_id) + 1
        digest = hashlib.sha256(data).hexdigest()
        extension = _extension(file_name, mime_type, kind)
        stored = StoredFile(
            file_id=f"SB{kind[:3].upper()}{number:06d}{digest[:12]}",
            file_unique_id=f"U{digest[:15]}",
            file_path=f"{kind}s/file_{number}{extension}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self.by_id[stored.file_id] = stored
        self.by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str, *, kind: str | None = None) -> StoredFile:
        """Return a stored file by id, or raise Telegram's error for a bad identifier."""
        stored = self.by_id.get(file_id.strip())
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if kind is not None and stored.kind != kind:
            raise bad_request("type of file mismatch")
        return stored

    def for_download(self, file_id: str) -> StoredFile:
        """Return the file for getFile, refusing what Telegram refuses to serve."""
        stored = self.get(file_id)
        if stored.size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return stored


def check_upload_size(data: bytes, kind: str) -> None:
    """Refuse uploads over Telegram's limits (10 MB photos, 50 MB documents)."""
    limit = MAX_PHOTO_UPLOAD if kind == "photo" else MAX_DOCUMENT_UPLOAD
    if len(data) > limit:
        raise ApiError(413, "Request Entity Too Large")


def _extension(file_name: str | None, mime_type: str | None, kind: str) -> str:
    """Return the file_path extension for a stored file."""
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1].lower()
    if kind == "photo":
        return ".jpg"
    return mimetypes.guess_extension(mime_type or "") or ""
