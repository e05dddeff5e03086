"""What one `kinerja run` process does: everything, or one side of the work.

Telegram hands a bot's updates to one consumer only, so exactly one process takes updates
(``all`` or ``updates``); it also runs the scheduler's tick, so planning happens once. Any
number of processes may drain the outbox (``all`` or ``outbox``): rows are claimed with
``FOR UPDATE SKIP LOCKED`` and one chat's rows go to one worker at a time
(:meth:`bot.services.outbox.OutboxService.claim`). Together they keep to
``KINERJA_SEND_RATE`` when each is told how many send (``KINERJA_SENDERS``, see
:attr:`bot.config.Settings.send_share`).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """``kinerja run --role``."""

    ALL = "all"  # updates, the scheduler's tick and the outbox: one process does everything
    UPDATES = "updates"  # updates (polling) and the tick; the outbox is left to workers
    OUTBOX = "outbox"  # drains the outbox only; takes no updates

    @property
    def takes_updates(self) -> bool:
        """Consumes Telegram updates, publishes the command menu and runs the tick."""
        return self is not Role.OUTBOX

    @property
    def drains_outbox(self) -> bool:
        """Sends what the outbox holds."""
        return self is not Role.UPDATES
