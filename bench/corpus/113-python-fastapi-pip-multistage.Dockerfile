# syntax=docker/dockerfile:1.4
FROM python:3.12-alpine3.19 AS build

# Environment
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# Install build dependencies
RUN apk add --no-cache build-base libffi-dev postgresql-dev

# Working directory inside the container
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .

# Fetch dependencies (cached unless the manifests change)
RUN --mount=type=cache,target=/root/.cache/pip python -m pip install --require-hashes -r requirements.txt

FROM python:3.12-alpine3.19
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_NO_CACHE_DIR=1
RUN addgroup -S -g 1000 app && adduser -S -D -H -u 1000 -G app app
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY --chown=app:app . .

# Drop privileges
USER app
EXPOSE 8000
# Start the application
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
