# Use an official image as a parent image
FROM python:3.9-slim
# Create app directory
WORKDIR /app

# Fetch dependencies (cached unless the manifests change)
RUN pip install --no-cache-dir "poetry==1.7.1"

# Only copy the dependency files first so this layer is cached
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false && \
    poetry install --no-interaction --no-ansi --only main --no-root

# Bundle app source
COPY . .

# Create the service account
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app && chown -R app:app /app
# Run as non-root user
USER app

# Default command
ENTRYPOINT ["python", "-m", "app"]

# Start the application
CMD ["--help"]
