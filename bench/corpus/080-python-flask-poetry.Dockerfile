# Runtime image
FROM python
ENV PYTHONDONTWRITEBYTECODE=1 \
  PYTHONUNBUFFERED=1 \
  POETRY_VERSION=1.8.2 \
  POETRY_VIRTUALENVS_CREATE=false

# Install required packages
RUN apt-get update && \
  apt-get install -y --no-install-recommends curl gcc netcat-openbsd
WORKDIR /srv/app
RUN pip3 install --no-cache-dir "poetry==1.8.2"
# Copy the requirements file into the container
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes && \
  pip3 install --no-cache-dir -r requirements.txt

# Copy the application source
COPY . .

# Create the service account
RUN adduser --disabled-password --gecos "" --uid 10001 app && chown -R app:app /srv/app

# Switch to the unprivileged user
USER app
# Expose the port the app runs on
EXPOSE 5000

# Start the application
CMD ["flask", "run", "--host=0.0.0.0"]
