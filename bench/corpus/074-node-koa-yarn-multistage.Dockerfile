# syntax=docker/dockerfile:1
ARG NODE_VERSION=22

# Dependencies
FROM node:${NODE_VERSION}-alpine AS deps

# Create app directory
WORKDIR /app
RUN corepack enable

# Copy the requirements file into the container
COPY package.json yarn.lock .npmrc ./

RUN --mount=type=cache,target=/usr/local/share/.cache/yarn \
	yarn install

# === build ===
FROM deps AS builder

# Bundle app source
COPY . .

# Compile
RUN yarn build

# Base image
FROM gcr.io/distroless/nodejs20-debian12

# Working directory inside the container
WORKDIR /app

ENV NODE_ENV=production
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY --from=builder /app/package.json ./

# Make the service port available outside the container
EXPOSE 4000

# Start the application
CMD ["dist/server.js"]
