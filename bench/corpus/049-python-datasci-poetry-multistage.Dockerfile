FROM python:3.11-slim AS builder

# Runtime configuration
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# Install system dependencies
RUN apt-get update -qq \
        && apt-get -qq install -y --no-install-recommends build-essential gfortran libopenblas-dev git \
        && rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
# Working directory inside the container
WORKDIR /app

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

RUN curl -sSL https://install.python-poetry.org | python3 -
ENV PATH="/root/.local/bin:$PATH"

# Dependency manifests
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
        && poetry install --no-interaction --no-ansi --without dev --no-root

FROM python:3.11-slim AS runtime

# Add an unprivileged user to run the app
RUN groupadd --system --gid 1000 app && useradd --system --uid 1000 --gid app --no-create-home app

COPY --from=builder /opt/venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /app

COPY --chown=app:app . .

# Run as non-root user
USER app

# Expose the port the app runs on
EXPOSE 8888

CMD ["jupyter", "lab", "--ip=0.0.0.0", "--no-browser", "--allow-root"]
