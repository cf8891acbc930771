arg PYTHON_VERSION=3.12.2

# Runtime image
from python:${PYTHON_VERSION}-slim-bookworm

env PYTHONDONTWRITEBYTECODE=1
env PYTHONUNBUFFERED=1
env DB_PASSWORD=changeme123

# Install system dependencies
run apt-get update && \
    apt-get install -y build-essential

# Working directory inside the container
workdir /srv/app

copy requirements.txt requirements-prod.txt ./

run pip install --upgrade pip && \
    pip install --no-cache-dir -r requirements.txt

copy . .

expose 8000

# Run the service
cmd ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
