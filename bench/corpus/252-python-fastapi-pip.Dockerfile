# syntax=docker/dockerfile:1.7
# Start from a small base
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && \
        apt-get upgrade -y && \
        apt-get install build-essential curl && \
        rm -rf /var/lib/apt/lists/*

# Copy the current directory contents into the container
ADD . /code
# Create app directory
WORKDIR /code
# Install dependencies
RUN python -m pip install --no-cache-dir -r requirements.txt

# Create a non-root user
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app && chown -R app:app /code

# Switch to the unprivileged user
USER app

# Make the service port available outside the container
EXPOSE 8000

# Container health check
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
        CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')" || exit 1

# Start the application
CMD uvicorn app.main:app --host 0.0.0.0 --port 8000
