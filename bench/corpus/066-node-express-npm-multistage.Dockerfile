# syntax=docker/dockerfile:1.6
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-alpine3.19 AS dependencies

# Set the working directory
WORKDIR /app

# Copy the requirements file into the container
COPY package*.json ./

# Install any needed packages
RUN --mount=type=cache,target=/root/.npm npm ci

# Builder image
FROM dependencies AS builder

# Bundle app source
COPY . .

RUN npm run lint && npm test

# Build the application
RUN npm run build

# Final image
FROM gcr.io/distroless/nodejs20-debian12:nonroot AS release

# Working directory inside the container
WORKDIR /app

# Runtime configuration
ENV NODE_ENV=production

COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist

# Only copy the dependency files first so this layer is cached
COPY --from=builder /app/package.json ./

# Make the service port available outside the container
EXPOSE 3000

# Default command
CMD ["server.js"]
