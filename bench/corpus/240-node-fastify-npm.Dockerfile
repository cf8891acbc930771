# syntax=docker/dockerfile:1
FROM node:18-alpine
LABEL org.opencontainers.image.source="https://github.com/contoso/tools" \
	org.opencontainers.image.authors="ops@example.com" \
	org.opencontainers.image.licenses="MIT"
RUN apk add --no-cache python3 tini=0.19.0-r2
WORKDIR /app

# Production settings
ENV NODE_ENV=production

# Copy dependency manifests first to leverage Docker layer caching
COPY package*.json ./

# Install dependencies
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev && npm cache clean --force

COPY --chown=node:node . .
USER node

# Make the service port available outside the container
EXPOSE 8080

ENTRYPOINT ["/sbin/tini", "--"]

# Run the service
CMD ["node", "index.js"]
