"""`kinerja admin grant|revoke|list` and `kinerja unit head`: BKPSDM names who holds authority."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlmodel import col, select

from bot.db.models import AuditEvent, Employee, UnitHead
from bot.db.session import Database
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support.cli import kinerja

Invoke = Callable[..., Awaitable[Result]]


@pytest.fixture
def invoke(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run a `kinerja` command against the test database."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout

    async def _invoke(*args: str) -> Result:
        return await kinerja(db_url, tmp_path, *args)

    return _invoke


async def events(db: Database, action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        return list((await session.exec(query)).all())


async def roles(db: Database, person: Employee) -> list[str]:
    """The roles stored for an employee."""
    async with db.session() as session:
        stored = await session.get(Employee, person.id)
    assert stored is not None
    return list(stored.roles)


def one_line_error(result: Result) -> str:
    """The single line a failed command wrote to stderr (no traceback, no usage block)."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


async def test_grant_list_revoke_the_bkpsdm_admin_role(invoke: Invoke, db: Database) -> None:
    """Granted, listed with unit and Telegram link, revoked: each change audited with actor cli."""
    linked = await factories.employee(db, name="Rina Admin", unit_name="BKPSDM", telegram_user_id=9)
    unlinked = await factories.employee(db, name="Joko Admin", unit_name="BKPSDM")
    first = await invoke("admin", "grant", linked.nip)
    assert first.exit_code == 0, first.output
    assert f"Rina Admin (NIP {linked.nip}, BKPSDM) kini admin BKPSDM:" in first.output
    second = await invoke("admin", "grant", f" {unlinked.nip} ")
    assert "belum menautkan akun Telegram" in second.output
    again = await invoke("admin", "grant", linked.nip)
    assert again.exit_code == 0
    assert "sudah admin BKPSDM" in again.output
    assert await roles(db, linked) == ["admin"]
    listed = await invoke("admin", "list")
    assert listed.exit_code == 0, listed.output
    assert f"{linked.nip}  Rina Admin  BKPSDM  tertaut" in listed.output
    assert f"{unlinked.nip}  Joko Admin  BKPSDM  belum tertaut" in listed.output
    revoked = await invoke("admin", "revoke", linked.nip)
    assert revoked.exit_code == 0, revoked.output
    assert "bukan lagi admin BKPSDM" in revoked.output
    assert await roles(db, linked) == []
    assert linked.nip not in (await invoke("admin", "list")).output
    granted = await events(db, "role.admin_granted")
    assert [(e.actor_label, e.subject_id) for e in granted] == [
        ("cli", str(linked.id)),
        ("cli", str(unlinked.id)),
    ]
    [taken] = await events(db, "role.admin_revoked")
    assert (taken.actor_label, taken.subject_id) == ("cli", str(linked.id))


async def test_no_admin_yet_says_how_to_grant(invoke: Invoke) -> None:
    """An empty list names the command that fills it."""
    listed = await invoke("admin", "list")
    assert listed.exit_code == 0
    assert "Belum ada admin BKPSDM" in listed.output
    assert "kinerja admin grant NIP" in listed.output


async def test_unit_head_sets_and_replaces_the_head(invoke: Invoke, db: Database) -> None:
    """`unit head KEY NIP` names the head (keys in any case and spacing); a new one replaces it."""
    ahmad = await factories.employee(db, name="Drs. Ahmad")
    budi = await factories.employee(db, name="Budi Plt")
    section = await fa.sub_unit(db, "Dinas Kesehatan", "Bidang P2P")
    first = await invoke("unit", "head", "dinas  KESEHATAN", ahmad.nip)
    assert first.exit_code == 0, first.output
    assert f"Kepala Dinas Kesehatan: Drs. Ahmad (NIP {ahmad.nip})." in first.output
    replaced = await invoke("unit", "head", "Dinas Kesehatan", budi.nip)
    assert "menggantikan Drs. Ahmad" in replaced.output
    elsewhere = await invoke("unit", "head", "dinas kesehatan / bidang p2p", ahmad.nip)
    assert elsewhere.exit_code == 0, elsewhere.output
    assert "Kepala Bidang P2P: Drs. Ahmad" in elsewhere.output
    assert "bekerja di Dinas Kesehatan, bukan di unit ini" in elsewhere.output
    async with db.session() as session:
        stored = {h.unit_id: h.employee_id for h in (await session.exec(select(UnitHead))).all()}
    assert stored == {ahmad.unit_id: budi.id, section.id: ahmad.id}
    changes = await events(db, "unit.head_set")
    assert [(e.actor_label, e.detail["before"], e.detail["after"]) for e in changes] == [
        ("cli", None, ahmad.nip),
        ("cli", ahmad.nip, budi.nip),
        ("cli", None, ahmad.nip),
    ]


async def test_unknown_unit_or_nip_is_one_line(invoke: Invoke, db: Database) -> None:
    """Unknown unit, unknown NIP: one Indonesian line on stderr, exit 1, nothing stored."""
    ahmad = await factories.employee(db, name="Drs. Ahmad")
    unit = one_line_error(await invoke("unit", "head", "Dinas Kesehatn", ahmad.nip))
    assert unit == 'Error: Unit "dinas kesehatn" tidak ditemukan; lihat `kinerja unit list`.'
    nip = one_line_error(await invoke("unit", "head", "Dinas Kesehatan", "123"))
    assert nip == "Error: Tidak ada pegawai dengan NIP 123."
    for command in ("grant", "revoke"):
        assert one_line_error(await invoke("admin", command, "123")) == nip
    async with db.session() as session:
        assert (await session.exec(select(UnitHead))).all() == []
    assert await events(db, "unit.head_set") == []


async def test_unit_list_shows_heads_and_what_bkpsdm_must_fix(invoke: Invoke, db: Database) -> None:
    """Each OPD and section with its head; OPDs without one; staff without a superior in it."""
    ahmad = await factories.employee(db, name="Drs. Ahmad")
    await factories.employee(db, name="Sari Tanpa Atasan")
    await factories.employee(db, name="Kadis Pendidikan", unit_name="Dinas Pendidikan")
    await fa.sub_unit(db, "Dinas Kesehatan", "Bidang P2P")
    await invoke("unit", "head", "Dinas Kesehatan", ahmad.nip)
    listed = await invoke("unit", "list")
    assert listed.exit_code == 0, listed.output
    assert f"dinas kesehatan  Dinas Kesehatan  kepala: Drs. Ahmad ({ahmad.nip})" in listed.output
    assert "  dinas kesehatan/bidang p2p  Bidang P2P  kepala: -" in listed.output
    assert "OPD tanpa kepala unit: Dinas Pendidikan" in listed.output
    assert "Sari Tanpa Atasan (Dinas Kesehatan): tanpa atasan" in listed.output
    assert "Kadis Pendidikan" in listed.output  # without a superior, and not named head


async def test_db_upgrade_reminds_bkpsdm_to_name_the_heads(invoke: Invoke, db: Database) -> None:
    """Heads are never guessed from superiors: the upgrade says which OPDs still need one."""
    await factories.employee(db, name="Drs. Ahmad")
    upgraded = await invoke("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "1 OPD belum punya kepala unit" in upgraded.output
    assert "kinerja unit head" in upgraded.output
