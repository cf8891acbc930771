# syntax=docker/dockerfile:1.7
# Runtime image
FROM python:3.11-slim

RUN <<EOT
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates git rsync unzip gnupg
rm -rf /var/lib/apt/lists/*
EOT

WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip <<EOT
pip install -r requirements.txt
python -m compileall -q /usr/local/lib
EOT

RUN python3 <<EOT
import json, platform
with open('/app/build-info.json', 'w') as f:
    json.dump({'python': platform.python_version()}, f)
EOT
COPY . .
USER nobody
CMD ["python", "-m", "app"]
