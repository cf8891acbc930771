# Install dependencies only when needed
FROM node:20-slim AS deps

# Create app directory
WORKDIR /app
RUN corepack enable && corepack prepare pnpm@8.15.4 --activate

# Dependency manifests
COPY package.json pnpm-lock.yaml .npmrc ./

# Download dependencies
RUN pnpm install --frozen-lockfile

# Builder image
FROM deps AS build

# Copy the current directory contents into the container
COPY . .
RUN pnpm test

# Build the application
RUN pnpm run build

# ---- Release ----
FROM node:20-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
	&& apt-get install --no-install-recommends -y build-essential=12.9 ca-certificates=20230311 dumb-init=1.2.5-2 \
	&& rm -rf /var/lib/apt/lists/*
# Set the working directory
WORKDIR /app

# Runtime configuration
ENV NODE_ENV=production

COPY --chown=node:node --from=build /app/node_modules ./node_modules
COPY --chown=node:node --from=build /app/dist ./dist

# Dependency manifests
COPY --chown=node:node --from=build /app/package.json ./

USER node

# Expose the port the app runs on
EXPOSE 3000

# Container health check
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=5 \
	CMD curl -fsS http://localhost:3000/healthz || exit 1

# Default command
ENTRYPOINT ["dumb-init", "--"]

CMD ["pnpm", "start"]
