"""`kinerja demo` runs its story to the end and says what happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo import run_demo

pytestmark = pytest.mark.e2e


async def test_demo_links_everyone_and_refuses_the_foreign_contact(tmp_path: Path) -> None:
    """The demo exits 0 and its summary shows the links and the refused foreign contact."""
    lines: list[str] = []
    code = await run_demo(tmp_path / "demo-output", echo=lines.append)
    output = "\n".join(lines)
    assert code == 0, output
    assert "Akun tertaut:                 42 dari 42 pegawai" in output
    assert "Kontak orang lain ditolak:    1" in output
    assert "bukan milik akun Telegram ini" in output  # the transcript shows the refusal
    assert (tmp_path / "demo-output" / "kinerja.db").exists()
    assert (tmp_path / "demo-output" / "pegawai.csv").exists()


async def test_demo_replaces_its_own_folder_but_not_someone_elses(tmp_path: Path) -> None:
    """A second run replaces the old demo folder; a foreign non-empty folder is left alone."""
    folder = tmp_path / "demo-output"
    assert await run_demo(folder, echo=lambda _: None, language="en") == 0
    (folder / "stale.txt").write_text("from an older run")
    assert await run_demo(folder, echo=lambda _: None, language="en") == 0
    assert not (folder / "stale.txt").exists()

    foreign = tmp_path / "my-documents"
    foreign.mkdir()
    (foreign / "skripsi.docx").write_text("precious")
    with pytest.raises(FileExistsError):
        await run_demo(foreign, echo=lambda _: None)
    assert (foreign / "skripsi.docx").read_text() == "precious"
