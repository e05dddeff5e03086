"""What a file really is, from its bytes: the kinds of evidence file the bot accepts.

Neither Telegram's MIME type nor the file name can be trusted: both come from the sender's
phone. The type the bot stores, shows and forwards is the one the bytes show:

- PDF, JPEG and PNG by their signatures (the ``puremagic`` library);
- HEIC (iPhone and Samsung photos) by the brands of its ISO-BMFF ``ftyp`` box;
- DOCX and XLSX (Office Open XML) and ODT and ODS (OpenDocument) are ZIP archives: the
  archive's ``[Content_Types].xml`` names its main part (a Word document, an Excel workbook),
  the ``mimetype`` entry of an OpenDocument file names its kind. A ZIP that is neither, and
  the macro-enabled variants (DOCM, XLSM), are refused.

Everything else is refused: executables, scripts, HTML and SVG, plain archives, the old
binary Office formats, and content the library does not know. A file whose name ends in an
extension (``laporan.pdf``) must be of that type: a PNG called ``laporan.pdf`` or a program
called ``laporan.docx`` is refused, so a superior never opens a file that is not what it
claims to be. A name without an extension is given the right one when the bot sends its copy.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic


@dataclass(frozen=True, slots=True)
class FileType:
    """An accepted kind of file: what people call it, its MIME type, its file extensions."""

    label: str
    mime: str
    extensions: tuple[str, ...]  # the first is the one the bot gives a file without one

    @property
    def extension(self) -> str:
        """The usual extension, with its dot."""
        return self.extensions[0]


PDF = FileType("PDF", "application/pdf", (".pdf",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = FileType("PNG", "image/png", (".png",))
HEIC = FileType("HEIC", "image/heic", (".heic", ".heif"))
DOCX = FileType(
    "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))

ACCEPTED: tuple[FileType, ...] = (PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS)
ACCEPTED_LABELS = ", ".join(kind.label for kind in ACCEPTED)
"""The accepted kinds as a person reads them: 'PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS'."""
ACCEPTED_MIMES = frozenset(kind.mime for kind in ACCEPTED)
ACCEPTED_EXTENSIONS = frozenset(ext for kind in ACCEPTED for ext in kind.extensions)

_BY_MIME = {kind.mime: kind for kind in ACCEPTED}
_SIGNED = {"application/pdf": PDF, "image/jpeg": JPEG, "image/png": PNG}
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_ODF = {ODT.mime: ODT, ODS.mime: ODS}
_MAX_MANIFEST = 1024 * 1024  # a [Content_Types].xml is a few kB; a larger one is no office file
_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


class FileTypeError(ValueError):
    """The bytes are not an accepted kind, or not the kind the name says.

    ``code`` is ``"not_accepted"`` (``found`` says what the bytes are, if known) or
    ``"mismatch"`` (``found`` is the real kind, ``extension`` the name's).
    """

    def __init__(self, code: str, *, found: str | None, extension: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.found = found
        self.extension = extension


def detect(data: bytes) -> FileType:
    """The accepted kind ``data`` is, or :class:`FileTypeError` (``not_accepted``)."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    heic = _heic(data)
    if heic is not None:
        return heic
    try:
        matches = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        raise FileTypeError("not_accepted", found=None) from None
    if not matches:
        raise FileTypeError("not_accepted", found=None)
    best = matches[0].confidence
    for match in matches:
        if match.confidence == best and match.mime_type in _SIGNED:
            return _SIGNED[match.mime_type]
    found = matches[0].extension.lstrip(".").upper() or None
    raise FileTypeError("not_accepted", found=found)


def verify(data: bytes, name: str | None) -> FileType:
    """The kind of ``data``, refused unless accepted and agreeing with the name's extension."""
    kind = detect(data)
    extension = name_extension(name)
    if extension is not None and extension not in kind.extensions:
        raise FileTypeError("mismatch", found=kind.label, extension=extension)
    return kind


def name_extension(name: str | None) -> str | None:
    """'Laporan.PDF' → '.pdf'; None for a name without one ('scan', 'Laporan v1.2')."""
    if not name:
        return None
    suffix = PurePath(name).suffix.lower()
    if _EXTENSION.fullmatch(suffix) and not suffix[1:].isdigit():
        return suffix
    return None


def of_mime(mime: str) -> FileType | None:
    """The accepted kind with this MIME type (as stored), or None."""
    return _BY_MIME.get(mime)


def file_name(name: str | None, kind: FileType, fallback: str) -> str:
    """A name that ends in the kind's extension: the sender's when it does, else completed."""
    base = name or fallback
    return base if name_extension(base) in kind.extensions else base + kind.extension


def _heic(data: bytes) -> FileType | None:
    """HEIC when the ``ftyp`` box lists an HEVC-coded HEIF brand (major or compatible)."""
    if data[4:8] != b"ftyp":
        return None
    size = int.from_bytes(data[:4], "big")
    box = data[8 : min(size, 256)]
    brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}  # major, version, compatible
    return HEIC if brands & _HEVC_BRANDS else None


def _zip_kind(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _read(archive, "mimetype").decode("ascii", "replace").strip()
                if declared in _ODF:
                    return _ODF[declared]
                raise FileTypeError("not_accepted", found=_odf_label(declared))
            if "[Content_Types].xml" in names:
                manifest = _read(archive, "[Content_Types].xml")
                found = [kind for main, kind in _OOXML_MAIN.items() if main in manifest]
                if len(found) == 1:
                    return found[0]
                raise FileTypeError("not_accepted", found=_ooxml_label(manifest))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError) as exc:
        raise FileTypeError("not_accepted", found="ZIP") from exc
    raise FileTypeError("not_accepted", found="ZIP")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(_MAX_MANIFEST)


def _odf_label(mime: str) -> str:
    """'application/vnd.oasis.opendocument.presentation' → 'ODP'; anything else → 'ZIP'."""
    known = {"presentation": "ODP", "graphics": "ODG", "formula": "ODF"}
    return known.get(mime.rsplit(".", 1)[-1], "ZIP")


def _ooxml_label(manifest: bytes) -> str:
    if b"macroEnabled" in manifest:
        return "DOCM/XLSM"
    if b"presentationml" in manifest:
        return "PPTX"
    return "ZIP"
