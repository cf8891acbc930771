# Start from a small base
FROM node:18-alpine

LABEL maintainer="jane@example.com"

# Set the working directory
WORKDIR /usr/src/app

# Copy dependency manifests first to leverage Docker layer caching
COPY package.json package-lock.json ./

# Install dependencies
RUN npm ci --omit=dev && npm cache clean --force

COPY --chown=node:node . .

# Run as non-root user
USER node

# Make the service port available outside the container
EXPOSE 4000

# Run the service
CMD ["node", "dist/index.js"]
