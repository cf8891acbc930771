ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}
LABEL org.opencontainers.image.source="https://github.com/contoso/web"
LABEL org.opencontainers.image.authors="ops@example.com"
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1

# Create app directory
WORKDIR /app
COPY requirements.txt .

# Install dependencies
RUN pip3 install -r requirements.txt

# Copy the rest of the code
COPY src/ ./src/
EXPOSE 8888

# Default command
CMD jupyter lab --ip=0.0.0.0 --no-browser --allow-root
