"""A made-up but realistic regency for the demo: OPDs, sections, posts and people.

Deterministic for a given seed, so every demo run tells the same story. The names are common
Indonesian names; NIPs follow the PNS layout and phones are valid Indonesian mobile numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.services.nip import make_pns_nip
from bot.services.sheets import write_csv_rows

COLUMNS = (
    "nip",
    "nama",
    "jabatan",
    "jenis_jabatan",
    "unit",
    "opd",
    "nip_atasan",
    "telepon",
    "kepala_unit",
)

# OPD → (head's post, [(section, its head's post, post type of that head, staff posts)])
Section = tuple[str, str, str, tuple[str, ...]]
STRUCTURE: dict[str, tuple[str, list[Section]]] = {
    "Badan Kepegawaian dan Pengembangan SDM": (
        "Kepala Badan Kepegawaian dan Pengembangan SDM",
        [
            (
                "Bidang Mutasi dan Promosi",
                "Kepala Bidang Mutasi dan Promosi",
                "administrator",
                ("Analis Kepegawaian", "Analis Kepegawaian", "Pengelola Data Kepegawaian"),
            ),
            (
                "Bidang Pengembangan Kompetensi",
                "Kepala Bidang Pengembangan Kompetensi",
                "administrator",
                ("Pranata Komputer", "Analis SDM Aparatur", "Pengadministrasi Umum"),
            ),
        ],
    ),
    "Dinas Kesehatan": (
        "Kepala Dinas Kesehatan",
        [
            (
                "Bidang Pelayanan Kesehatan",
                "Kepala Bidang Pelayanan Kesehatan",
                "administrator",
                ("Perawat", "Perawat", "Bidan", "Pengelola Data"),
            ),
            (
                "Puskesmas Bangko",
                "Kepala Puskesmas Bangko",
                "pengawas",
                ("Dokter", "Perawat", "Bidan", "Apoteker", "Pengadministrasi Umum"),
            ),
        ],
    ),
    "Dinas Pendidikan dan Kebudayaan": (
        "Kepala Dinas Pendidikan dan Kebudayaan",
        [
            (
                "Bidang Pembinaan SD",
                "Kepala Bidang Pembinaan SD",
                "administrator",
                ("Pengawas Sekolah", "Pengawas Sekolah", "Pengelola Data", "Analis Kurikulum"),
            ),
            (
                "SMP Negeri 1 Bangko",
                "Kepala SMP Negeri 1 Bangko",
                "pengawas",
                ("Guru", "Guru", "Guru", "Guru", "Pengadministrasi Umum"),
            ),
        ],
    ),
    "Kecamatan Bangko": (
        "Camat Bangko",
        [
            (
                "Seksi Pelayanan Umum",
                "Kepala Seksi Pelayanan Umum",
                "pengawas",
                ("Pengadministrasi Umum", "Pengelola Layanan Kependudukan", "Pengelola Data"),
            ),
            (
                "Seksi Pemerintahan",
                "Kepala Seksi Pemerintahan",
                "pengawas",
                ("Analis Pemerintahan", "Pengadministrasi Umum", "Pengelola Data"),
            ),
        ],
    ),
}
MOBILE_PREFIXES = ("812", "813", "821", "822", "852", "853", "857", "878")
FIRST = [
    "Sari",
    "Dewi",
    "Rina",
    "Wulan",
    "Putri",
    "Fitri",
    "Ayu",
    "Intan",
    "Lestari",
    "Yuni",
    "Ratna",
    "Siti",
    "Nurul",
    "Maya",
    "Eka",
    "Budi",
    "Agus",
    "Hendra",
    "Rudi",
    "Andi",
    "Joko",
    "Yusuf",
    "Rahmat",
    "Dedi",
    "Fajar",
    "Irwan",
    "Taufik",
    "Arif",
    "Bayu",
    "Rizky",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Pratama",
    "Siregar",
    "Nasution",
    "Harahap",
    "Kurniawan",
    "Rahman",
    "Lubis",
    "Setiawan",
    "Gunawan",
    "Susanti",
    "Handayani",
    "Maharani",
    "Permata",
    "Syahputra",
    "Ramadhan",
    "Anggraini",
]
FEMALE = set(FIRST[:15])
STAFF_TYPES = {
    "Dokter": "fungsional",
    "Perawat": "fungsional",
    "Bidan": "fungsional",
    "Apoteker": "fungsional",
    "Guru": "fungsional",
    "Pengawas Sekolah": "fungsional",
    "Pranata Komputer": "fungsional",
}


@dataclass(frozen=True, slots=True)
class Person:
    """One row of the demo's personnel file."""

    nip: str
    name: str
    post: str
    post_type: str
    unit: str
    opd: str
    superior_nip: str
    phone: str
    head: bool = False  # heads their unit (their OPD when ``unit`` is empty)

    def row(self) -> tuple[str, ...]:
        """The row in the import file's column order."""
        return (
            self.nip,
            self.name,
            self.post,
            self.post_type,
            self.unit,
            self.opd,
            self.superior_nip,
            self.phone,
            "ya" if self.head else "",
        )


class _Factory:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 (made-up people, not secrets)
        self.count = 0

    def person(
        self, post: str, post_type: str, unit: str, opd: str, boss: str, *, head: bool = False
    ) -> Person:
        self.count += 1
        first, last = self.random.choice(FIRST), self.random.choice(LAST)
        birth = date(
            self.random.randint(1968, 1996), self.random.randint(1, 12), self.random.randint(1, 28)
        )
        appointed = date(
            min(birth.year + self.random.randint(22, 30), 2024), self.random.randint(1, 12), 1
        )
        sex = 2 if first in FEMALE else 1
        nip = make_pns_nip(birth, appointed, sex, self.count)
        prefix = self.random.choice(MOBILE_PREFIXES)
        phone = f"+62{prefix}{self.count:04d}{self.random.randint(0, 9999):04d}"
        return Person(nip, f"{first} {last}", post, post_type, unit, opd, boss, phone, head)


def build_regency(seed: int = 2026) -> list[Person]:
    """Every person of the demo regency, heads first (a superior precedes their staff)."""
    factory = _Factory(seed)
    people: list[Person] = []
    for opd, (head_post, sections) in STRUCTURE.items():
        head = factory.person(head_post, "jpt_pratama", "", opd, "", head=True)
        people.append(head)
        for section, section_post, level, staff_posts in sections:
            chief = factory.person(section_post, level, section, opd, head.nip, head=True)
            people.append(chief)
            for post in staff_posts:
                kind = STAFF_TYPES.get(post, "pelaksana")
                people.append(factory.person(post, kind, section, opd, chief.nip))
    return people


def write_csv(people: list[Person], path: Path) -> None:
    """The personnel file as BKPSDM would export it (the demo imports it like a real one)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_csv_rows(handle, [COLUMNS, *(person.row() for person in people)])
