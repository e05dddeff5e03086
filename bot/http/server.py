"""The HTTP server: one aiohttp application with the bot's routes, on ``KINERJA_HTTP_LISTEN``.

:func:`build_server` assembles the routes for one bot application; :class:`HttpServer` binds
and unbinds them (``KinerjaApp.start``/``stop`` call it). With port 0 the operating system
chooses a free port, which :attr:`HttpServer.port` tells once started (tests, the demo).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from aiohttp import web

from bot.clock import Clock
from bot.config import ConfigError, Webhook
from bot.db.session import Database
from bot.http.health import HealthCheck, Receiving
from bot.http.prometheus import PrometheusView
from bot.http.webhook import AnyApplication, WebhookReceiver
from bot.metrics import Metrics
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 5.0  # seconds open requests get to finish when the bot stops


class HttpServer:
    """Serves ``routes`` on ``host:port`` between :meth:`start` and :meth:`stop`."""

    def __init__(self, host: str, port: int, routes: Iterable[web.RouteDef]) -> None:
        self.host, self.requested_port = host, port
        self.app = web.Application()
        self.app.add_routes(list(routes))
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def running(self) -> bool:
        """True between start and stop."""
        return self._runner is not None

    @property
    def port(self) -> int:
        """The port the server listens on (after start)."""
        if self._port is None:
            msg = "the HTTP server has not started"
            raise RuntimeError(msg)
        return self._port

    @property
    def url(self) -> str:
        """``http://host:port``, for local clients (tests, the demo)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Bind and serve; a ConfigError in one line when the address cannot be used."""
        if self._runner is not None:
            return
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.requested_port).start()
        except OSError as exc:
            await runner.cleanup()
            msg = (
                f"the HTTP server cannot listen on {self.host}:{self.requested_port} "
                f"({exc.strerror or exc}): check KINERJA_HTTP_LISTEN"
            )
            raise ConfigError(msg) from None
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.info("HTTP server on %s (/healthz, /metrics)", self.url)

    async def stop(self) -> None:
        """Stop serving (requests in progress get a few seconds to finish)."""
        if self._runner is None:
            return
        runner, self._runner = self._runner, None
        await runner.cleanup()


def build_server(
    *,
    address: tuple[str, int],
    application: AnyApplication,
    database: Database,
    outbox: OutboxService,
    metrics: Metrics,
    clock: Clock,
    tick_seconds: float,
    webhook: Webhook | None,
    ticking: Callable[[], bool],
) -> HttpServer:
    """The server of one bot application: health, metrics and, in webhook mode, the webhook."""

    def receiving() -> Receiving:
        if webhook is not None:
            return "webhook"
        updater = application.updater
        return "polling" if updater is not None and updater.running else "off"

    health = HealthCheck(
        database=database,
        outbox=outbox,
        metrics=metrics,
        tick_seconds=tick_seconds,
        receiving=receiving,
        ticking=ticking,
    )
    routes = [
        web.get("/healthz", health.view),
        web.get("/metrics", PrometheusView(metrics, outbox, clock).view),
    ]
    if webhook is not None:
        receiver = WebhookReceiver(application, webhook.secret, metrics)
        routes.append(web.post(webhook.path, receiver.view))
    host, port = address
    return HttpServer(host, port, routes)
