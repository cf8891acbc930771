# Build stage
FROM python:3.12-alpine3.19 AS build

# Environment
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# Install OS packages
RUN apk add --no-cache build-base libffi-dev

# Create app directory
WORKDIR /code

RUN python -m venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

# Only copy the dependency files first so this layer is cached
COPY requirements.txt requirements-prod.txt ./

RUN pip3 install -r requirements.txt

FROM python:3.12-alpine3.19

# Production settings
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_NO_CACHE_DIR=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1

# Create a non-root user
RUN addgroup -S app && adduser -S app -G app

COPY --from=build /opt/venv /opt/venv

ENV PATH="/opt/venv/bin:$PATH"

# Working directory inside the container
WORKDIR /code
COPY --chown=app:app . .

# Drop privileges
USER app
# Document the listening port
EXPOSE 8501

# Default command
CMD streamlit run app.py --server.port=8501 --server.address=0.0.0.0
