from python:3.9-slim
env PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.8.2 \
    POETRY_VIRTUALENVS_CREATE=false
workdir /code
run pip install "poetry==1.8.3"
copy pyproject.toml poetry.lock ./
run poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-ansi --only main --no-root
copy src/ ./src/
expose 5000
cmd ["flask", "run", "--host=0.0.0.0"]
