# Install dependencies only when needed
FROM python:3.11-slim-bookworm AS deps

# Runtime configuration
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_NO_CACHE_DIR=1

# System packages
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

RUN python -m venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

# Only copy the dependency files first so this layer is cached
COPY requirements.txt .

# Install dependencies
RUN pip install -r requirements.txt

# Production image
FROM python:3.11-slim-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN adduser --disabled-password --gecos "" --uid 1000 app

COPY --from=deps /opt/venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

# Create app directory
WORKDIR /app

COPY --chown=app:app . .

# Switch to the unprivileged user
USER app

# Make the service port available outside the container
EXPOSE 8000

# Run the app
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
