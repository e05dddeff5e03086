"""The `kinerja` command: every operator task in one place.

kinerja run                       start the bot (long polling) with the configured token
kinerja demo                      a complete local demonstration, no token or network needed
kinerja db upgrade                apply database migrations
kinerja import employees FILE     import personnel data (CSV or XLSX)
kinerja invite NIP                print a single-use link code for one employee
kinerja cycle open --start DATE   open an appraisal cycle (month, quarter or year)
kinerja admin grant|revoke|list   the BKPSDM admin role
kinerja unit head UNIT NIP        name the head of a unit; `unit list` shows them all
kinerja backup FILE               the database and the evidence files in one archive
kinerja restore FILE              an archive back into an empty database and data folder
"""

from bot.cli import (  # noqa: F401  (each registers its commands)
    authority,
    cycle,
    feedback,
    maintenance,
    people,
    results,
    running,
    targets,
)
from bot.cli.common import main

__all__ = ["main"]
