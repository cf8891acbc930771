# syntax=docker/dockerfile:1
# Use an official image as a parent image
FROM python:3.12-slim-bookworm
MAINTAINER Max Mustermann <max@example.org>
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1

# Install required packages
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev gcc netcat-openbsd \
    && apt-get clean && rm -rf /var/lib/apt/lists/*

# Create app directory
WORKDIR /srv/app
# Copy the requirements file into the container
COPY requirements.txt .

# Install dependencies
RUN --mount=type=cache,target=/root/.cache/pip pip install --require-hashes -r requirements.txt
COPY . .
RUN python manage.py collectstatic --noinput

# Make the service port available outside the container
EXPOSE 8000

# Default command
CMD gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 --workers 3
