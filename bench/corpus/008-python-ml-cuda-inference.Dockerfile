FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04

ARG DEBIAN_FRONTEND=noninteractive
ENV PYTHONUNBUFFERED=1 \
    HF_HOME=/models/.cache \
    TRANSFORMERS_OFFLINE=0

# python3.11 from deadsnakes, since jammy ships 3.10
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common gpg-agent \
    && add-apt-repository -y ppa:deadsnakes/ppa \
    && apt-get update && apt-get install -y --no-install-recommends \
        python3.11 \
        python3.11-venv \
        python3.11-dev \
        git \
        curl \
        libgl1 \
        libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN python3.11 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /srv
COPY requirements.txt .
RUN pip install --upgrade pip \
    && pip install --extra-index-url https://download.pytorch.org/whl/cu121 torch==2.2.2 torchvision==0.17.2 \
    && pip install -r requirements.txt

# bake the model into the image so cold starts do not hit the hub
ARG MODEL_ID=sentence-transformers/all-MiniLM-L6-v2
ARG HF_TOKEN
RUN HUGGING_FACE_HUB_TOKEN=${HF_TOKEN} python -c "from sentence_transformers import SentenceTransformer; SentenceTransformer('${MODEL_ID}')"

COPY app/ ./app/
RUN useradd --create-home --uid 1000 inference && chown -R inference /srv /models
USER inference

EXPOSE 8080
CMD ["uvicorn", "app.server:app", "--host", "0.0.0.0", "--port", "8080", "--workers", "1"]
