"""The type of an evidence file comes from its bytes: accepted kinds, refusals, the name."""

from __future__ import annotations

import pytest

from bot.services import filetypes
from bot.services.filetypes import FileType, FileTypeError
from tests.support import factories_evidence as ev

OOXML = "application/vnd.openxmlformats-officedocument"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (ev.pdf(), filetypes.PDF),
        (ev.jpeg(), filetypes.JPEG),
        (ev.png(), filetypes.PNG),
        (ev.heic(), filetypes.HEIC),
        (ev.heic(major=b"mif1", compatible=b"mif1heic"), filetypes.HEIC),  # Samsung
        (ev.docx(), filetypes.DOCX),
        (ev.xlsx(), filetypes.XLSX),
        (ev.odt(), filetypes.ODT),
        (ev.ods(), filetypes.ODS),
    ],
    ids=["pdf", "jpeg", "png", "heic", "heif-mif1", "docx", "xlsx", "odt", "ods"],
)
def test_what_an_office_produces_is_recognised(data: bytes, kind: FileType) -> None:
    assert filetypes.detect(data) is kind
    assert filetypes.verify(data, f"bukti{kind.extension}") is kind
    assert filetypes.verify(data, None) is kind


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (ev.exe(), "EXE"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG"),
        (b"#!/bin/sh\nrm -rf ~\n", None),
        (b"just some text that is no document", None),
        (b"", None),
        (ev.plain_zip(), "ZIP"),
        (ev.ooxml("ppt/presentation.xml", f"{OOXML}.presentationml.presentation.main+xml"), "PPTX"),
        (
            ev.ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
            "DOCM/XLSM",
        ),
        (ev.odf("application/vnd.oasis.opendocument.presentation"), "ODP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "DOC"),  # old binary Word
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20, "GIF"),
        (ev.heic(major=b"avif", compatible=b"mif1avif"), "AVIF"),
        (b"PK\x03\x04 not really a zip", "ZIP"),
    ],
    ids=[
        "exe",
        "html",
        "svg",
        "script",
        "text",
        "empty",
        "zip",
        "pptx",
        "docm",
        "odp",
        "doc",
        "gif",
        "avif",
        "broken-zip",
    ],
)
def test_anything_else_is_refused(data: bytes, found: str | None) -> None:
    with pytest.raises(FileTypeError) as refused:
        filetypes.verify(data, None)
    assert (refused.value.code, refused.value.found) == ("not_accepted", found)


@pytest.mark.parametrize(
    ("data", "name", "found", "extension"),
    [
        (ev.png(), "laporan.pdf", "PNG", ".pdf"),
        (ev.docx(), "rekap.xlsx", "DOCX", ".xlsx"),
        (ev.pdf(), "foto.JPG", "PDF", ".jpg"),
        (ev.pdf(), "laporan.final", "PDF", ".final"),
        (ev.pdf(), "laporan.exe", "PDF", ".exe"),
    ],
)
def test_content_that_contradicts_the_name_is_refused(
    data: bytes, name: str, found: str, extension: str
) -> None:
    with pytest.raises(FileTypeError) as refused:
        filetypes.verify(data, name)
    assert (refused.value.code, refused.value.found, refused.value.extension) == (
        "mismatch",
        found,
        extension,
    )


def test_a_program_named_like_a_document_is_refused_as_what_it_is() -> None:
    with pytest.raises(FileTypeError) as refused:
        filetypes.verify(ev.exe(), "laporan.docx")
    assert (refused.value.code, refused.value.found) == ("not_accepted", "EXE")


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("Laporan.PDF", ".pdf"),
        ("scan", None),
        ("Laporan v1.2", None),
        ("Laporan Q1.2026", None),
        ("arsip.tar.gz", ".gz"),
        (None, None),
    ],
)
def test_the_extension_of_a_name(name: str | None, extension: str | None) -> None:
    assert filetypes.name_extension(name) == extension


def test_a_name_without_the_extension_gets_it() -> None:
    assert filetypes.file_name("scan", filetypes.PDF, "bukti-1") == "scan.pdf"
    assert filetypes.file_name(None, filetypes.JPEG, "bukti-1-2") == "bukti-1-2.jpg"
    assert filetypes.file_name("Laporan.PDF", filetypes.PDF, "x") == "Laporan.PDF"


def test_the_accepted_kinds_as_people_read_them() -> None:
    assert filetypes.ACCEPTED_LABELS == "PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS"
