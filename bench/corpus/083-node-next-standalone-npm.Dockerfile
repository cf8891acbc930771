# syntax=docker/dockerfile:1
ARG NODE_VERSION=18

FROM node:${NODE_VERSION}-bullseye-slim AS base

FROM base AS deps

# Create app directory
WORKDIR /app

# Copy dependency manifests first to leverage Docker layer caching
COPY package.json package-lock.json* ./

# Install any needed packages
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- Build ----
FROM base AS builder

WORKDIR /app

COPY --from=deps /app/node_modules ./node_modules

# Bundle app source
COPY . .

ENV NEXT_TELEMETRY_DISABLED=1

# Production build
RUN npm run build

# Runtime stage
FROM base AS runner

# Create app directory
WORKDIR /app

# Runtime configuration
ENV NODE_ENV=production

ENV NEXT_TELEMETRY_DISABLED=1

RUN addgroup --system --gid 1001 nodejs

RUN adduser --system --uid 1001 nextjs

COPY --from=builder /app/public ./public
COPY --from=builder --chown=nextjs:nodejs /app/.next/standalone ./

COPY --from=builder --chown=nextjs:nodejs /app/.next/static ./.next/static

# Run as non-root user
USER nextjs

EXPOSE 3000

ENV PORT=3000
ENV HOSTNAME="0.0.0.0"

CMD ["node", "server.js"]
