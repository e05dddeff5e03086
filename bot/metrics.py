"""What the running bot counts, for ``GET /metrics`` (Prometheus) and ``GET /healthz``.

One :class:`Metrics` per application (its own ``CollectorRegistry``, so two applications in
one process, as in the tests, never mix their numbers). The code that does the work tells it
what happened:

- :meth:`Metrics.update_handled` — ``KinerjaApp.process_update``, once per update;
- :meth:`Metrics.update_received` — the webhook route, for every update Telegram posts;
- :meth:`Metrics.flood_drop` — flood control, for every update it drops;
- :meth:`Metrics.tick` — the scheduler, after each tick;
- messages sent, 429s and long polls — :class:`MeteredRequest`, which sees every Bot API call
  at the HTTP boundary (retries and the pieces of a split message included).

The outbox and reachability gauges are read from the database when ``/metrics`` is scraped
(:mod:`bot.http.prometheus`). Besides the counters, :class:`Metrics` keeps *when* the bot last
received something and last ticked, by the application's clock, for the health check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock
from bot.notify.pacing import MESSAGE_METHODS
from bot.wrapped_request import WrappedRequest

METRICS_KEY = "metrics"
TOO_MANY_REQUESTS = 429
# Seconds: a reply takes a few hundred milliseconds; a form step with a file download, seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def update_kind(update: object) -> str:
    """'message', 'callback_query', 'my_chat_member', …: which part of the update is set."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return str(kind)
        return "unknown"
    return "other"


class Metrics:
    """The counters of one application, and the moments its health is judged by."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "kinerja_updates", "Updates handled, by kind", ["kind"], registry=registry
        )
        self.handler_seconds = Histogram(
            "kinerja_handler_seconds",
            "Seconds to handle one update (all handler groups)",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.flood_drops = Counter(
            "kinerja_flood_drops", "Updates dropped by flood control", registry=registry
        )
        self.messages_sent = Counter(
            "kinerja_messages_sent",
            "Messages Telegram accepted (every send method)",
            registry=registry,
        )
        self.rate_limits = Counter(
            "kinerja_telegram_429",
            "Bot API calls Telegram answered 429 (too many requests)",
            registry=registry,
        )
        self.ticks = Counter(
            "kinerja_scheduler_ticks", "Scheduler ticks completed", registry=registry
        )
        self.outbox_depth = Gauge(
            "kinerja_outbox_depth",
            "Notifications waiting in the outbox (pending or sending)",
            registry=registry,
        )
        self.outbox_lag = Gauge(
            "kinerja_outbox_lag_seconds",
            "How long the oldest due notification has waited (0 when none is due)",
            registry=registry,
        )
        self.unreachable_users = Gauge(
            "kinerja_unreachable_users", "Employees who blocked the bot", registry=registry
        )
        self.database_up = Gauge(
            "kinerja_database_up", "1 when the database answered the last scrape", registry=registry
        )
        self.started_at: datetime = clock()
        self.last_received_at: datetime | None = None
        self.last_tick_at: datetime | None = None

    def started(self) -> None:
        """The application started: ages count from now until something happens."""
        self.started_at = self.clock()

    def update_handled(self, kind: str, seconds: float) -> None:
        """One update went through the handlers in ``seconds``."""
        self.updates.labels(kind=kind).inc()
        self.handler_seconds.observe(seconds)

    def update_received(self) -> None:
        """An update arrived (webhook), or a long poll came back (polling)."""
        self.last_received_at = self.clock()

    def flood_drop(self) -> None:
        """Flood control dropped an update."""
        self.flood_drops.inc()

    def message_sent(self) -> None:
        """Telegram accepted a message."""
        self.messages_sent.inc()

    def rate_limited(self) -> None:
        """Telegram answered 429."""
        self.rate_limits.inc()

    def tick(self) -> None:
        """The scheduler finished a tick."""
        self.ticks.inc()
        self.last_tick_at = self.clock()

    def seconds_since(self, moment: datetime | None) -> float:
        """Seconds from ``moment`` (or from the start, when it never happened) until now."""
        return max(0.0, (self.clock() - (moment or self.started_at)).total_seconds())


def metrics_of(application: Any) -> Metrics:
    """The metrics the composition root installed on ``application`` (any PTB Application)."""
    metrics = application.bot_data.get(METRICS_KEY)
    if not isinstance(metrics, Metrics):
        msg = "no metrics installed: build the application with bot.app.build_application"
        raise RuntimeError(msg)
    return metrics


class MeteredRequest(WrappedRequest):
    """PTB's HTTP layer, counting what Telegram answered: sends, 429s and long polls.

    Wraps the request object the bot would use anyway (``inner``); every Bot API call passes
    here once per attempt, after the rate limiter and the message guard.
    """

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        super().__init__(inner)
        self.metrics = metrics

    def answered(
        self, url: str, request_data: RequestData | None, code: int, payload: bytes
    ) -> tuple[int, bytes]:
        """Count the call by the Bot API method and Telegram's status code."""
        del request_data
        endpoint = url.rsplit("/", 1)[-1]
        if code == TOO_MANY_REQUESTS:
            self.metrics.rate_limited()
        elif 200 <= code < 300:
            if endpoint in MESSAGE_METHODS:
                self.metrics.message_sent()
            elif endpoint == "getUpdates":
                self.metrics.update_received()
        return code, payload
