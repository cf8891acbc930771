ARG PYTHON_VERSION=3.11

# Runtime image
FROM python:${PYTHON_VERSION}
LABEL org.opencontainers.image.source="https://github.com/contoso/tools" \
    org.opencontainers.image.authors="ops@example.com" \
    org.opencontainers.image.licenses="Apache-2.0"

# Runtime configuration
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
# Create app directory
WORKDIR /srv/app

COPY requirements.txt .

# Install any needed packages
RUN python -m pip install --no-cache-dir --require-hashes -r requirements.txt

# Copy the current directory contents into the container
COPY . .

# Add an unprivileged user to run the app
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app && chown -R app:app /srv/app

# Drop privileges
USER app

# Expose the port the app runs on
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')" || exit 1

# Run the app
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
