# Start from a small base
FROM python:3.12-alpine3.19

# Production settings
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Create app directory
WORKDIR /app

# Install dependencies
RUN pip install --no-cache-dir pipenv==2023.12.1
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy --ignore-pipfile
COPY . .
# Run the service
ENTRYPOINT ["python", "-m", "etl"]
