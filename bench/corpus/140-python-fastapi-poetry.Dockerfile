# Runtime image
FROM python:3.12-slim
LABEL org.opencontainers.image.source="https://github.com/example/services" \
	org.opencontainers.image.authors="jane@example.com" \
	org.opencontainers.image.licenses="Apache-2.0"

# Environment
ENV PYTHONDONTWRITEBYTECODE=1 \
	PYTHONUNBUFFERED=1 \
	POETRY_VERSION=1.8.2 \
	POETRY_VIRTUALENVS_CREATE=false

# Working directory inside the container
WORKDIR /app

# Install dependencies
RUN pip install --no-cache-dir "poetry==1.8.2"

# Copy the requirements file into the container
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false && \
	poetry install --no-interaction --no-ansi --no-dev --no-root
# Copy the application source
COPY src/ ./src/

# Make the service port available outside the container
EXPOSE 8000

# Default command
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
