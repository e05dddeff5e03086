"""The `kinerja` command: every operator task in one place.

kinerja run                       start the bot (long polling) with the configured token
kinerja demo                      a complete local demonstration, no token or network needed
kinerja db upgrade                apply database migrations
kinerja import employees FILE     import personnel data (CSV or XLSX)
kinerja invite NIP                print a single-use link code for one employee
kinerja cycle open --start DATE   open an appraisal cycle (month, quarter or year)
"""

from bot.cli import (  # noqa: F401  (each registers its commands)
    cycle,
    feedback,
    people,
    results,
    running,
    targets,
)
from bot.cli.common import main

__all__ = ["main"]
