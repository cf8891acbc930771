# syntax=docker/dockerfile:1.7

ARG PYTHON_VERSION=3.12.2

############################
# Builder: compile wheels  #
############################
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        # Pillow
        libjpeg62-turbo-dev \
        zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY requirements/base.txt requirements/production.txt ./requirements/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --upgrade pip==24.0 wheel==0.43.0 \
    && /opt/venv/bin/pip install --require-hashes -r requirements/production.txt

############################
# Runtime                  #
############################
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

ARG APP_UID=10001
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libjpeg62-turbo tini curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid ${APP_UID} django \
    && useradd --system --uid ${APP_UID} --gid django --home-dir /app --shell /usr/sbin/nologin django

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY --chown=django:django . .

# collectstatic needs a SECRET_KEY, but not the real one
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

USER django
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz/ || exit 1

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
