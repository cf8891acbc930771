# Use an official image as a parent image
from debian:bookworm-slim

# Install system dependencies
run apt-get update \
	&& apt-get install -y --no-install-recommends cron \
	&& apt-get clean && rm -rf /var/lib/apt/lists/*

copy backup.sh /usr/local/bin/backup.sh
copy crontab /etc/cron.d/app

run chmod 0644 /etc/cron.d/app && crontab /etc/cron.d/app && touch /var/log/cron.log

env JWT_SECRET=my-super-secret-jwt-key

# Start the application
cmd ["cron", "-f"]
