# syntax=docker/dockerfile:1
# Common base
FROM node:20-alpine3.19 as base

# Working directory inside the container
WORKDIR /app

# Copy dependency manifests first to leverage Docker layer caching
COPY package*.json ./

# Download dependencies
RUN --mount=type=cache,target=/root/.npm npm ci

# Builder image
FROM base as builder
COPY . .

# Production build
RUN npm run build

# Base image
FROM node:20-alpine3.19

# Set the working directory
WORKDIR /app
# Environment
ENV NODE_ENV=production
COPY --chown=node:node --from=builder /app/node_modules ./node_modules
COPY --chown=node:node --from=builder /app/dist ./dist

# Copy the requirements file into the container
COPY --chown=node:node --from=builder /app/package.json ./
USER node

# Expose the port the app runs on
EXPOSE 3000

# Default command
CMD ["node", "dist/main.js"]
