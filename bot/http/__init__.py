"""The bot's one HTTP server: the Telegram webhook, ``/healthz`` and ``/metrics``.

Built by the composition root (:mod:`bot.app`) and started and stopped with the application,
in polling and in webhook mode alike, on ``KINERJA_HTTP_LISTEN``. Public pages served later
(the citizen survey) are added here as further routes.
"""
