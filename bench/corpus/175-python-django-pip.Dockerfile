FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
RUN apt-get update \
  && apt-get install -y --no-install-recommends curl gcc libpq-dev postgresql-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
RUN python -m pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
RUN python manage.py collectstatic --noinput
RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home app \
  && chown -R app:app /code
USER app
EXPOSE 8000
CMD ["gunicorn", "project.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
