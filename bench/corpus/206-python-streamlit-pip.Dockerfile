ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get upgrade -y \
    && apt-get install -y --no-install-recommends curl gettext \
    && apt-get clean && rm -rf /var/lib/apt/lists/*

WORKDIR /usr/src/app
COPY requirements.txt .

RUN pip3 install --no-cache-dir --require-hashes -r requirements.txt
COPY app/ ./app/
RUN useradd --create-home --uid 1001 --shell /usr/sbin/nologin app && chown -R app:app /usr/src/app
USER app
EXPOSE 8501
CMD streamlit run app.py --server.port=8501 --server.address=0.0.0.0
