# syntax=docker/dockerfile:1.6
# Use an official image as a parent image
FROM python:3.12-slim-bookworm

# Environment
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Install required packages
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl
# Set the working directory
WORKDIR /app

COPY --from=ghcr.io/astral-sh/uv:0.4.18 /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-install-project --no-dev
COPY src/ ./src/

# Create the service account
RUN useradd --create-home --uid 1001 --shell /usr/sbin/nologin app && chown -R app:app /app

# Switch to the unprivileged user
USER app

# Make the service port available outside the container
EXPOSE 8501

# Start the application
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
