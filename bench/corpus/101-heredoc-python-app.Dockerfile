# syntax=docker/dockerfile:1.6
FROM python:3.12.2-slim-bookworm

RUN <<EOF
set -ex
apt-get update
apt-get install -y --no-install-recommends ca-certificates rsync gnupg less
rm -rf /var/lib/apt/lists/*
EOF

WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip <<EOF
pip install -r requirements.txt
python -m compileall -q /usr/local/lib
EOF

RUN python3 <<EOF
import json, platform
with open('/app/build-info.json', 'w') as f:
    json.dump({'python': platform.python_version()}, f)
EOF
COPY . .
USER nobody
CMD ["python", "-m", "app"]
