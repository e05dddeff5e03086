"""Samples of the authority templates: heads of units, BKPSDM admins, gaps, one-line errors."""

from __future__ import annotations

from typing import Any

from bot.services.authority import AdminLine, Gaps, HeadSet, Organisation, UnitLine, Unsupervised

GAPS = Gaps(
    without_head=("Dinas <Pendidikan>", "Kecamatan Bangko"),
    unsupervised=(
        Unsupervised("198609262015051001", "Sari <Wulandari>", "Bidang P2P"),
        Unsupervised(
            "197503152000031002", "Budi Santoso", "Dinas Kesehatan", "Drs. Sekda", "Setda"
        ),
    ),
)

ADMIN = AdminLine("198609262015051001", "Rina <Admin>", "BKPSDM", linked=False)
UNITS = (
    UnitLine("dinas kesehatan", "Dinas Kesehatan", 0, 12, "Drs. Ahmad", "197503152000031002"),
    UnitLine("dinas kesehatan/bidang p2p", "Bidang P2P", 1, 5, "Budi", "19860926", "Sekretariat"),
    UnitLine("dinas pendidikan", "Dinas Pendidikan", 0, 9),
)

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "cli/gaps": {"gaps": GAPS, "limit": 1},
    "cli/admin_changed": {"admin": ADMIN, "granted": True},
    "cli/admins": {"admins": (ADMIN,)},
    "cli/unit_head": {
        "named": HeadSet(
            unit="Dinas Kesehatan",
            opd=True,
            head="Budi <Plt>",
            head_nip="197503152000031002",
            before="Drs. Ahmad",
            changed=True,
            works_in="Sekretariat Daerah",
        )
    },
    "cli/units": {"organisation": Organisation(UNITS, GAPS)},
    "cli/heads_missing": {"opds": ("Dinas Pendidikan", "Kecamatan Bangko")},
    "cli/error": {"code": "unknown_unit", "params": {"unit": "dinas hilang"}},
}
"""A sample context for every console template of this feature."""
