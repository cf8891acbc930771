ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-alpine

LABEL maintainer="platform@acme.io"
# hadolint ignore=DL3018
RUN apk upgrade && \
    apk add --no-cache make libc6-compat git

# Create app directory
WORKDIR /app

# Copy dependency manifests first to leverage Docker layer caching
COPY package.json pnpm-lock.yaml ./

# Install dependencies
RUN npm install -g pnpm@8

RUN pnpm install --frozen-lockfile

COPY . .

# Make the service port available outside the container
EXPOSE 4000

# Container health check
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD wget -qO- http://127.0.0.1:4000/api/health || exit 1

CMD ["node", "dist/server.js"]
