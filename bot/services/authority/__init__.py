"""Authority: who heads each unit, who is a BKPSDM admin, and which powers that gives.

- :mod:`~bot.services.authority.rules`: the powers (publish a unit, set its organisational
  predikat), the standings that hold them, and what a person is to a unit.
- :mod:`~bot.services.authority.org`: units with their heads, and the gaps BKPSDM must fix.
- :mod:`~bot.services.authority.service`: the operator names heads and grants the admin role.
"""

from bot.services.authority.org import Gaps, Organisation, UnitLine, Unsupervised, gaps
from bot.services.authority.rules import (
    GRANTS,
    Power,
    Standing,
    find_unit,
    head_id,
    is_admin,
    may,
    opd_of,
    standings,
    unit_key,
)
from bot.services.authority.service import (
    AdminLine,
    AuthorityAction,
    AuthorityService,
    HeadSet,
    record_head,
)

__all__ = [
    "GRANTS",
    "AdminLine",
    "AuthorityAction",
    "AuthorityService",
    "Gaps",
    "HeadSet",
    "Organisation",
    "Power",
    "Standing",
    "UnitLine",
    "Unsupervised",
    "find_unit",
    "gaps",
    "head_id",
    "is_admin",
    "may",
    "opd_of",
    "record_head",
    "standings",
    "unit_key",
]
