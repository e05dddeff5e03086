"""A sample context for every message template, so each can be rendered in every language.

A new template without a sample here fails `test_every_template_has_a_sample` (messages,
``.html``) or `test_every_console_template_has_a_sample` (console output, ``.txt``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from bot.domain import PeriodKind
from bot.services.accounts import EmployeeCard, IssuedInvite
from bot.services.cycles import plan_cycle
from bot.services.personnel import ImportReport
from bot.services.tabular import RowProblem, TableError

SARI = EmployeeCard(
    id=1,
    nip="198609262015051001",
    name="Sari <Wulandari> & Co",  # markup characters must come out escaped
    post="Analis Kepegawaian",
    unit="Bidang Mutasi",
)
LATER = datetime(2026, 1, 14, 3, 0, tzinfo=UTC)

_LINK = {"employee": SARI, "attempts_left": 3, "locked_until": LATER}

SAMPLES: dict[str, dict[str, Any]] = {
    "start/welcome": {"first_name": "Sari"},
    "start/press_button": {},
    "start/not_linked": {},
    "help/guide": {"commands": [("start", "Mulai"), ("bantuan", "Bantuan")]},
    "help/unknown": {},
    "language/changed": {},
    "errors/sorry": {},
    "errors/admin_report": {"update_id": 7, "user_id": 5001, "error": "ValueError", "held": 3},
    "flood/slow_down": {},
    "forms/header": {"title": "Bukti kerja", "number": 2, "total": 5},
    "forms/cancelled": {"title": "Bukti kerja"},
    "forms/replaced": {"title": "Bukti kerja"},
    "forms/nothing_open": {},
    "forms/outdated": {"title": "Bukti <kerja>"},
    "forms/file_kept": {},
    "forms/invalid/not_a_number": {"text": "dua <belas>"},
    "forms/invalid/not_whole": {"unit": "dokumen"},
    "forms/invalid/too_small": {"low": Decimal(0), "unit": "dokumen"},
    "forms/invalid/too_large": {"high": Decimal(100), "unit": "%"},
    "forms/invalid/text_expected": {},
    "forms/invalid/too_short": {"minimum": 10},
    "forms/invalid/too_long": {"maximum": 500, "length": 612},
    "forms/invalid/file_too_big": {"size_mb": 20.1, "limit_mb": 20},
    "forms/invalid/file_type": {
        "mime": "application/zip",
        "name": "arsip <lama>.zip",
        "kinds": "PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS",
    },
    "forms/invalid/file_expected": {},
    "forms/invalid/files_required": {},
    "forms/invalid/too_many_files": {"maximum": 5},
    "forms/invalid/press_button": {},
    "forms/invalid/unknown_option": {},
    **{
        f"link/{status}": _LINK
        for status in [
            "linked",
            "already_linked",
            "not_private",
            "foreign_contact",
            "invalid_phone",
            "no_match",
            "employee_taken",
            "account_taken",
            "code_invalid",
            "code_expired",
            "code_used",
            "locked",
        ]
    },
}

BOSS_NIP = "197503152000031002"
FAILED_IMPORT = ImportReport(
    problems=(
        RowProblem(3, "nip", "cell_is_number", {"value": "1.98609E+17"}),
        RowProblem(4, "nama", "required"),
        RowProblem(4, "jenis_jabatan", "post_type_unknown", {"value": "Eselon V"}),
        RowProblem(5, "telepon", "phone_duplicate", {"row": "2"}),
        RowProblem(
            6, "nip_atasan", "superior_loop", {"chain": f"{SARI.nip} → {BOSS_NIP} → {SARI.nip}"}
        ),
    )
)
"""An import refused for problems of several kinds, two of them in one row."""
_QUARTER = plan_cycle(PeriodKind.QUARTER, date(2026, 1, 1))

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "cli/cycle_opened": {"plan": _QUARTER},
    "cli/cycle_error": {"plan": _QUARTER, "codes": ["name_taken", "end_before_start"]},
    "cli/invite": {
        "issued": IssuedInvite(
            code="ABCD234XYZ", nip=SARI.nip, name="Sari Wulandari", expires_at=LATER
        )
    },
    "cli/import_report": {"report": FAILED_IMPORT, "file": "pegawai-dinkes.xlsx"},
    "cli/table_error": {
        "error": TableError("missing_columns", columns="nip_atasan, telepon", found="nip, nama"),
        "file": "pegawai-dinkes.csv",
    },
}
"""A sample context for every console template (``.txt``), rendered with ``render_text``."""
