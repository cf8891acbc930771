# Runtime image
FROM debian:bookworm-slim

# Install system dependencies
RUN apt-get update && \
 apt-get install -y --no-install-recommends cron && \
 rm -rf /var/lib/apt/lists/*
COPY backup.sh /usr/local/bin/backup.sh
COPY crontab /etc/cron.d/jobs
RUN chmod 0644 /etc/cron.d/jobs && crontab /etc/cron.d/jobs && touch /var/log/cron.log

# Start the application
CMD ["cron", "-f"]
