# Kinerja Bot production image: dependencies from uv.lock (no dev tools), a non-root user,
# migrations on start, then the bot (long polling). Configure it with environment variables
# (see .env.example); mount a volume at /data for the SQLite database and evidence files.
# compose.yaml runs it with PostgreSQL 16 (and overrides the command per service).
FROM python:3.11-slim AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
COPY scoring ./scoring
COPY templates ./templates
RUN uv sync --frozen --no-dev


FROM python:3.11-slim

# pg_dump and pg_restore for `kinerja backup` and `kinerja restore` on PostgreSQL: they must be
# of the server's major version or newer (compose.yaml runs PostgreSQL 16, Debian 12 ships 15),
# so they come from the PostgreSQL project's apt repository, which postgresql-common sets up.
ARG PG_MAJOR=16
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 kinerja \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin kinerja \
    && mkdir /data \
    && chown kinerja:kinerja /data

WORKDIR /app
COPY --from=build --chown=kinerja:kinerja /app /app

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    KINERJA_DATA_DIR=/data

USER 10001:10001
VOLUME ["/data"]
CMD ["sh", "-c", "kinerja db upgrade && exec kinerja run"]
