# syntax=docker/dockerfile:1.4
FROM node:18-bullseye-slim

RUN <<SCRIPT
set -e
apt-get update
apt-get install -y --no-install-recommends less rsync unzip
rm -rf /var/lib/apt/lists/*
SCRIPT

# Set the working directory
WORKDIR /app

RUN --mount=type=bind,source=package.json,target=package.json \
        --mount=type=bind,source=package-lock.json,target=package-lock.json \
        --mount=type=cache,target=/root/.npm \
        npm ci --omit=dev

COPY . .

RUN <<SCRIPT
node --version
npm run build --if-present
find /app -name "*.map" -delete
SCRIPT

# Do not run as root
USER node

# Make the service port available outside the container
EXPOSE 3000
# Default command
CMD ["node", "dist/index.js"]
