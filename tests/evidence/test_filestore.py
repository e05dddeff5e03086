"""The content-addressed file store: path by SHA-256, atomic, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.filestore import FileStore
from tests.support import factories_evidence as ev


async def test_file_is_stored_under_its_hash(tmp_path: Path) -> None:
    """The path is files/aa/bb/<sha256>, relative to the data folder, with the exact bytes."""
    data = ev.pdf()
    digest = ev.sha256(data)
    blob = await FileStore(tmp_path).put(data)
    assert blob.sha256 == digest
    assert blob.size == len(data)
    assert blob.path == f"files/{digest[:2]}/{digest[2:4]}/{digest}"
    assert (tmp_path / blob.path).read_bytes() == data
    assert await FileStore(tmp_path).read(blob.path) == data


async def test_same_bytes_twice_are_written_once(tmp_path: Path) -> None:
    """Storing identical bytes again leaves the first file untouched."""
    store = FileStore(tmp_path)
    first = await store.put(ev.png())
    written = (tmp_path / first.path).stat()
    second = await store.put(ev.png())
    assert second == first
    again = (tmp_path / second.path).stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


async def test_truncated_copy_is_replaced(tmp_path: Path) -> None:
    """A stored file of the wrong size (a damaged copy) is rewritten whole."""
    store = FileStore(tmp_path)
    data = ev.pdf()
    blob = await store.put(data)
    (tmp_path / blob.path).write_bytes(data[:10])
    await store.put(data)
    assert (tmp_path / blob.path).read_bytes() == data


async def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    """Only the stored files remain after writing: temporary names are renamed away."""
    store = FileStore(tmp_path)
    await store.put(b"a")
    await store.put(b"b")
    names = sorted(p.name for p in (tmp_path / "files").rglob("*") if p.is_file())
    assert names == sorted([ev.sha256(b"a"), ev.sha256(b"b")])


async def test_reading_outside_the_store_is_refused(tmp_path: Path) -> None:
    """A path that climbs out of the store is an error, not a file read."""
    (tmp_path / "kinerja.db").write_bytes(b"secret")
    with pytest.raises(ValueError, match="not inside the file store"):
        await FileStore(tmp_path).read("files/../kinerja.db")


async def test_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the rename fails (disk trouble), the temporary file is removed and nothing stored."""

    def broken_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.services.filestore.os.replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        await FileStore(tmp_path).put(b"evidence")
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
