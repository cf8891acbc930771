FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_NO_CACHE_DIR=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
ENV API_TOKEN=tok_live_4f9a2c81d7e64b0a

ADD . /code

WORKDIR /code
RUN pip install -r requirements.txt

CMD ["celery", "-A", "proj", "worker", "--loglevel=INFO", "--concurrency=2"]
