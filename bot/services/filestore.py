"""A content-addressed store for evidence files, under ``<data folder>/files``.

A file lives at ``files/<aa>/<bb>/<sha256>`` (the first two byte pairs of its SHA-256 fan the
folder out), so identical bytes are stored once however often they are sent, and a stored file
can always be checked against the hash recorded in the database. What kind of file the bytes
are is decided before they come here (:mod:`bot.services.filetypes`). Writes go to a temporary file
in the same folder, are flushed to disk, then renamed into place: a crash leaves either the
whole file or nothing. Nothing here knows Telegram; callers hand over bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FOLDER = "files"


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Bytes kept in the store: their hash, size and path relative to the data folder."""

    sha256: str
    size: int
    path: str


class FileStore:
    """Stores and reads files by their SHA-256 under ``data_dir / "files"``."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir

    @staticmethod
    def relative_path(sha256: str) -> str:
        """Where the file with this hash lives, relative to the data folder."""
        return f"{FOLDER}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    async def put(self, data: bytes) -> StoredBlob:
        """Store ``data`` (once: identical bytes already stored are left as they are)."""
        return await asyncio.to_thread(self._put, bytes(data))

    async def read(self, path: str) -> bytes:
        """The bytes at a path :meth:`put` returned."""
        return await asyncio.to_thread(self._absolute(path).read_bytes)

    def _put(self, data: bytes) -> StoredBlob:
        digest = hashlib.sha256(data).hexdigest()
        relative = self.relative_path(digest)
        target = self._absolute(relative)
        if not (target.exists() and target.stat().st_size == len(data)):
            _write_atomically(target, data)
        return StoredBlob(sha256=digest, size=len(data), path=relative)

    def _absolute(self, relative: str) -> Path:
        path = (self._data_dir / relative).resolve()
        root = (self._data_dir / FOLDER).resolve()
        if root not in path.parents:
            msg = f"{relative!r} is not inside the file store"
            raise ValueError(msg)
        return path


def _write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, flush it to disk, then rename it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
