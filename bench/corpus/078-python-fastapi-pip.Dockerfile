FROM python:3.11-alpine

# Install system dependencies
RUN apk add --no-cache build-base musl-dev

# Set the working directory
WORKDIR /app

# Copy the requirements file into the container
COPY requirements.txt .

# Fetch dependencies (cached unless the manifests change)
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY src/ ./src/

# Add an unprivileged user to run the app
RUN addgroup -S app && adduser -S app -G app && \
  chown -R app:app /app

# Drop privileges
USER app
# Expose the port the app runs on
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
