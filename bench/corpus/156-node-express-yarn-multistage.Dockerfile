# Base stage shared by the others
FROM node:20-bookworm-slim AS base

# Create app directory
WORKDIR /app
RUN corepack enable

# Dependency manifests
COPY package.json yarn.lock ./
# Download dependencies
RUN yarn install --frozen-lockfile

FROM base AS builder

COPY . .

# Build the application
RUN yarn build

# Runtime stage
FROM node:20-bookworm-slim AS prod

# Create app directory
WORKDIR /app

# Runtime configuration
ENV NODE_ENV=production

COPY --chown=node:node --from=builder /app/node_modules ./node_modules

COPY --chown=node:node --from=builder /app/dist ./dist
# Only copy the dependency files first so this layer is cached
COPY --chown=node:node --from=builder /app/package.json ./

# Drop privileges
USER node

# Make the service port available outside the container
EXPOSE 4000

# Run the service
CMD ["node", "dist/server.js"]
