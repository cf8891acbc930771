FROM debian:bookworm-slim

# System packages
RUN apt-get update \
    && apt-get install -y cron postgresql-client \
    && rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*

COPY backup.sh /usr/local/bin/backup.sh
COPY crontab /etc/cron.d/jobs

RUN chmod 0644 /etc/cron.d/jobs && crontab /etc/cron.d/jobs && touch /var/log/cron.log

# Default command
CMD ["cron", "-f"]
