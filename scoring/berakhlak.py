"""The seven BerAKHLAK core values of the civil service, each with three behaviour guides.

*BerAKHLAK* (an acronym of the seven values) is the behaviour standard against which the rater
judges *perilaku kerja* (work behaviour); docs/rules.md §3. Each value carries its Indonesian and
English name and its three guides in short, in both languages, for the feedback form. The
Indonesian guides keep the wording civil servants know from the official behaviour guides
(panduan perilaku, SE MenPANRB 20/2021 [unverified]), shortened for a phone screen. The
member values are stable machine keys (stored in the database, used by templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ValueText:
    """The names and the three short guides of one value, in Indonesian and English."""

    name_id: str
    name_en: str
    guides_id: tuple[str, str, str]
    guides_en: tuple[str, str, str]


class Berakhlak(StrEnum):
    """One of the seven BerAKHLAK values, in the official order (docs/rules.md §3)."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan"
    AKUNTABEL = "akuntabel"
    KOMPETEN = "kompeten"
    HARMONIS = "harmonis"
    LOYAL = "loyal"
    ADAPTIF = "adaptif"
    KOLABORATIF = "kolaboratif"

    @property
    def text(self) -> ValueText:
        """The names and guides of this value."""
        return _TEXT[self]

    @property
    def name_id(self) -> str:
        """The Indonesian name, e.g. "Berorientasi Pelayanan"."""
        return _TEXT[self].name_id

    @property
    def name_en(self) -> str:
        """The English name, e.g. "Service-oriented"."""
        return _TEXT[self].name_en

    @property
    def guides_id(self) -> tuple[str, str, str]:
        """The three behaviour guides in short, in Indonesian."""
        return _TEXT[self].guides_id

    @property
    def guides_en(self) -> tuple[str, str, str]:
        """The three behaviour guides in short, in English (docs/rules.md §3)."""
        return _TEXT[self].guides_en


_TEXT: dict[Berakhlak, ValueText] = {
    Berakhlak.BERORIENTASI_PELAYANAN: ValueText(
        "Berorientasi Pelayanan",
        "Service-oriented",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, dan solutif",
            "Melakukan perbaikan tiada henti",
        ),
        (
            "Understands and meets people's needs",
            "Friendly, quick and solution-minded",
            "Keeps improving",
        ),
    ),
    Berakhlak.AKUNTABEL: ValueText(
        "Akuntabel",
        "Accountable",
        (
            "Jujur, cermat, dan disiplin",
            "Menggunakan uang dan barang milik negara secara bertanggung jawab",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
        (
            "Honest, careful and disciplined",
            "Uses state money and property well",
            "Does not abuse the office",
        ),
    ),
    Berakhlak.KOMPETEN: ValueText(
        "Kompeten",
        "Competent",
        (
            "Terus belajar dan meningkatkan kompetensi diri",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
        (
            "Keeps learning",
            "Helps others learn",
            "Does the job to the best quality",
        ),
    ),
    Berakhlak.HARMONIS: ValueText(
        "Harmonis",
        "Harmonious",
        (
            "Menghargai setiap orang apa pun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
        (
            "Respects everyone",
            "Likes to help",
            "Builds a good workplace",
        ),
    ),
    Berakhlak.LOYAL: ValueText(
        "Loyal",
        "Loyal",
        (
            "Setia pada Pancasila, UUD 1945, dan pemerintahan yang sah",
            "Menjaga nama baik ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
        (
            "Upholds Pancasila, the constitution and lawful government",
            "Protects the good name of the service",
            "Keeps official secrets",
        ),
    ),
    Berakhlak.ADAPTIF: ValueText(
        "Adaptif",
        "Adaptive",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi",
            "Bertindak proaktif",
        ),
        (
            "Adjusts quickly to change",
            "Innovates",
            "Acts proactively",
        ),
    ),
    Berakhlak.KOLABORATIF: ValueText(
        "Kolaboratif",
        "Collaborative",
        (
            "Memberi kesempatan kepada orang lain untuk berkontribusi",
            "Terbuka untuk bekerja sama",
            "Menggerakkan berbagai sumber daya untuk tujuan bersama",
        ),
        (
            "Gives others room to contribute",
            "Open to cooperation",
            "Pools resources for shared goals",
        ),
    ),
}
