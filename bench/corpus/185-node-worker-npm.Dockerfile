# syntax=docker/dockerfile:1.6
ARG NODE_VERSION=22

# Base image
FROM node:${NODE_VERSION}-bookworm-slim

MAINTAINER Max Mustermann <max@example.org>

RUN apt-get update \
	&& apt-get install -y --no-install-recommends dumb-init python3 \
	&& rm -rf /var/lib/apt/lists/*

# Set the working directory
WORKDIR /home/node/app

ENV NODE_ENV=production
ENV POSTGRES_PASSWORD=postgres

# Copy dependency manifests first to leverage Docker layer caching
COPY package*.json ./

# Install any needed packages
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

# Bundle app source
COPY . .

# Do not run as root
USER node

# Run the app
ENTRYPOINT ["dumb-init", "--"]

# Run the service
CMD npm start
