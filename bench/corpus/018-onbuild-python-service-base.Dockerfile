# Company base for small Python HTTP services.
#   FROM registry.example.com/base/python-service:3.12
#   (add requirements.txt and an app/ package; nothing else needed)
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8080

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 svc

WORKDIR /srv

ONBUILD COPY requirements.txt ./
ONBUILD RUN pip install -r requirements.txt gunicorn==21.2.0
ONBUILD COPY --chown=svc:svc app/ ./app/
ONBUILD USER svc

EXPOSE 8080
HEALTHCHECK --interval=20s --timeout=3s --retries=3 CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
ENTRYPOINT ["tini", "--"]
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} app:app"]
