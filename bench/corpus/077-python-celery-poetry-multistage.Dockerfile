FROM python:3.12-alpine3.19 AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
	PYTHONUNBUFFERED=1 \
	PIP_NO_CACHE_DIR=1 \
	POETRY_VERSION=1.8.2 \
	POETRY_VIRTUALENVS_CREATE=false

RUN apk update && \
	apk add build-base libffi-dev postgresql-dev
WORKDIR /usr/src/app
RUN python -m venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"
RUN pip3 install "poetry==1.7.1"

COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false && \
	poetry install --no-interaction --no-ansi --only main --no-root

FROM python:3.12-alpine3.19

ENV PYTHONDONTWRITEBYTECODE=1 \
	PYTHONUNBUFFERED=1 \
	POETRY_VERSION=1.8.2 \
	POETRY_VIRTUALENVS_CREATE=false

RUN apk add --no-cache libpq
RUN addgroup -S app && adduser -S app -G app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /usr/src/app

COPY --chown=app:app . .

USER app

CMD ["celery", "-A", "tasks", "worker", "--loglevel=INFO", "--concurrency=2"]
