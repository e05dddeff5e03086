"""Real, tiny files for the demo's evidence: a one-page PDF, a PNG and a JPEG photo.

Built with the standard library only, byte for byte as their formats require, so the bot
downloads, sniffs, hashes and stores the same kind of bytes a phone would send.
"""

from __future__ import annotations

import struct
import zlib

JPEG_BLOCK = 8


def pdf(text: str) -> bytes:
    """A valid one-page PDF 1.4 with one line of (ASCII) text."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png(width: int, height: int, grey: int) -> bytes:
    """A valid greyscale PNG of one shade."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(blocks_wide: int, blocks_high: int, grey: int) -> bytes:
    """A valid baseline greyscale JPEG of one shade, ``8 × blocks`` pixels each way.

    A flat 8×8 block has only a DC coefficient (8 × (grey − 128) with a quantiser of 1), so
    two tiny Huffman tables suffice: DC categories 0 and that of the first block, and AC
    end-of-block. Every block after the first repeats the DC value: a difference of 0.
    """
    dc = JPEG_BLOCK * (grey - 128)
    category = abs(dc).bit_length()
    bits = _Bits()
    for index in range(blocks_wide * blocks_high):
        if index == 0 and category:
            bits.put("10", category, dc if dc > 0 else dc + (1 << category) - 1)
        else:
            bits.put("0")  # DC difference 0 (category 0)
        bits.put("0")  # AC: end of block
    width, height = blocks_wide * JPEG_BLOCK, blocks_high * JPEG_BLOCK

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload

    dc_symbols = bytes([0, category]) if category else bytes([0])
    dc_counts = bytes([1, 1 if category else 0]) + bytes(14)
    return b"".join(
        [
            b"\xff\xd8",
            segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            segment(0xDB, b"\x00" + bytes([1]) * 64),
            segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            segment(0xC4, b"\x00" + dc_counts + dc_symbols),
            segment(0xC4, b"\x10" + bytes([1]) + bytes(15) + b"\x00"),
            segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            bits.stuffed(),
            b"\xff\xd9",
        ]
    )


class _Bits:
    """Entropy-coded bits of a JPEG scan, written most significant bit first."""

    def __init__(self) -> None:
        self.text = ""

    def put(self, code: str, length: int = 0, value: int = 0) -> None:
        self.text += code + (format(value, f"0{length}b") if length else "")

    def stuffed(self) -> bytes:
        """The bits padded with ones to a whole byte, each 0xFF followed by a 0x00."""
        padded = self.text + "1" * (-len(self.text) % 8)
        out = bytearray()
        for start in range(0, len(padded), 8):
            byte = int(padded[start : start + 8], 2)
            out.append(byte)
            if byte == 0xFF:
                out.append(0)
        return bytes(out)
