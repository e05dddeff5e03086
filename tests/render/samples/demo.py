"""Samples for the console templates of `kinerja demo` (``cli/demo/*``), from the demo's types.

The whole story renders every branch of these templates in the end-to-end demo tests; the
samples here let the render tests cover each template in both languages in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.demo.chat import DemoFailure
from bot.demo.linking import Story
from bot.demo.story import START, moment
from bot.demo.summary import Counts, Summary
from bot.services.personnel import ImportReport
from bot.services.phases import Phase
from bot.services.reminders import TickReport

FOLDER = Path("/srv/kinerja/demo-output")
STORY = Story(
    linked=42,
    foreign_contact_refused=True,
    stranger_refused=True,
    invite_linked=True,
    switched_language="en",
    transcript=[
        ("/start", "Halo, Rina! Saya Kinerja Bot, asisten penilaian kinerja ASN."),
        (
            "[kontak rekan diteruskan / a colleague's contact]",
            "Kontak yang Anda kirim bukan milik akun Telegram ini, jadi tidak saya pakai.",
        ),
        (
            "[📱 tombol bagikan nomor / share button]",
            "✅ Berhasil! Akun Telegram Anda kini tertaut dengan data pegawai:\nRina Marlina",
        ),
    ],
)
TICK = TickReport(
    at=moment(1, 19),
    closed=(("Triwulan I 2026", Phase.TARGETS),),
    late_lists=1,
    summaries=1,
)
COUNTS = Counts(
    linked=42,
    targets=81,
    evidence=81,
    verified=10,
    files=10,
    file_bytes=3174,
    feedback=173,
    assignments=182,
    assessments=38,
    results=38,
    sent={"reminder": 7, "late": 4, "summary": 4, "digest": 12, "result": 38},
)

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "cli/demo/begin": {"folder": FOLDER, "people": 42, "start": START},
    "cli/demo/imported": {
        "report": ImportReport(created=42, units_created=12, heads_changed=12),
        "file": "pegawai.csv",
        "total": 9,
    },
    "cli/demo/sandbox": {
        "url": "http://127.0.0.1:8081/bot",
        "total": 9,
        "group": "BKPSDM Merangin",
    },
    "cli/demo/progress": {"done": 40, "total": 42},  # prints on every tenth link and the last
    "cli/demo/chapter": {"number": 4, "total": 9, "name": "targets"},
    "cli/demo/event": {"code": "tick", "at": TICK.at, "report": TICK, "sent": 2},
    "cli/demo/failed": {"failure": DemoFailure("targets_incomplete", "41 people")},
    "cli/demo/summary": {
        "s": Summary(
            people=42,
            counts=COUNTS,
            refusals={"foreign_contact": 1, "no_match": 2},
            linking=STORY,
            chapters={},
            delivered=553,
            admin_messages=4,
            seconds=38.7,
            folder=FOLDER,
            ok=True,
        )
    },
}
"""A sample context for every console template of the demo."""
