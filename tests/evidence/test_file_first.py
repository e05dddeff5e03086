"""A photo or document sent without a command starts the evidence form with it attached."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from bot.domain import FileKind
from tests.evidence.fake_api import FileServingRequest
from tests.evidence.helpers import draft, send_document, send_photo
from tests.support import factories_evidence as ev
from tests.support.chat import data_of, press, say
from tests.support.factories_evidence import SARI_TG

pytestmark = pytest.mark.db


async def test_photo_first_then_the_target(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """The photo is kept; the form asks which target, then goes on as /bukti does."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    image = ev.png()
    await send_photo(app, recorder, SARI_TG, image)
    asked = recorder.last(SARI_TG)["text"]
    assert "📎 1 lampiran sudah diterima" in asked
    assert "untuk target yang mana" in asked
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    await say(app, SARI_TG, "4")
    files_step = recorder.last(SARI_TG)
    assert "Sudah terlampir: 1 berkas" in files_step["text"]
    await press(app, SARI_TG, data_of(files_step, "✅ Selesai (1 lampiran)"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert "Bukti #1 tersimpan" in recorder.last(SARI_TG)["text"]
    [file] = await ev.stored_files(db)
    assert (file.kind, file.sha256) == (FileKind.PHOTO, ev.sha256(image))


async def test_document_first_names_the_file(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A document sent first is named in the target question."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await send_document(app, recorder, SARI_TG, ev.pdf(), name="notulen.pdf")
    assert "1 lampiran sudah diterima (notulen.pdf)" in recorder.last(SARI_TG)["text"]
    saved = await draft(db)
    assert saved is not None
    assert (saved.form, saved.step) == ("evidence", "target")


@pytest.mark.parametrize(
    ("mime", "size", "explanation"),
    [
        ("application/x-msdownload", 1000, "tidak diterima"),
        ("application/pdf", 20 * 1024 * 1024 + 1, "sampai 20 MB"),
    ],
)
async def test_unsuitable_file_without_form_is_explained(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    mime: str,
    size: int,
    explanation: str,
) -> None:
    """A program or a file over 20 MB is refused before any form opens."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await send_document(app, recorder, SARI_TG, b"MZ", name="x.exe", mime=mime, size=size)
    assert explanation in recorder.last(SARI_TG)["text"]
    assert await draft(db) is None


async def test_photo_without_approved_targets_says_what_to_do(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """No target to attach it to: the same explanation as /bukti, and no form."""
    await ev.team(db)
    await send_photo(app, recorder, SARI_TG, ev.png())
    assert "Ajukan target dengan /target" in recorder.last(SARI_TG)["text"]
    assert await draft(db) is None


async def test_photo_from_a_stranger_is_sent_to_start(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """An unlinked person's photo starts nothing and points to /start."""
    await ev.team(db)
    await send_photo(app, recorder, 4242, ev.png())
    assert "Ketik /start" in recorder.last(4242)["text"]
    assert await draft(db) is None
