FROM python:3.11

# Runtime configuration
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 POETRY_VERSION=1.8.2 POETRY_VIRTUALENVS_CREATE=false
RUN apt-get update \
    && apt-get install -y build-essential curl gettext \
    && rm -rf /var/lib/apt/lists/*

ADD . /app

# Working directory inside the container
WORKDIR /app

# Fetch dependencies (cached unless the manifests change)
RUN pip install -r requirements.txt

EXPOSE 8000

CMD uvicorn app.main:app --host 0.0.0.0 --port 8000
