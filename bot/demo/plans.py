"""What each post of the demo regency plans for the quarter: one RHK with two indicators.

Data the simulated people and BKPSDM's file contain (Indonesian, as they write it). Heads of
OPD and of sections share one plan worded for their unit; every RHK supports the superior's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.demo.regency import Person
from scoring import Direction


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator (IKI) of an RHK: what is measured, its satuan, target and direction."""

    text: str
    unit: str
    target: Decimal
    direction: Direction

    @property
    def arah(self) -> str:
        """The import file's word for the direction."""
        return "turun" if self.direction is Direction.LOWER else "naik"

    @property
    def percent(self) -> bool:
        """Whether the satuan is a percentage."""
        return self.unit == "%"


@dataclass(frozen=True, slots=True)
class Plan:
    """One person's RHK (rencana hasil kerja) and its two indicators."""

    rhk: str
    indicators: tuple[Indicator, Indicator]


def _plan(rhk: str, *rows: tuple[str, str, int, Direction]) -> Plan:
    first, second = (Indicator(text, unit, Decimal(value), way) for text, unit, value, way in rows)
    return Plan(rhk, (first, second))


_UP, _DOWN = Direction.HIGHER, Direction.LOWER
_HEALTH = _plan(
    "Terlaksananya pelayanan kesehatan yang bermutu bagi masyarakat",
    ("Jumlah pasien yang dilayani", "pasien", 450, _UP),
    ("Rata-rata waktu tunggu pelayanan", "menit", 30, _DOWN),
)
_OFFICE = _plan(
    "Tertibnya administrasi dan data unit kerja",
    ("Jumlah dokumen dan data yang diselesaikan", "dokumen", 60, _UP),
    ("Persentase berkas selesai tepat waktu", "%", 90, _UP),
)
_PERSONNEL = _plan(
    "Tersusunnya analisis dan layanan kepegawaian yang tepat waktu",
    ("Jumlah dokumen analisis yang diselesaikan", "dokumen", 12, _UP),
    ("Persentase usulan pegawai yang diproses tepat waktu", "%", 90, _UP),
)
PLANS: dict[str, Plan] = {
    "Dokter": _HEALTH,
    "Perawat": _HEALTH,
    "Bidan": _HEALTH,
    "Apoteker": _plan(
        "Terjaminnya ketersediaan obat di puskesmas",
        ("Jumlah resep yang dilayani", "resep", 900, _UP),
        ("Persentase ketersediaan obat esensial", "%", 95, _UP),
    ),
    "Guru": _plan(
        "Terlaksananya pembelajaran yang bermutu",
        ("Jumlah jam pelajaran yang dilaksanakan", "jam", 288, _UP),
        ("Persentase siswa tuntas KKM", "%", 85, _UP),
    ),
    "Pengawas Sekolah": _plan(
        "Terlaksananya supervisi sekolah binaan",
        ("Jumlah sekolah yang disupervisi", "sekolah", 12, _UP),
        ("Jumlah guru yang dibina", "guru", 40, _UP),
    ),
    "Analis Kepegawaian": _PERSONNEL,
    "Analis SDM Aparatur": _PERSONNEL,
    "Pengelola Data Kepegawaian": _PERSONNEL,
    "Pengelola Layanan Kependudukan": _plan(
        "Terlayaninya dokumen kependudukan warga",
        ("Jumlah dokumen kependudukan yang diproses", "dokumen", 300, _UP),
        ("Rata-rata waktu penyelesaian layanan", "menit", 45, _DOWN),
    ),
}


def plan_of(person: Person) -> Plan:
    """The plan of a person: by post, heads by the unit they lead."""
    if person.post_type in ("jpt_pratama", "administrator", "pengawas"):
        return _plan(
            f"Terwujudnya kinerja {person.unit or person.opd} sesuai rencana strategis",
            ("Persentase program yang tercapai", "%", 90, _UP),
            ("Jumlah kegiatan yang terlaksana", "kegiatan", 24, _UP),
        )
    return PLANS.get(person.post, _OFFICE)
