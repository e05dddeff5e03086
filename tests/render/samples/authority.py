"""Samples of the authority templates: heads of units, BKPSDM admins, gaps, one-line errors."""

from __future__ import annotations

from typing import Any

from bot.services.authority import Gaps, Unsupervised

GAPS = Gaps(
    without_head=("Dinas <Pendidikan>", "Kecamatan Bangko"),
    unsupervised=(
        Unsupervised("198609262015051001", "Sari <Wulandari>", "Bidang P2P"),
        Unsupervised(
            "197503152000031002", "Budi Santoso", "Dinas Kesehatan", "Drs. Sekda", "Setda"
        ),
    ),
)

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "cli/gaps": {"gaps": GAPS, "limit": 1},
}
"""A sample context for every console template of this feature."""
