"""Every `kinerja` command: an expected failure is one line on stderr and a non-zero exit.

Never a traceback: the operator reads what went wrong and how to fix it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.common import ERROR_CODES
from bot.render import Renderer
from tests.support.cli import kinerja

BAD = [
    (["invite", "123"], "Tidak ada pegawai dengan NIP 123."),
    (["admin", "grant", "123"], "Tidak ada pegawai dengan NIP 123."),
    (["unit", "head", "dinas hilang", "123"], 'Unit "dinas hilang" tidak ditemukan'),
    (["results", "publish", "--cycle", "Triwulan IX"], "Siklus itu tidak ada."),
    (["export", "results", "--cycle", "Triwulan IX", "-o", "x.csv"], "Siklus itu tidak ada."),
    (["cycle", "status", "--name", "Triwulan IX"], 'Tidak ada siklus bernama "Triwulan IX".'),
    (["feedback", "assign", "--cycle", "Triwulan IX"], 'Tidak ada siklus "Triwulan IX".'),
    (["cycle", "open", "--start", "2026-13-01"], "Invalid value for '--start'"),
    (["import", "employees", "hilang.csv"], "'hilang.csv' does not exist"),
    (["import", "employees", "pegawai.pdf"], 'jenis berkas ".pdf" tidak didukung'),
    (["admin", "grant"], "Missing argument 'NIP'"),
    (["admin", "promote", "123"], "No such command 'promote'"),
]


@pytest.mark.parametrize(("args", "says"), BAD, ids=[" ".join(args) for args, _ in BAD])
async def test_an_expected_failure_is_one_line_without_a_traceback(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    """Exit code non-zero, exactly one line on stderr, nothing raised past the command."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pegawai.pdf").write_bytes(b"%PDF-1.4")
    result = await kinerja(db_url, tmp_path, *args)
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert says in lines[0]


async def test_an_unwritable_output_file_is_one_line(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing into a folder that does not exist names the file and the reason."""
    monkeypatch.chdir(tmp_path)
    opened = await kinerja(db_url, tmp_path, "cycle", "open", "--start", "2026-01-01")
    assert opened.exit_code == 0, opened.output
    target = tmp_path / "tidak-ada" / "hasil.csv"
    result = await kinerja(
        db_url, tmp_path, "export", "results", "--cycle", "Triwulan I 2026", "-o", str(target)
    )
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(target) in lines[0]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_error_code_has_its_own_wording(language: str, code: str) -> None:
    """Each code renders its own sentence (not the fallback), with every param shown."""
    params = {name: f"<{name}>" for name in ERROR_CODES[code]}
    text = Renderer().render_text(language, "cli/error", code=code, params=params)
    assert "(kode " not in text
    assert "(code " not in text
    for value in params.values():
        assert value in text


@pytest.mark.parametrize("args", [["admin", "list"], ["db", "upgrade"]])
async def test_a_database_in_a_missing_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """A DATABASE_URL pointing into a folder that does not exist says so, in one line."""
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "tidak-ada"
    result = await kinerja(f"sqlite+aiosqlite:///{missing / 'k.db'}", tmp_path, *args)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: Folder database {missing} tidak ada; periksa DATABASE_URL."
    )
