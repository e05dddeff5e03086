"""Evidence files are checked by their bytes: what is stored, refused, and sent to a superior."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.session import Database
from bot.domain import FileKind
from tests.evidence.fake_api import FileServingRequest
from tests.evidence.helpers import draft, send_document, send_photo
from tests.support import factories_evidence as ev
from tests.support.chat import data_of, press, say
from tests.support.factories_evidence import BOSS_TG, SARI_TG

pytestmark = pytest.mark.db

OOXML = "application/vnd.openxmlformats-officedocument"
ACCEPTED = "PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS"


async def _to_files_step(app: KinerjaApp, recorder: FileServingRequest, db: Database) -> None:
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    await say(app, SARI_TG, "6")


async def _send_form(app: KinerjaApp, recorder: FileServingRequest) -> str:
    """Done with files, no note, send: the bot's last reply."""
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    return str(recorder.last(SARI_TG)["text"])


@pytest.mark.parametrize(
    ("payload", "name", "mime", "stored"),
    [
        (
            ev.docx(),
            "laporan.docx",
            "application/octet-stream",
            f"{OOXML}.wordprocessingml.document",
        ),
        (ev.xlsx(), "rekap.xlsx", "application/zip", f"{OOXML}.spreadsheetml.sheet"),
        (
            ev.odt(),
            "notulen.odt",
            "application/octet-stream",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            ev.ods(),
            "rekap.ods",
            "application/octet-stream",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (ev.heic(), "IMG_0042.HEIC", "application/octet-stream", "image/heic"),
        (ev.pdf(), "scan", "application/pdf", "application/pdf"),
    ],
    ids=["docx", "xlsx", "odt", "ods", "heic", "pdf-without-extension"],
)
async def test_office_files_are_stored_with_the_type_of_their_bytes(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    payload: bytes,
    name: str,
    mime: str,
    stored: str,
) -> None:
    """Telegram's MIME type is the phone's guess; the stored type is the bytes'."""
    await _to_files_step(app, recorder, db)
    await send_document(app, recorder, SARI_TG, payload, name=name, mime=mime)
    assert "Bukti #1 tersimpan" in await _send_form(app, recorder)
    [file] = await ev.stored_files(db)
    assert (file.mime_type, file.original_name, file.sha256) == (stored, name, ev.sha256(payload))


@pytest.mark.parametrize(
    ("payload", "name", "mime", "said"),
    [
        (ev.png(), "laporan.pdf", "application/pdf", "PNG"),
        (ev.exe(), "laporan.docx", f"{OOXML}.wordprocessingml.document", "EXE"),
        (
            b"<html><body><script>steal()</script></body></html>",
            "laporan.pdf",
            "application/pdf",
            "HTML",
        ),
        (ev.plain_zip(), "rekap.xlsx", f"{OOXML}.spreadsheetml.sheet", "ZIP"),
        (b"bukan dokumen", "catatan.pdf", "application/pdf", "tidak dikenali"),
    ],
    ids=["png-called-pdf", "exe-called-docx", "html-called-pdf", "zip-called-xlsx", "unknown"],
)
async def test_a_file_whose_bytes_are_not_what_it_claims_is_refused(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    payload: bytes,
    name: str,
    mime: str,
    said: str,
) -> None:
    """Refused with the accepted kinds named; the form keeps the rest and waits for another file."""
    await _to_files_step(app, recorder, db)
    await send_document(app, recorder, SARI_TG, payload, name=name, mime=mime)
    reply = await _send_form(app, recorder)
    assert name in reply
    assert said in reply
    assert ACCEPTED in reply
    assert await ev.stored_evidence(db) == []
    assert await ev.stored_files(db) == []
    saved = await draft(db)
    assert saved is not None
    assert (saved.step, saved.data["realisation"], saved.data["files"]["files"]) == (
        "files",
        "6",
        [],
    )
    await send_document(app, recorder, SARI_TG, ev.pdf(), name="laporan-asli.pdf")
    assert "Bukti #1 tersimpan" in await _send_form(app, recorder)
    [file] = await ev.stored_files(db)
    assert (file.original_name, file.mime_type) == ("laporan-asli.pdf", "application/pdf")


async def test_a_photo_is_checked_too(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A Telegram photo is JPEG; bytes that are not an image are refused all the same."""
    await _to_files_step(app, recorder, db)
    await send_photo(app, recorder, SARI_TG, b"<html>not a photo</html>")
    reply = await _send_form(app, recorder)
    assert ACCEPTED in reply
    assert await ev.stored_files(db) == []


async def test_a_program_is_refused_as_soon_as_it_is_sent(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A name with an extension that is not accepted is refused at once, naming the kinds."""
    await _to_files_step(app, recorder, db)
    await send_document(app, recorder, SARI_TG, ev.exe(), name="setup.exe", mime="application/pdf")
    reply = recorder.last(SARI_TG)["text"]
    assert "tidak diterima" in reply
    assert ACCEPTED in reply
    saved = await draft(db)
    assert saved is not None
    assert saved.step == "files"


async def test_the_superior_gets_a_name_and_type_that_match_the_bytes(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A PDF sent as 'scan' reaches the superior as the bot's copy 'scan.pdf', type PDF."""
    await _to_files_step(app, recorder, db)
    await send_document(app, recorder, SARI_TG, ev.pdf(), name="scan", mime="application/pdf")
    await _send_form(app, recorder)
    [evidence] = await ev.stored_evidence(db)
    await press(app, BOSS_TG, ItemAction("ev_files", evidence.id or 0).encode())
    [sent] = [c for c in recorder.calls if c.method == "sendDocument"]
    assert sent.params["caption"] == f"Bukti #{evidence.id} · Sari Wulandari · scan (PDF)"
    assert recorder.uploaded == [("scan.pdf", "application/pdf")]
    assert recorder.uploads == [ev.pdf()]


async def test_a_photo_reaches_the_superior_with_its_real_type(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A forgotten photo is uploaded from the store under a name of its real type."""
    await _to_files_step(app, recorder, db)
    await send_photo(app, recorder, SARI_TG, ev.png())
    await _send_form(app, recorder)
    [evidence] = await ev.stored_evidence(db)
    [file] = await ev.stored_files(db)
    assert (file.kind, file.mime_type) == (FileKind.PHOTO, "image/png")
    recorder.forgotten.add(file.telegram_file_id)
    await press(app, BOSS_TG, ItemAction("ev_files", evidence.id or 0).encode())
    assert recorder.uploaded == [(f"bukti-{evidence.id}-{file.id}.png", "image/png")]
