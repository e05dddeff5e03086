"""Samples for the evidence journey's messages (bukti dukung, /tim)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot.domain import EvidenceStatus, FileKind, TargetKind
from bot.forms.spec import Bounds, FileAnswer
from bot.services.evidence.types import (
    AttachedFile,
    Digest,
    DigestItem,
    DigestPerson,
    FormView,
    Receipt,
    ReviewItem,
    TargetView,
)
from scoring import Direction

AT = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)
UNTIL = datetime(2026, 4, 3, 16, 59, tzinfo=UTC)

LAPORAN = TargetView(
    id=3,
    cycle="Triwulan I 2026",
    evidence_until=UNTIL,
    rhk="Tersusunnya laporan <kepegawaian> & arsip",
    indicator="Jumlah laporan <mutasi> & rotasi",
    kind=TargetKind.UTAMA,
    unit="dokumen",
    direction=Direction.HIGHER,
    target_value=Decimal(12),
    target_low=None,
    target_high=None,
    realisation=Decimal("1250.5"),
    capaian=Decimal("107.1"),
    evidence_count=2,
)
WAKTU = TargetView(
    id=4,
    cycle="Triwulan I 2026",
    evidence_until=UNTIL,
    rhk="Layanan cepat",
    indicator="Rata-rata waktu layanan",
    kind=TargetKind.TAMBAHAN,
    unit="hari",
    direction=Direction.LOWER,
    target_value=Decimal(7),
    target_low=None,
    target_high=None,
    realisation=None,
    capaian=None,
    evidence_count=0,
)
RENTANG = TargetView(
    id=5,
    cycle="Triwulan I 2026",
    evidence_until=UNTIL,
    rhk="Kepuasan",
    indicator="Persentase kepuasan",
    kind=TargetKind.UTAMA,
    unit="%",
    direction=Direction.RANGE,
    target_value=None,
    target_low=Decimal(80),
    target_high=Decimal(90),
    realisation=Decimal(85),
    capaian=Decimal(100),
    evidence_count=1,
)
PDF = AttachedFile(
    id=1,
    kind=FileKind.DOCUMENT,
    name="laporan <final>.pdf",
    mime_type="application/pdf",
    size=1234,
    sha256="ab" * 32,
    telegram_file_id="BQAC",
    path="files/ab/ab/" + "ab" * 32,
    label="PDF",
    send_name="laporan <final>.pdf",
)
PHOTO = FileAnswer("photo", "AgAC", "image/jpeg", 2000)
DOCUMENT = FileAnswer("document", "BQAC", "application/pdf", 1234, "laporan <final>.pdf")
RECEIPT = Receipt(
    evidence_id=12,
    target=LAPORAN,
    realisation=Decimal("1250.5"),
    files=(PDF,),
    link="https://drive.example.id/a?b=1&c=2",
    note="Rapat <penting> & tindak lanjut",
    summary=(LAPORAN, WAKTU, RENTANG),
)


def _item(number: int, status: EvidenceStatus, *, new: bool = True) -> DigestItem:
    return DigestItem(
        id=number,
        indicator="Jumlah laporan <mutasi> & rotasi",
        unit="dokumen",
        realisation=Decimal("8.5"),
        capaian=Decimal("70.8"),
        note="Rapat <penting> & tindak lanjut" if new else None,
        link="https://drive.example.id/a?b=1&c=2" if new else None,
        files=1 if new else 0,
        status=status,
        submitted_at=AT,
        is_new=new,
    )


PERSON = DigestPerson(
    employee_id=1,
    name="Sari <Wulandari> & Co",
    nip="198609262015051001",
    items=(
        _item(12, EvidenceStatus.SUBMITTED),
        _item(9, EvidenceStatus.SUBMITTED, new=False),
        _item(13, EvidenceStatus.VERIFIED),
        _item(14, EvidenceStatus.CORRECTION),
    ),
    waiting=2,
    more=3,
)
DIGEST = Digest(superior_id=2, since=AT, until=UNTIL, subordinates=4, people=(PERSON,))
EMPTY = Digest(superior_id=2, since=AT, until=UNTIL, subordinates=1, people=())
REVIEWED = ReviewItem(
    id=12,
    employee_name="Sari <Wulandari> & Co",
    indicator="Jumlah laporan <mutasi> & rotasi",
    unit="dokumen",
    realisation=Decimal("8.5"),
    status=EvidenceStatus.VERIFIED,
    link="https://drive.example.id/a?b=1&c=2",
    files=(PDF,),
    note="Rapat <koordinasi> & tindak lanjut",
)
CORRECTION = ReviewItem(
    id=12,
    employee_name="Sari <Wulandari> & Co",
    indicator="Jumlah laporan <mutasi> & rotasi",
    unit="dokumen",
    realisation=Decimal("8.5"),
    status=EvidenceStatus.CORRECTION,
    link=None,
    files=(),
)
_FORM: dict[str, Any] = {
    "answers": {"target": "3", "realisation": "1250.5", "note": "Rapat <penting> & tindak"},
    "chosen": FormView(LAPORAN, Decimal("104.2")),
    "realisation": Decimal("1250.5"),
    "files": [PHOTO, DOCUMENT],
    "link": "https://drive.example.id/a?b=1&c=2",
}
_NOTICE = {
    "number": 12,
    "indicator": "Jumlah laporan <mutasi> & rotasi",
    "reviewer": "Budi <Atasan> & Co",
    "comment": "Lampirkan <daftar hadir> & foto",
}

SAMPLES: dict[str, dict[str, Any]] = {
    "evidence/target_line": {"target": RENTANG},
    "evidence/ask_target": {**_FORM, "chosen": None, "files": [DOCUMENT]},
    "evidence/ask_realisation": {
        **_FORM,
        "chosen": FormView(RENTANG, Decimal("100")),
        "bounds": Bounds(low=Decimal(0), high=Decimal(200), unit="%"),
    },
    "evidence/ask_files": {**_FORM, "files": [], "link": None},
    "evidence/ask_note": _FORM,
    "evidence/confirm": _FORM,
    "evidence/receipt": {"receipt": RECEIPT},
    "evidence/unavailable": {"reason": "no_targets"},
    "evidence/file_refused": {
        "name": "laporan <final>.pdf",
        "limit_mb": 20,
        "reason": "mismatch",
        "found": "PNG",
        "extension": ".pdf",
        "kinds": "PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS",
    },
    "evidence/team_none": {"reason": "no_subordinates"},
    "evidence/team_digest": {"digest": DIGEST},
    "evidence/team_person": {"person": PERSON},
    "evidence/review_ok": {"item": REVIEWED},
    "evidence/item": {"item": REVIEWED},
    "evidence/review_refused": {"item": None},
    "evidence/review_already": {"item": CORRECTION},
    "evidence/ask_comment": {
        "answers": {"evidence": 12, "who": "Sari <Wulandari> & Co", "indicator": "Laporan <x>"}
    },
    "evidence/file_caption": {"item": REVIEWED, "file": PDF},
    "evidence/files_sent": {"item": REVIEWED},
    "evidence/notice_verified": _NOTICE,
    "evidence/notice_correction": _NOTICE,
    "forms/invalid/target_unavailable": {},
    "forms/invalid/too_precise": {"places": 4},
}
