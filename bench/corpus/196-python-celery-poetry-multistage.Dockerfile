# Dependencies
FROM python:3.11-slim AS deps

# Production settings
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 POETRY_VERSION=1.8.2 POETRY_VIRTUALENVS_CREATE=false
# Install OS packages
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev gcc \
    && rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*

# Set the working directory
WORKDIR /usr/src/app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Fetch dependencies (cached unless the manifests change)
RUN python -m pip install "poetry==1.8.2"

# Copy the requirements file into the container
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes \
    && pip install --no-cache-dir -r requirements.txt

# Use an official image as a parent image
FROM python:3.11-slim

# Environment
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    POETRY_VERSION=1.8.2 \
    POETRY_VIRTUALENVS_CREATE=false

# Install system dependencies
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*

# Add an unprivileged user to run the app
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin app
COPY --from=deps /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Set the working directory
WORKDIR /usr/src/app
COPY --chown=app:app . .

# Run as non-root user
USER app

# Run the service
CMD ["celery", "-A", "tasks", "worker", "--loglevel=INFO", "--concurrency=2"]
