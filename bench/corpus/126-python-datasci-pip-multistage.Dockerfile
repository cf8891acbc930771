# syntax=docker/dockerfile:1.4
ARG PYTHON_VERSION=3.9

# Builder image
FROM python:${PYTHON_VERSION}-slim AS builder

RUN apt-get update -qq && \
    apt-get -qq install -y --no-install-recommends \
        build-essential=12.9 \
        gfortran \
        git=1:2.39.2-1.1 \
        libopenblas-dev && \
    rm -rf /var/lib/apt/lists/*

# Working directory inside the container
WORKDIR /app

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Only copy the dependency files first so this layer is cached
COPY requirements.txt .

# Install dependencies
RUN --mount=type=cache,target=/root/.cache/pip pip3 install -r requirements.txt

# ---- Release ----
FROM python:${PYTHON_VERSION}-slim AS runtime

# Production settings
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
# Create the service account
RUN groupadd -r app && useradd -r -g app app

COPY --from=builder /opt/venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

# Working directory inside the container
WORKDIR /app

COPY --chown=app:app . .

# Switch to the unprivileged user
USER app

# Expose the port the app runs on
EXPOSE 8888
# Start the application
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--no-browser", "--allow-root"]
